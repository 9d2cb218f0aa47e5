/**
 * A directory's whole tree from one listing of its keys (`FileSystem.tree`): every file with the size
 * and mtime its object has, every directory with its marker's mtime or none (only implied by what is
 * inside it), as `readdir` and `stat` would find them walking down, but without a request per entry.
 * A name that is both a file and a directory (only possible if someone bypassed fsx) is the directory,
 * as `readdir` shows it; names `readdir` hides (isReachableName) are left out with what is under them.
 */
import type { TreeEntry, TreeListing } from '../../../types/execution'
import { describeTree, type ListedObject } from './object-store'
import { compareCodePoints, isReachableName } from './paths'

/** What stat says of each kind, except a directory whose marker keeps a mode (the caller reads it). */
export interface TreeModes {
  file: number
  directory: number
}

/**
 * The entries under `prefix` (a directory's key, ending in '/') given every object under it. `markerMode`
 * reads a mode a marker keeps; it is asked only for markers that have a body (mkdir -m).
 */
export async function treeOf(
  prefix: string,
  objects: readonly ListedObject[],
  modes: TreeModes,
  markerMode: (relative: string) => Promise<number | undefined>,
): Promise<TreeEntry[]> {
  const byKey = new Map(objects.map((object) => [object.key, object]))
  const { files, directories } = describeTree(prefix, byKey.keys())
  const entries: TreeEntry[] = []
  for (const path of directories) {
    if (!isReachable(path)) continue
    const marker = byKey.get(`${prefix}${path}/`)
    const kept = marker && marker.size > 0 ? await markerMode(path) : undefined
    entries.push({ path, type: 'directory', size: 0, mtime: marker?.mtime ?? 0, mode: kept ?? modes.directory })
  }
  for (const path of files) {
    const object = byKey.get(`${prefix}${path}`)
    if (!object || directories.has(path) || !isReachable(path)) continue
    entries.push({ path, type: 'file', size: object.size, mtime: object.mtime, mode: modes.file })
  }
  return entries.sort((a, b) => compareCodePoints(a.path, b.path))
}

function isReachable(path: string): boolean {
  return path.split('/').every(isReachableName)
}

/**
 * Lists at most `maxEntries` entries: every object under the directory but its own marker is one entry (a
 * file, or a directory's marker), so `maxEntries + 2` objects are enough to know whether there are more.
 */
export function objectsToList(maxEntries: number): number {
  return maxEntries + 2
}

/** The listing, cut to `maxEntries` when the tree holds more (then marked truncated); a full page of objects means more. */
export function limited(entries: TreeEntry[], objectCount: number, maxEntries: number): TreeListing {
  const truncated = entries.length > maxEntries || objectCount >= objectsToList(maxEntries)
  return { entries: truncated ? entries.slice(0, maxEntries) : entries, truncated }
}
