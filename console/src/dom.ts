/** A tiny element builder: the console renders with the DOM API, no framework. */
type Child = Node | string | number | null | undefined | false
type AttrValue = string | number | boolean | null | undefined | ((event: Event) => void)

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value)
    else if (value === true) element.setAttribute(name, '')
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    element.append(child instanceof Node ? child : String(child))
  }
  return element
}

/** A labelled form control: every input the console shows has a <label for>. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control)
}

export function select(id: string, options: readonly string[], value = options[0] ?? ''): HTMLSelectElement {
  const element = h('select', { id, name: id }, ...options.map((option) => h('option', { value: option }, option || '(any)')))
  element.value = value
  return element
}

/** A table with a caption (for screen readers) and header cells with scope. */
export function table(caption: string, headers: string[], rows: Child[][]): HTMLTableElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell))))),
  )
}

/** A status line announced to screen readers (role=status) that pages write results and errors into. */
export function statusLine(id: string): HTMLParagraphElement {
  return h('p', { id, role: 'status', 'aria-live': 'polite', class: 'status' })
}

export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '—'
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  if (seconds < 60) return `${seconds}s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`
  return `${Math.floor(seconds / 3600)}h ago`
}

export function ms(value: number | undefined): string {
  return value === undefined ? '—' : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`
}
