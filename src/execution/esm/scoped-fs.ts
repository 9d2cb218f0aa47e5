/**
 * A module's view of fsx: an RpcTarget handed to each call as an argument,
 * so the module's isolate holds only a stub whose every method runs here in
 * the fabric, against the caller's filesystem (already confined to its
 * tenant, or agent, root by fsx). The isolate gets no binding: it cannot name
 * another tenant's files, R2, or the module store. The stub is released when
 * the call returns, so a module cannot keep it for a later call.
 */
import { RpcTarget } from 'cloudflare:workers'
import { z } from 'zod'
import type { FileSystem, ModuleFileSystem } from '../../../types/execution'

// The caller is untrusted code: every argument is parsed, never assumed.
const PathSchema = z.string({ error: 'a path must be a string' })
const DataSchema = z.union([z.string(), z.instanceof(Uint8Array)], { error: 'data must be a string or a Uint8Array' })

/** A TypeError with the schema's message: a ZodError's own message would not survive the trip over RPC. */
function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new TypeError(result.error.issues[0]?.message ?? 'invalid argument')
  return result.data
}

export class ScopedModuleFs extends RpcTarget implements ModuleFileSystem {
  readonly #fs: FileSystem

  constructor(fs: FileSystem) {
    super()
    this.#fs = fs
  }

  read(path: string): Promise<string> {
    return this.#fs.readText(parsed(PathSchema, path))
  }

  readBytes(path: string): Promise<Uint8Array> {
    return this.#fs.read(parsed(PathSchema, path))
  }

  write(path: string, data: string | Uint8Array): Promise<void> {
    return this.#fs.write(parsed(PathSchema, path), parsed(DataSchema, data))
  }

  async readdir(path: string): Promise<string[]> {
    return (await this.#fs.readdir(parsed(PathSchema, path))).map((entry) => entry.name)
  }

  exists(path: string): Promise<boolean> {
    return this.#fs.exists(parsed(PathSchema, path))
  }
}
