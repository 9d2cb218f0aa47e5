/**
 * The three backends under test, each with a fresh root per filesystem so
 * tests never see each other's files, and a way to put a raw object into the
 * store behind fsx's back (what a sandbox sync or another tool would do).
 */
import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import type { FileSystem } from '../../../types/execution'
import { createFileSystem, isFsError, type FileSystemBackend } from '../../../src/execution/fsx/index'
import { MemoryStore } from '../../../src/execution/fsx/memory-store'

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
