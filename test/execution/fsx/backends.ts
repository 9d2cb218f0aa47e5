/**
 * The three backends under test, each with a fresh root per filesystem so
 * tests never see each other's files, and a way to put a raw object into the
 * store behind fsx's back (what a sandbox sync or another tool would do).
 */
import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import type { FileSystem, TreeEntry } from '../../../types/execution'
import { createFileSystem, isFsError, type FileSystemBackend } from '../../../src/execution/fsx/index'
import { MemoryStore } from '../../../src/execution/fsx/memory-store'
import { compareCodePoints, joinPath } from '../../../src/execution/fsx/paths'

export const BACKENDS: readonly FileSystemBackend[] = ['memory', 'r2', 'kv']

export function freshRoot(): string {
  return `tenants/t${crypto.randomUUID().replaceAll('-', '')}`
}

export function openFs(backend: FileSystemBackend, root = freshRoot(), maxFileBytes?: number): FileSystem {
  return createFileSystem(backend, {
    root,
    bindings: { FILES: env.FILES, KV: env.KV },
    ...(maxFileBytes === undefined ? {} : { maxFileBytes }),
  })
}

/** Stores `body` under the raw storage key, without fsx's directory markers or metadata. */
export async function putRaw(backend: FileSystemBackend, key: string, body: string): Promise<void> {
  if (backend === 'r2') await env.FILES.put(key, body)
  else if (backend === 'kv') await env.KV.put(key, body)
  else await new MemoryStore().put(key, new TextEncoder().encode(body), 0)
}

export const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i)
/** Not UTF-8: a lone continuation byte, an overlong encoding, a truncated sequence. */
export const INVALID_UTF8 = Uint8Array.of(0x80, 0xc0, 0xaf, 0xe2, 0x82, 0xff, 0xfe)

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** A stream of `total` bytes (value = index mod 251) in chunks of `chunkBytes`, length not announced. */
export function patternStream(total: number, chunkBytes: number): ReadableStream<Uint8Array> {
  let sent = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close()
      const size = Math.min(chunkBytes, total - sent)
      controller.enqueue(Uint8Array.from({ length: size }, (_, i) => (sent + i) % 251))
      sent += size
    },
  })
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** Asserts that `action` fails with an FsError of `code` naming `path` exactly as the caller gave it. */
export async function expectFsError(action: Promise<unknown>, code: string, path: string): Promise<void> {
  await expect(action).rejects.toSatisfy((error: unknown) => {
    return isFsError(error) && error.code === code && error.path === path && error.message.includes(`'${path}'`)
  })
}

/**
 * What `tree` must answer, found the slow way: readdir from `root` down and stat of each entry, leaving out
 * what either refuses with EACCES (a guarded fs) the way a walk would: a directory that cannot be listed
 * keeps the entry its parent's listing gave it, without a mode, and nothing under it.
 */
export async function walkedTree(fs: FileSystem, root = '/'): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = []
  const unlessRefused = <T>(access: Promise<T>): Promise<T | undefined> =>
    access.catch((error: unknown) => {
      if (isFsError(error) && error.code === 'EACCES') return undefined
      throw error
    })
  const pending = ['']
  while (pending.length > 0) {
    const dir = pending.shift() ?? ''
    for (const child of (await unlessRefused(fs.readdir(joinPath(root, dir)))) ?? []) {
      const path = dir === '' ? child.name : `${dir}/${child.name}`
      const stat = await unlessRefused(fs.stat(joinPath(root, path)))
      if (child.type === 'directory') pending.push(path)
      if (stat) entries.push({ path, type: stat.type, size: stat.size, mtime: stat.mtime, mode: stat.mode })
      else if (child.type === 'directory') entries.push({ path, type: 'directory', size: 0, mtime: 0 })
    }
  }
  return entries.sort((a, b) => compareCodePoints(a.path, b.path))
}
