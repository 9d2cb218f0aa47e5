/**
 * grep --color=always with GNU's default GREP_COLORS: file names magenta
 * (35), line numbers green (32), separators cyan (36), matches bold red
 * (01;31), each wrapped as `ESC[<sgr>m ESC[K … ESC[m ESC[K`.
 */
export interface Painter {
  readonly on: boolean
  name(text: string): string
  lineNumber(text: string): string
  separator(text: string): string
  match(text: string): string
}

const sgr = (code: string) => (text: string) => `\x1b[${code}m\x1b[K${text}\x1b[m\x1b[K`
const plain = (text: string) => text

export const COLOR: Painter = { on: true, name: sgr('35'), lineNumber: sgr('32'), separator: sgr('36'), match: sgr('01;31') }
export const NO_COLOR: Painter = { on: false, name: plain, lineNumber: plain, separator: plain, match: plain }

/** `--color[=WHEN]`: only `always` colours; `auto` means a terminal, which a tier-1 call never has. */
export function painterFor(when: string | undefined): Painter {
  return when === 'always' ? COLOR : NO_COLOR
}
