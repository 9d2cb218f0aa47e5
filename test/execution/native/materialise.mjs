/**
 * Writes a fixture tree (path → text, or { base64 } for binary files; paths
 * ending in / are empty directories) into a real directory, for the scripts
 * that record what the GNU tools print over it.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export function materialise(dir, fixtures) {
  for (const [path, content] of Object.entries(fixtures)) {
    const full = join(dir, path)
    if (path.endsWith('/')) {
      mkdirSync(full, { recursive: true })
      continue
    }
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, typeof content === 'string' ? content : Buffer.from(content.base64, 'base64'))
  }
}
