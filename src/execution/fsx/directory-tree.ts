/**
 * POSIX-flavoured directories over a flat object store, shared by every
 * backend. A directory exists when it is the root, has a marker object
 * (`<root>/<dir>/`), or has any key below it (written by someone who did not
 * create markers, e.g. a sandbox sync); `mkdir` always writes a marker so an
 * empty directory survives.
 *
 * Not atomic: rename and copy of a directory are one object at a time (copy
 * first, delete after, so a failure leaves both copies rather than none), and
 * append is read-modify-write. The agent's Durable Object serialises one
 * agent's operations, which is what keeps these safe in the fabric.
 */
import type { DirEntry, FileStat, FileSystem, FileType, MkdirOptions, TreeListing, WriteOptions } from '../../../types/execution'
import { chunk, forEachConcurrently } from './batches'
import { FsError, nameTooLong, refuseReserved } from './errors'
import { compileGlob } from './glob'
import { describeTree, type KeyTree, type ObjectStore } from './object-store'
import { compareCodePoints, isReachableName, isSameOrInside, joinPath, parentPath, resolvePath, utf8Length } from './paths'
import { concatBytes, tooLarge } from './streams'
import { limited, objectsToList, treeOf } from './tree-listing'
import { QuotaStore } from './quota-store'

export const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024
const FILE_MODE = 0o644
const DIRECTORY_MODE = 0o755
/** Parallel storage calls per directory operation. */
const CONCURRENCY = 6
const EMPTY = new Uint8Array(0)

interface Found {
  type: FileType
  size: number
  mtime: number
  /** A directory's permission bits when its marker keeps one (mkdir -m); otherwise the default. */
  mode?: number
}

/**
 * A directory marker is empty, or holds its mode as octal text ("700") when
 * it was made with one that is not the default, so only such a directory
 * costs a read to stat.
 */
function markerBody(mode: number | undefined): Uint8Array {
  return mode === undefined || mode === DIRECTORY_MODE ? EMPTY : encoder.encode((mode & 0o7777).toString(8))
}

const OCTAL_MODE = /^[0-7]{1,4}$/

const ROOT_ENTRY: Found = { type: 'directory', size: 0, mtime: 0 }
const encoder = new TextEncoder()

export class DirectoryTree implements FileSystem {
  readonly backend: FileSystem['backend']
  /** Largest file this filesystem accepts: the caller's cap or the backend's, whichever is smaller. */
  readonly maxFileBytes: number

  constructor(
    private readonly store: ObjectStore,
    private readonly root: string,
    maxFileBytes: number,
  ) {
    this.backend = store.backend
    this.maxFileBytes = Math.min(maxFileBytes, store.maxValueBytes)
  }

  // ---- keys and lookups -------------------------------------------------

  private fileKey(path: string): string {
    return `${this.root}${path}`
  }

  private directoryKey(path: string): string {
    return path === '/' ? `${this.root}/` : `${this.root}${path}/`
  }

  /** Resolves a caller's path and checks that its storage key fits the backend. */
  private resolve(path: string): string {
    const resolved = resolvePath('/', path)
    if (utf8Length(this.directoryKey(resolved)) > this.store.maxKeyBytes) {
      throw nameTooLong(path, `the ${this.backend} backend stores keys of at most ${this.store.maxKeyBytes} bytes including the root '${this.root}/'`)
    }
    return resolved
  }

  /** Resolves a path the caller wants to create, which may not lie under a reserved system directory. */
  private resolveNew(path: string): string {
    const resolved = this.resolve(path)
    refuseReserved(resolved, path)
    return resolved
  }

  private async markerMode(path: string): Promise<number | undefined> {
    const text = new TextDecoder().decode((await this.store.get(this.directoryKey(path))) ?? EMPTY)
    return OCTAL_MODE.test(text) ? Number.parseInt(text, 8) : undefined
  }

  private async lookup(path: string): Promise<Found | null> {
    if (path === '/') return ROOT_ENTRY
    const [file, marker] = await Promise.all([this.store.head(this.fileKey(path)), this.store.head(this.directoryKey(path))])
    if (file) return { type: 'file', size: file.size, mtime: file.mtime }
    if (marker) {
      const mode = marker.size > 0 ? await this.markerMode(path) : undefined
      return { type: 'directory', size: 0, mtime: marker.mtime, ...(mode === undefined ? {} : { mode }) }
    }
    // Listing is the costliest call on R2 (class A), so only when both heads missed.
    if (await this.store.hasKeysUnder(this.directoryKey(path))) return { type: 'directory', size: 0, mtime: 0 }
    return null
  }

  /** Throws the error a read of a missing file deserves: EISDIR for a directory, else ENOENT. */
  private async missingFile(path: string, reportAs: string): Promise<never> {
    const found = await this.lookup(path)
    if (found?.type === 'directory') throw new FsError('EISDIR', reportAs)
    throw new FsError('ENOENT', reportAs)
  }

  /** The parent of `path` must be a directory: ENOENT or ENOTDIR otherwise, unless `parents` creates it. */
  private async requireParent(path: string, reportAs: string, parents = false): Promise<void> {
    const parent = parentPath(path)
    const found = await this.lookup(parent)
    if (found?.type === 'directory') return
    if (found?.type === 'file') throw new FsError('ENOTDIR', reportAs, { hint: `${parent} is a file` })
    if (parents) return this.makeDirectories(parent, reportAs)
    throw new FsError('ENOENT', reportAs, { hint: `the directory ${parent} does not exist; create it first (mkdir -p)` })
  }

  /** mkdir -p: walks up to the nearest existing directory, then writes the missing markers. */
  private async makeDirectories(path: string, reportAs: string, mode?: number): Promise<void> {
    const missing: string[] = []
    for (let current = path; current !== '/'; current = parentPath(current)) {
      const found = await this.lookup(current)
      if (found?.type === 'file') {
        throw new FsError(current === path ? 'EEXIST' : 'ENOTDIR', reportAs, { hint: `${current} is a file` })
      }
      if (found) break
      missing.push(current)
    }
    const now = Date.now()
    // mkdir -p -m applies the mode to the last directory only, as GNU mkdir does.
    await forEachConcurrently(missing, CONCURRENCY, (directory) =>
      this.store.put(this.directoryKey(directory), directory === path ? markerBody(mode) : EMPTY, now),
    )
  }

  private async listTree(directory: string): Promise<{ prefix: string; keys: string[]; tree: KeyTree }> {
    const prefix = this.directoryKey(directory)
    const keys = await this.store.listKeys(prefix)
    return { prefix, keys, tree: describeTree(prefix, keys) }
  }

  // ---- reading ------------------------------------------------------------

  async read(path: string): Promise<Uint8Array> {
    const resolved = this.resolve(path)
    const bytes = resolved === '/' ? null : await this.store.get(this.fileKey(resolved))
    return bytes ?? this.missingFile(resolved, path)
  }

  /** UTF-8, invalid sequences as U+FFFD; a leading BOM is kept (as U+FEFF) like every other byte. */
  async readText(path: string): Promise<string> {
    return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(await this.read(path))
  }

  async readStream(path: string): Promise<ReadableStream<Uint8Array>> {
    const resolved = this.resolve(path)
    const stream = resolved === '/' ? null : await this.store.getStream(this.fileKey(resolved))
    return stream ?? this.missingFile(resolved, path)
  }

  async stat(path: string): Promise<FileStat> {
    const resolved = this.resolve(path)
    const found = await this.lookup(resolved)
    if (!found) throw new FsError('ENOENT', path)
    const mode = found.type === 'file' ? FILE_MODE : (found.mode ?? DIRECTORY_MODE)
    return { path: resolved, type: found.type, size: found.size, mtime: found.mtime, mode }
  }

  async exists(path: string): Promise<boolean> {
    return (await this.lookup(this.resolve(path))) !== null
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const resolved = this.resolve(path)
    const listing = await this.store.listChildren(this.directoryKey(resolved))
    const empty = listing.files.length === 0 && listing.directories.length === 0
    if (empty && !listing.hasMarker && resolved !== '/') {
      if (await this.store.head(this.fileKey(resolved))) throw new FsError('ENOTDIR', path)
      throw new FsError('ENOENT', path)
    }
    const entries = new Map<string, FileType>()
    for (const name of listing.files) entries.set(name, 'file')
    // A name that is both (only possible if someone bypassed fsx) shows as the directory.
    for (const name of listing.directories) entries.set(name, 'directory')
    return [...entries]
      .filter(([name]) => isReachableName(name))
      .sort(([a], [b]) => compareCodePoints(a, b))
      .map(([name, type]) => ({ name, type }))
  }

  async tree(path: string, maxEntries: number): Promise<TreeListing> {
    const resolved = this.resolve(path)
    const prefix = this.directoryKey(resolved)
    const objects = await this.store.listObjects(prefix, objectsToList(maxEntries))
    if (objects.length === 0 && resolved !== '/') await this.readdir(resolved) // ENOENT or ENOTDIR, as readdir says
    const entries = await treeOf(prefix, objects, { file: FILE_MODE, directory: DIRECTORY_MODE }, (relative) =>
      this.markerMode(joinPath(resolved, relative)),
    )
    return limited(entries, objects.length, maxEntries)
  }

  async diskQuota(): Promise<number | undefined> {
    return this.store instanceof QuotaStore ? this.store.quotaBytes() : undefined
  }

  async glob(pattern: string, options: { cwd?: string } = {}): Promise<string[]> {
    const cwd = this.resolve(options.cwd ?? '/')
    const { matcher, baseDirectories, literalPaths } = compileGlob(pattern, cwd)
    if (literalPaths) {
      const found = await Promise.all(literalPaths.map(async (path) => ((await this.lookup(path)) ? path : null)))
      return [...new Set(found.filter((path) => path !== null))].sort(compareCodePoints)
    }
    const bases = baseDirectories.filter((base) => !baseDirectories.some((other) => other !== base && isSameOrInside(base, other)))
    const matches = new Set<string>()
    for (const base of new Set(bases)) {
      const { tree } = await this.listTree(base)
      for (const relative of [...tree.files, ...tree.directories]) {
        if (!relative.split('/').every(isReachableName)) continue
        const absolute = joinPath(base, relative)
        if (matcher.test(absolute)) matches.add(absolute)
      }
    }
    return [...matches].sort(compareCodePoints)
  }

  // ---- writing ------------------------------------------------------------

  /** Checks that `path` may be written as a file; returns what is there now. */
  private async prepareWrite(path: string, reportAs: string, parents?: boolean): Promise<Found | null> {
    if (path === '/') throw new FsError('EISDIR', reportAs)
    const [existing] = await Promise.all([this.lookup(path), this.requireParent(path, reportAs, parents)])
    if (existing?.type === 'directory') throw new FsError('EISDIR', reportAs)
    return existing
  }

  private toBytes(data: string | Uint8Array): Uint8Array {
    return typeof data === 'string' ? encoder.encode(data) : data
  }

  async write(path: string, data: string | Uint8Array | ReadableStream<Uint8Array>, options: WriteOptions = {}): Promise<void> {
    let resolved: string
    try {
      resolved = this.resolveNew(path)
    } catch (error) {
      if (data instanceof ReadableStream) await data.cancel('fsx: write refused')
      throw error
    }
    if (data instanceof ReadableStream) return this.writeStream(resolved, path, data, options)
    const bytes = this.toBytes(data)
    if (bytes.byteLength > this.maxFileBytes) throw tooLarge(path, this.maxFileBytes)
    await this.prepareWrite(resolved, path, options.parents)
    await this.store.put(this.fileKey(resolved), bytes, Date.now())
  }

  private async writeStream(resolved: string, reportAs: string, data: ReadableStream<Uint8Array>, options: WriteOptions): Promise<void> {
    try {
      if (options.size !== undefined && options.size > this.maxFileBytes) throw tooLarge(reportAs, this.maxFileBytes)
      await this.prepareWrite(resolved, reportAs, options.parents)
    } catch (error) {
      // Nobody else will read this stream; cancelling releases its source (e.g. a request body).
      await data.cancel('fsx: write refused')
      throw error
    }
    const limits = { cap: this.maxFileBytes, reportAs, ...(options.size === undefined ? {} : { size: options.size }) }
    await this.store.putStream(this.fileKey(resolved), data, limits, Date.now())
  }

  async append(path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
    const resolved = this.resolveNew(path)
    const bytes = this.toBytes(data)
    const existing = await this.prepareWrite(resolved, path, options.parents)
    if ((existing?.size ?? 0) + bytes.byteLength > this.maxFileBytes) throw tooLarge(path, this.maxFileBytes)
    const before = existing ? ((await this.store.get(this.fileKey(resolved))) ?? EMPTY) : EMPTY
    const combined = concatBytes([before, bytes])
    await this.store.put(this.fileKey(resolved), combined, Date.now())
  }

  async mkdir(path: string, options: MkdirOptions = {}): Promise<void> {
    const resolved = this.resolve(path)
    if (resolved === '/') {
      if (options.recursive) return
      throw new FsError('EEXIST', path)
    }
    refuseReserved(resolved, path)
    if (options.recursive) return this.makeDirectories(resolved, path, options.mode)
    const [existing] = await Promise.all([this.lookup(resolved), this.requireParent(resolved, path)])
    if (existing) throw new FsError('EEXIST', path)
    await this.store.put(this.directoryKey(resolved), markerBody(options.mode), Date.now())
  }

  async rm(path: string, options: { recursive?: boolean; force?: boolean } = {}): Promise<void> {
    const resolved = this.resolve(path)
    if (resolved === '/') throw new FsError('EACCES', path, { hint: 'the root directory cannot be removed' })
    const found = await this.lookup(resolved)
    if (!found) {
      if (options.force) return
      throw new FsError('ENOENT', path)
    }
    if (found.type === 'file') return this.store.delete([this.fileKey(resolved)])
    if (!options.recursive) throw new FsError('EISDIR', path, { hint: 'pass recursive to remove a directory and its contents' })
    const { keys } = await this.listTree(resolved)
    await this.deleteKeys(keys)
  }

  private async deleteKeys(keys: string[]): Promise<void> {
    // Stores batch internally too; chunking here bounds memory per call.
    for (const batch of chunk(keys, 1000)) await this.store.delete(batch)
  }

  // ---- moving and copying ---------------------------------------------------

  async rename(from: string, to: string): Promise<void> {
    const source = this.resolve(from)
    const target = this.resolve(to)
    if (target !== '/') refuseReserved(target, to)
    if (source === '/' || target === '/') throw new FsError('EACCES', source === '/' ? from : to, { hint: 'the root directory cannot be moved or replaced' })
    const found = await this.lookup(source)
    if (!found) throw new FsError('ENOENT', from)
    if (source === target) return
    if (found.type === 'file') {
      await this.prepareWrite(target, to)
      if (!(await this.store.copy(this.fileKey(source), this.fileKey(target)))) throw new FsError('ENOENT', from)
      return this.store.delete([this.fileKey(source)])
    }
    if (isSameOrInside(target, source)) throw new FsError('EINVAL', to, { hint: `cannot move ${from} into itself` })
    const existing = await this.prepareDirectoryTarget(target, to)
    if (existing) {
      const { keys, tree } = await this.listTree(target)
      if (tree.files.size > 0 || tree.directories.size > 0) throw new FsError('ENOTEMPTY', to)
      await this.deleteKeys(keys)
    }
    const { keys } = await this.copyTree(source, target, undefined)
    await this.deleteKeys(keys)
  }

  async copy(from: string, to: string, options: { recursive?: boolean } = {}): Promise<void> {
    const source = this.resolve(from)
    const target = this.resolveNew(to)
    const found = await this.lookup(source)
    if (!found) throw new FsError('ENOENT', from)
    if (source === target) throw new FsError('EINVAL', to, { hint: `${from} and ${to} are the same file` })
    if (found.type === 'file') {
      await this.prepareWrite(target, to)
      if (!(await this.store.copy(this.fileKey(source), this.fileKey(target), Date.now()))) throw new FsError('ENOENT', from)
      return
    }
    if (!options.recursive) throw new FsError('EISDIR', from, { hint: 'pass recursive to copy a directory' })
    if (isSameOrInside(target, source)) throw new FsError('EINVAL', to, { hint: `cannot copy ${from} into itself` })
    if (await this.prepareDirectoryTarget(target, to)) await this.refuseMergeConflicts(source, target, to)
    await this.copyTree(source, target, Date.now())
  }

  /** A directory may land on a missing path (with a parent) or an existing directory; returns whether one exists. */
  private async prepareDirectoryTarget(target: string, reportAs: string): Promise<boolean> {
    const [existing] = await Promise.all([this.lookup(target), this.requireParent(target, reportAs)])
    if (existing?.type === 'file') throw new FsError('ENOTDIR', reportAs)
    return existing !== null
  }

  /** Copying into an existing directory merges, unless a file would meet a directory of the same name. */
  private async refuseMergeConflicts(source: string, target: string, reportAs: string): Promise<void> {
    const [from, to] = await Promise.all([this.listTree(source), this.listTree(target)])
    for (const name of from.tree.files) {
      if (to.tree.directories.has(name)) throw new FsError('EISDIR', joinPath(reportAs, name))
    }
    for (const name of from.tree.directories) {
      if (to.tree.files.has(name)) throw new FsError('ENOTDIR', joinPath(reportAs, name))
    }
  }

  /**
   * Copies every key under `source` to the same place under `target`;
   * `mtime` undefined keeps each object's own (rename), a number sets it (copy).
   */
  private async copyTree(source: string, target: string, mtime: number | undefined): Promise<{ keys: string[] }> {
    const { prefix, keys } = await this.listTree(source)
    const targetPrefix = this.directoryKey(target)
    // The target gets a marker even when the source directory was only implied by its contents.
    if (!keys.includes(prefix)) await this.store.put(targetPrefix, EMPTY, mtime ?? Date.now())
    await forEachConcurrently(keys, CONCURRENCY, async (key) => {
      await this.store.copy(key, `${targetPrefix}${key.slice(prefix.length)}`, mtime)
    })
    return { keys }
  }
}
