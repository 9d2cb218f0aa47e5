/**
 * A FileSystem that asks policy before every access, so `fs:` rules hold for
 * paths only known at run time (globs, `find`, `cp -r`, tier-3 modules, the
 * tier-4 sync) and not just for operands as written at acceptance.
 *
 * What counts as what (action strings of DESIGN.md, on the normalised absolute path):
 *   fs:read:<p>   read, readText, readStream, and metadata: stat, exists,
 *                 readdir (listing a directory reads it); a glob result is
 *                 kept only when its directory may be read; a tree keeps
 *                 what a walk of readdir and stat would (readableTree)
 *   fs:write:<p>  write, append, mkdir, rm, both ends of rename; copy reads
 *                 its source and writes its target
 * Recursive rm, rename and copy of a directory check every path inside it,
 * so a rule on a subtree cannot be stepped over by acting on its parent.
 * A refusal rejects (never throws synchronously) with FsError EACCES naming
 * the rule, before the backend is touched.
 */
import type { DirEntry, FileStat, FileSystem, MkdirOptions, TreeEntry, TreeListing, WriteOptions } from '../../types/execution'
import type { FsError } from '../execution/fsx/errors'
import { joinPath, parentPath, resolvePath } from '../execution/fsx/paths'

export type FsAccess = 'read' | 'write'

/** The EACCES error to throw when `path` (absolute, normalised) may not be accessed so; undefined when it may. */
export type FsAccessPolicy = (access: FsAccess, path: string) => FsError | undefined

/**
 * What a walk down from `root` through the guarded readdir and stat finds of a tree: an entry shows when
 * every directory above it may be read (listed); a file also needs to be readable itself (stat), while a
 * directory its parent lists shows even when it may not be read, without what stat would have told.
 */
export function readableTree(root: string, entries: readonly TreeEntry[], readable: (absolute: string) => boolean): TreeEntry[] {
  const listable = new Map<string, boolean>([['', true]])
  const mayList = (relative: string): boolean => {
    const known = listable.get(relative)
    if (known !== undefined) return known
    const parent = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : ''
    const answer = mayList(parent) && readable(joinPath(root, relative))
    listable.set(relative, answer)
    return answer
  }
  return entries.flatMap((entry): TreeEntry[] => {
    const parent = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : ''
    if (!mayList(parent)) return []
    if (readable(joinPath(root, entry.path))) return [entry]
    // A directory its parent lists but that may not be read itself: its name and kind, nothing stat would tell.
    return entry.type === 'file' ? [] : [{ path: entry.path, type: 'directory', size: 0, mtime: 0 }]
  })
}

export function guardFileSystem(fs: FileSystem, refusal: FsAccessPolicy): FileSystem {
  const check = (access: FsAccess, absolute: string): void => {
    const refused = refusal(access, absolute)
    if (refused) throw refused
  }
  const guard = (access: FsAccess, path: string): void => check(access, resolvePath('/', path))

  /** The path and, when it is a directory, everything under it (read through the unguarded fs). */
  async function tree(path: string): Promise<string[]> {
    const root = resolvePath('/', path)
    const paths = [root]
    const stat = await fs.stat(root).catch(() => undefined)
    if (stat?.type !== 'directory') return paths
    const pending = [root]
    while (pending.length > 0) {
      const dir = pending.pop() as string
      for (const entry of await fs.readdir(dir)) {
        const child = joinPath(dir, entry.name)
        paths.push(child)
        if (entry.type === 'directory') pending.push(child)
      }
    }
    return paths
  }

  async function guardTree(access: FsAccess, path: string, recursive: boolean): Promise<void> {
    for (const each of recursive ? await tree(path) : [resolvePath('/', path)]) check(access, each)
  }

  return {
    backend: fs.backend,
    diskQuota: async () => fs.diskQuota?.(),
    async read(path: string): Promise<Uint8Array> {
      guard('read', path)
      return fs.read(path)
    },
    async readText(path: string): Promise<string> {
      guard('read', path)
      return fs.readText(path)
    },
    async readStream(path: string): Promise<ReadableStream<Uint8Array>> {
      guard('read', path)
      return fs.readStream(path)
    },
    async write(path: string, data: string | Uint8Array | ReadableStream<Uint8Array>, options?: WriteOptions): Promise<void> {
      guard('write', path)
      return fs.write(path, data, options)
    },
    async append(path: string, data: string | Uint8Array, options?: WriteOptions): Promise<void> {
      guard('write', path)
      return fs.append(path, data, options)
    },
    async stat(path: string): Promise<FileStat> {
      guard('read', path)
      return fs.stat(path)
    },
    async readdir(path: string): Promise<DirEntry[]> {
      guard('read', path)
      return fs.readdir(path)
    },
    async tree(path: string, maxEntries: number): Promise<TreeListing> {
      guard('read', path)
      const root = resolvePath('/', path)
      const listing = await fs.tree(root, maxEntries)
      return { entries: readableTree(root, listing.entries, (absolute) => refusal('read', absolute) === undefined), truncated: listing.truncated }
    },
    async mkdir(path: string, options?: MkdirOptions): Promise<void> {
      guard('write', path)
      return fs.mkdir(path, options)
    },
    async rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void> {
      await guardTree('write', path, options?.recursive === true)
      return fs.rm(path, options)
    },
    async rename(from: string, to: string): Promise<void> {
      guard('write', to)
      await guardTree('write', from, true)
      return fs.rename(from, to)
    },
    async copy(from: string, to: string, options?: { recursive?: boolean }): Promise<void> {
      guard('write', to)
      const source = resolvePath('/', from)
      const target = resolvePath('/', to)
      for (const path of options?.recursive === true ? await tree(source) : [source]) {
        check('read', path)
        check('write', target + path.slice(source.length))
      }
      return fs.copy(from, to, options)
    },
    async exists(path: string): Promise<boolean> {
      guard('read', path)
      return fs.exists(path)
    },
    async glob(pattern: string, options?: { cwd?: string }): Promise<string[]> {
      const cwd = options?.cwd ?? '/'
      const matches = await fs.glob(pattern, options)
      return matches.filter((match) => refusal('read', parentPath(resolvePath(cwd, match))) === undefined)
    },
  }
}
