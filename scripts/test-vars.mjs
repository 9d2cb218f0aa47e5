/**
 * The workerd test suite's own vars. Wrangler adds a developer's `.dev.vars`
 * (beside wrangler.toml) to every test Worker, so a token or URL set there for
 * `npm run dev` would change what the tests see. Every key that file sets is
 * pinned here to the value the suite chose, or else to wrangler.toml's [vars]
 * value (or '' where wrangler.toml has none): the file then changes nothing.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parse } from 'smol-toml'
import { readDevVars } from './dev-vars.mjs'

export function ownTestVars(configPath, chosen) {
  const declared = parse(readFileSync(configPath, 'utf8')).vars ?? {}
  const pinned = {}
  for (const key of Object.keys(readDevVars(join(dirname(configPath), '.dev.vars')))) {
    pinned[key] = typeof declared[key] === 'string' ? declared[key] : ''
  }
  return { ...pinned, ...chosen }
}
