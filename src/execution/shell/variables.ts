/**
 * Shell variables: scalars, indexed arrays (sparse) and associative arrays,
 * with bash's dynamic scoping for `local` — one table of current bindings,
 * and per function call a frame remembering the bindings its locals hid,
 * restored on return. A scalar read as an array is element 0 and the other
 * way round, as in bash.
 */
export type Value = { kind: 'scalar'; value: string } | { kind: 'array'; items: Map<number, string> } | { kind: 'assoc'; items: Map<string, string> }

export interface Variable {
  value: Value
  exported?: boolean
  readonly?: boolean
  integer?: boolean
}

export class ReadonlyVariable extends Error {
  override readonly name = 'ReadonlyVariable'
  constructor(readonly variable: string) {
    super(`${variable}: readonly variable`)
  }
}

function cloneVariable(variable: Variable): Variable {
  const value = variable.value
  const copy: Value = value.kind === 'scalar' ? { ...value } : value.kind === 'array' ? { kind: 'array', items: new Map(value.items) } : { kind: 'assoc', items: new Map(value.items) }
  return { ...variable, value: copy }
}

export class Variables {
  private readonly table = new Map<string, Variable>()
  private readonly frames: Array<Map<string, Variable | undefined>> = []

  constructor(initial: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(initial)) this.table.set(name, { value: { kind: 'scalar', value }, exported: true })
  }

  get(name: string): Variable | undefined {
    return this.table.get(name)
  }

  has(name: string): boolean {
    return this.table.has(name)
  }

  /** A scalar's value, or element 0 / key "0" of an array. */
  scalar(name: string): string | undefined {
    const value = this.table.get(name)?.value
    if (!value) return undefined
    if (value.kind === 'scalar') return value.value
    return value.kind === 'array' ? value.items.get(0) : value.items.get('0')
  }

  element(name: string, key: string | number): string | undefined {
    const value = this.table.get(name)?.value
    if (!value) return undefined
    if (value.kind === 'assoc') return value.items.get(String(key))
    if (value.kind === 'scalar') return Number(key) === 0 ? value.value : undefined
    return value.items.get(Number(key))
  }

  /** The elements of an array in index order (a scalar is a one-element array). */
  values(name: string): string[] {
    const value = this.table.get(name)?.value
    if (!value) return []
    if (value.kind === 'scalar') return [value.value]
    if (value.kind === 'assoc') return [...value.items.values()]
    return [...value.items.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item)
  }

  keys(name: string): string[] {
    const value = this.table.get(name)?.value
    if (!value) return []
    if (value.kind === 'scalar') return ['0']
    if (value.kind === 'assoc') return [...value.items.keys()]
    return [...value.items.keys()].sort((a, b) => a - b).map(String)
  }

  private writable(name: string): Variable | undefined {
    const existing = this.table.get(name)
    if (existing?.readonly) throw new ReadonlyVariable(name)
    return existing
  }

  set(name: string, text: string, key?: string | number): void {
    const existing = this.writable(name)
    if (key === undefined) {
      if (existing && existing.value.kind === 'array') existing.value.items.set(0, text)
      else if (existing && existing.value.kind === 'assoc') existing.value.items.set('0', text)
      else if (existing) existing.value = { kind: 'scalar', value: text }
      else this.table.set(name, { value: { kind: 'scalar', value: text } })
      return
    }
    if (existing?.value.kind === 'assoc') {
      existing.value.items.set(String(key), text)
      return
    }
    const items = existing?.value.kind === 'array' ? existing.value.items : new Map<number, string>()
    if (existing?.value.kind === 'scalar') items.set(0, existing.value.value)
    items.set(Number(key), text)
    if (existing) existing.value = { kind: 'array', items }
    else this.table.set(name, { value: { kind: 'array', items } })
  }

  setValue(name: string, value: Value): void {
    const existing = this.writable(name)
    if (existing) existing.value = value
    else this.table.set(name, { value })
  }

  /** Changes a variable's attributes, creating it (empty) when missing. */
  update(name: string, change: (variable: Variable) => void): void {
    let variable = this.table.get(name)
    if (!variable) {
      variable = { value: { kind: 'scalar', value: '' } }
      this.table.set(name, variable)
    }
    change(variable)
  }

  unset(name: string, key?: string): void {
    const existing = this.writable(name)
    if (key !== undefined && existing && existing.value.kind !== 'scalar') {
      if (existing.value.kind === 'array') existing.value.items.delete(Number(key))
      else existing.value.items.delete(key)
      return
    }
    this.table.delete(name)
  }

  pushFrame(): void {
    this.frames.push(new Map())
  }

  popFrame(): void {
    const frame = this.frames.pop()
    if (!frame) return
    for (const [name, saved] of frame) {
      if (saved) this.table.set(name, saved)
      else this.table.delete(name)
    }
  }

  get inFunction(): boolean {
    return this.frames.length > 0
  }

  /** How many function calls deep the shell is. */
  get depth(): number {
    return this.frames.length
  }

  /** `local name`: hides the current binding until the function returns. */
  makeLocal(name: string): void {
    const frame = this.frames[this.frames.length - 1]
    if (!frame || frame.has(name)) return
    const existing = this.table.get(name)
    frame.set(name, existing)
    this.table.delete(name)
  }

  names(): string[] {
    return [...this.table.keys()].sort()
  }

  /** The environment of a command the shell runs: every scalar variable. */
  environment(extra: ReadonlyArray<readonly [string, string]> = []): Record<string, string> {
    const env: Record<string, string> = {}
    for (const [name, variable] of this.table) {
      if (variable.value.kind === 'scalar' && variable.exported) env[name] = variable.value.value
    }
    for (const [name, value] of extra) env[name] = value
    return env
  }

  clone(): Variables {
    const copy = new Variables()
    for (const [name, variable] of this.table) copy.table.set(name, cloneVariable(variable))
    for (const frame of this.frames) copy.frames.push(new Map([...frame].map(([name, saved]) => [name, saved && cloneVariable(saved)])))
    return copy
  }
}
