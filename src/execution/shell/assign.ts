/**
 * Variable assignments: `x=v`, `x+=v`, `a[i]=v`, `a=(x y [k]=z)`,
 * `a+=(…)`. Values are expanded without splitting or globbing (array
 * elements are expanded as command words); integer variables (declare -i)
 * evaluate their value as arithmetic.
 */
import type { Assignment, Word } from './ast'
import { arithmetic, expandString, expandWords } from './expand'
import { evaluateArithmetic } from './arithmetic'
import { arithScope } from './expand'
import type { Shell } from './interpreter'

async function indexKey(shell: Shell, name: string, index: Assignment['index']): Promise<string | number | undefined> {
  if (!index) return undefined
  if (shell.vars.get(name)?.value.kind === 'assoc') return expandString(index, shell)
  return Number(await arithmetic(index, shell))
}

export async function assign(shell: Shell, assignment: Assignment): Promise<void> {
  const { name } = assignment
  const vars = shell.vars
  if (assignment.array) {
    const assoc = vars.get(name)?.value.kind === 'assoc'
    const existing = assignment.append ? vars.keys(name).length : 0
    if (!assignment.append) vars.setValue(name, assoc ? { kind: 'assoc', items: new Map() } : { kind: 'array', items: new Map() })
    let next = assignment.append && !assoc ? Math.max(-1, ...vars.keys(name).map(Number)) + 1 : existing
    for (const element of assignment.array) {
      const [first] = element.parts
      const keyed = first?.kind === 'literal' && !first.quoted ? /^\[([^\]]*)\]=/.exec(first.text) : null
      if (keyed && first?.kind === 'literal') {
        const rest: Word = { column: element.column, parts: [{ ...first, text: first.text.slice(keyed[0].length) }, ...element.parts.slice(1)] }
        const key = assoc ? (keyed[1] as string) : Number(evaluateArithmetic(keyed[1] as string, arithScope(shell)))
        vars.set(name, await expandString(rest, shell), key)
        if (!assoc) next = Number(key) + 1
        continue
      }
      for (const value of await expandWords([element], shell)) vars.set(name, value, assoc ? String(next++) : next++)
    }
    return
  }
  const key = await indexKey(shell, name, assignment.index)
  let value = await expandString(assignment.value, shell)
  const variable = vars.get(name)
  if (variable?.integer) {
    const evaluated = evaluateArithmetic(value || '0', arithScope(shell))
    const base = assignment.append ? BigInt(key === undefined ? (vars.scalar(name) || '0') : (vars.element(name, key) ?? '0')) : 0n
    value = (base + evaluated).toString()
  } else if (assignment.append) value = (key === undefined ? (vars.scalar(name) ?? '') : (vars.element(name, key) ?? '')) + value
  vars.set(name, value, key)
  if (shell.options.allexport) vars.update(name, (v) => (v.exported = true))
}
