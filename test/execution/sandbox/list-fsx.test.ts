/** What the tier-4 sync reads of fsx before a run (listFsx): one listing, as the plan needs it, within maxEntries. */
import { describe, expect, it } from 'vitest'
import { FabricError } from '../../../types/errors'
import { listFsx } from '../../../src/execution/sandbox/sync'
import { openFs } from '../fsx/backends'

describe('listFsx', () => {
  it('gives files with size and mtime and directories with their mode, parents first', async () => {
    const fs = openFs('memory')
    await fs.mkdir('/keys', { mode: 0o700 })
    await fs.write('/keys/a', 'abc')
    await fs.write('/top', 'x')
    const mtime = async (path: string) => (await fs.stat(path)).mtime
    expect(await listFsx(fs, 10)).toEqual([
      { path: 'keys', kind: 'directory', size: 0, mtimeMs: 0, mode: 0o700 },
      { path: 'keys/a', kind: 'file', size: 3, mtimeMs: await mtime('/keys/a') },
      { path: 'top', kind: 'file', size: 1, mtimeMs: await mtime('/top') },
    ])
  })

  it('refuses a tree over maxEntries with RESOURCE_EXHAUSTED naming the limit, and takes one at it', async () => {
    const fs = openFs('memory')
    for (const name of ['a', 'b', 'c', 'd']) await fs.write(`/${name}`, name)
    expect(await listFsx(fs, 4)).toHaveLength(4)
    const refused = await listFsx(fs, 3).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(FabricError)
    expect(refused).toMatchObject({ code: 'RESOURCE_EXHAUSTED', details: { maxEntries: 3 } })
  })
})
