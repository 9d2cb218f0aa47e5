/**
 * Depth-first walks over fsx for find, grep -r, ls -R and tar -c. Entries come in
 * code-point order of their names (GNU find and grep use readdir order,
 * which is arbitrary; sorting makes our output reproducible).
 */
import type { FileType } from '../../../types/execution'
import { compareCodePoints, joinPath } from '../fsx/paths'
import type { CommandContext } from './context'

export interface WalkEntry {
  /** The path as the user sees it: the operand joined with the names below it. */
  display: string
  absolute: string
  type: FileType
  depth: number
}

export function joinDisplay(base: string, name: string): string {
  if (base === '') return name
  return base.endsWith('/') ? `${base}${name}` : `${base}/${name}`
}

export interface WalkOptions {
  /** Do not list the children of entries at this depth. */
  maxDepth?: number
  /** Called when a directory cannot be listed; the walk goes on. */
  onError: (entry: WalkEntry, thrown: unknown) => void
  /** Whether to descend into a directory (default: always). */
  descend?: (entry: WalkEntry) => boolean
}

/** Yields `root` and everything below it, parents before children. */
export async function* walk(ctx: CommandContext, root: WalkEntry, options: WalkOptions): AsyncGenerator<WalkEntry> {
  ctx.signal.throwIfAborted()
  yield root
  if (root.type !== 'directory') return
  if (options.maxDepth !== undefined && root.depth >= options.maxDepth) return
  if (options.descend && !options.descend(root)) return
  let children
  try {
    children = await ctx.fs.readdir(root.absolute)
  } catch (thrown) {
    options.onError(root, thrown)
    return
  }
  children.sort((a, b) => compareCodePoints(a.name, b.name))
  for (const child of children) {
    yield* walk(
      ctx,
      {
        display: joinDisplay(root.display, child.name),
        absolute: joinPath(root.absolute, child.name),
        type: child.type,
        depth: root.depth + 1,
      },
      options,
    )
  }
}

/** `root` and everything below it as (display, type) pairs, parents first: what cp -rv and rm -rv report. */
export async function treeEntries(ctx: CommandContext, absolute: string, display: string): Promise<Array<{ display: string; type: FileType }>> {
  const entries: Array<{ display: string; type: FileType }> = []
  const root: WalkEntry = { display, absolute, type: (await ctx.fs.stat(absolute)).type, depth: 0 }
  for await (const entry of walk(ctx, root, { onError: () => undefined })) entries.push({ display: entry.display, type: entry.type })
  return entries
}
