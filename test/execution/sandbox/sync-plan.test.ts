/** Which files move between fsx and a work dir: the manifest comparisons, without I/O. */
import { describe, expect, it } from 'vitest'
import type { WorkDirEntry } from '../../../src/execution/sandbox/client'
import { planSyncBack, planSyncIn, type FsxEntry } from '../../../src/execution/sandbox/sync-plan'

const file = (path: string, size: number, mtimeMs: number, sha256?: string): WorkDirEntry => ({
  path,
  kind: 'file',
  size,
  mtimeMs,
  ...(sha256 ? { sha256 } : {}),
})
const dir = (path: string): WorkDirEntry => ({ path, kind: 'directory', size: 0, mtimeMs: 1 })
const fsxFile = (path: string, size: number, mtimeMs: number): FsxEntry => ({ path, kind: 'file', size, mtimeMs })
const fsxDir = (path: string): FsxEntry => ({ path, kind: 'directory', size: 0, mtimeMs: 0 })

describe('planSyncIn', () => {
  it('uploads only files whose size or mtime differ, creates missing directories, deletes what fsx lacks', () => {
    const plan = planSyncIn(
      [fsxDir('src'), fsxFile('src/same.txt', 3, 1000), fsxFile('src/newer.txt', 3, 2000), fsxFile('src/new.txt', 1, 5), fsxDir('empty')],
      [dir('src'), file('src/same.txt', 3, 1000.4, 'aa'), file('src/newer.txt', 3, 1000, 'bb'), file('stale.txt', 9, 9), dir('old'), file('old/x', 1, 1)],
    )
    expect(plan).toEqual({
      deletes: ['old', 'stale.txt'],
      mkdirs: ['empty'],
      modes: {},
      uploads: [fsxFile('src/newer.txt', 3, 2000), fsxFile('src/new.txt', 1, 5)],
    })
  })

  it('replaces an entry of the wrong kind, and any symlink', () => {
    const link: WorkDirEntry = { path: 'a', kind: 'symlink', size: 4, mtimeMs: 1, target: '/etc', targetInside: false }
    expect(planSyncIn([fsxFile('a', 1, 1), fsxDir('b')], [link, file('b', 1, 1)])).toEqual({
      deletes: ['a', 'b'],
      mkdirs: ['b'],
      modes: {},
      uploads: [fsxFile('a', 1, 1)],
    })
  })

  it('sets the mode fsx keeps on directories whose mode differs or that are new', () => {
    const withMode = (path: string, mode: number): FsxEntry => ({ ...fsxDir(path), mode })
    const current: WorkDirEntry[] = [{ ...dir('same'), mode: 0o700 }, { ...dir('changed'), mode: 0o755 }]
    expect(planSyncIn([withMode('same', 0o700), withMode('changed', 0o750), withMode('new', 0o711)], current)).toEqual({
      deletes: [],
      mkdirs: ['new'],
      modes: { changed: 0o750, new: 0o711 },
      uploads: [],
    })
  })

  it('has nothing to do when the work dir already mirrors fsx', () => {
    expect(planSyncIn([fsxDir('d'), fsxFile('d/f', 2, 7)], [dir('d'), file('d/f', 2, 7, 'cc')])).toEqual({ deletes: [], mkdirs: [], modes: {}, uploads: [] })
  })
})

describe('planSyncBack', () => {
  const MAX = 100

  it('downloads files whose sha-256 changed or that are new; a touched but identical file stays', () => {
    const plan = planSyncBack(
      [file('same', 1, 1, 'aa'), file('touched', 1, 1, 'bb'), file('edited', 1, 1, 'cc')],
      [file('same', 1, 1, 'aa'), file('touched', 1, 99, 'bb'), file('edited', 1, 1, 'dd'), file('created', 5, 5, 'ee')],
      MAX,
    )
    expect(plan.downloads.map((e) => e.path)).toEqual(['edited', 'created'])
    expect(plan).toMatchObject({ deletes: [], mkdirs: [], skipped: [] })
  })

  it('falls back to size and mtime where the backend lists no hashes', () => {
    const plan = planSyncBack([file('a', 1, 1), file('b', 1, 1)], [file('a', 1, 1), file('b', 1, 2)], MAX)
    expect(plan.downloads.map((e) => e.path)).toEqual(['b'])
  })

  it('mirrors deletions (top-most only) and new directories', () => {
    const plan = planSyncBack([dir('gone'), file('gone/x', 1, 1, 'a'), file('removed', 1, 1, 'b')], [{ ...dir('made'), mode: 0o700 }, dir('made/deep')], MAX)
    expect(plan).toEqual({
      deletes: ['gone', 'removed'],
      mkdirs: [
        { path: 'made', mode: 0o700 },
        { path: 'made/deep', mode: undefined },
      ],
      downloads: [],
      skipped: [],
    })
  })

  it('refuses every symlink and special file with EACCES naming it, and files over the cap with EFBIG', () => {
    const plan = planSyncBack(
      [],
      [
        { path: 'leak', kind: 'symlink', size: 11, mtimeMs: 1, target: '/etc/passwd', targetInside: false },
        { path: 'near', kind: 'symlink', size: 1, mtimeMs: 1, target: 'big', targetInside: true },
        { path: 'fifo', kind: 'other', size: 0, mtimeMs: 1 },
        file('big', MAX + 1, 1, 'ff'),
      ],
      MAX,
    )
    expect(plan.downloads).toEqual([])
    expect(plan.skipped).toEqual([
      { path: 'leak', code: 'EACCES', message: "'/leak' is a symlink to '/etc/passwd', outside the work dir; it was not followed or synced back" },
      { path: 'near', code: 'EACCES', message: "'/near' is a symlink to 'big'; fsx has no symlinks, so it was not synced back (copy the file instead)" },
      {
        path: 'fifo',
        code: 'EACCES',
        message: "'/fifo' is not a regular file or directory (a fifo, socket or device); fsx cannot hold it, so it was not synced back",
      },
      { path: 'big', code: 'EFBIG', message: "'/big' is 101 bytes, over the 100-byte sync limit; it was not synced back" },
    ])
  })
})
