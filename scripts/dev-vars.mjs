/** Reads a .dev.vars file (KEY=value lines, # comments) into an object. */
import { existsSync, readFileSync } from 'node:fs'

export function readDevVars(path) {
  if (!existsSync(path)) return {}
  const vars = {}
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (!match || line.trimStart().startsWith('#')) continue
    vars[match[1]] = match[2].replace(/^"(.*)"$/, '$1')
  }
  return vars
}
