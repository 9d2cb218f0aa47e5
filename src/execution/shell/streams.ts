/**
 * Where a stage's file descriptors point once its redirections are applied,
 * and delivering its output there. Descriptors 0–2 only. Files opened with
 * `>` are truncated before the stage runs (so `cat a > a` empties a, as in
 * sh); output reaches files by appending after the stage finishes. When
 * stdout and stderr share a target, stdout's bytes come first: stages return
 * them separately, so their interleaving is lost.
 */
import type { FileSystem } from '../../../types/execution'
import { isFsError } from '../fsx/errors'
import { resolvePath } from '../fsx/paths'
import { encodeUtf8 } from '../native/text'
import type { Redirect } from './ast'

export type Sink =
  | { kind: 'pipe' }
  | { kind: 'shell-stdout' }
  | { kind: 'shell-stderr' }
  | { kind: 'file'; path: string }
  | { kind: 'null' }

export type Source = { kind: 'pipe' } | { kind: 'bytes'; bytes: Uint8Array }

export interface Streams {
  stdin: Source
  stdout: Sink
  stderr: Sink
}

/** A redirection that could not be set up; the message is sh's (`sh: x: No such file or directory`). */
export class RedirectFailed extends Error {
  override readonly name = 'RedirectFailed'
}

export interface RedirectScope {
  fs: FileSystem
  cwd: string
  /** Expands a target word to exactly one field (or throws RedirectFailed). */
  target(redirect: Redirect & { kind: 'file' }): Promise<string>
}

const DEVICE_SINKS: Readonly<Record<string, (streams: Streams) => Sink>> = {
  '/dev/null': () => ({ kind: 'null' }),
  '/dev/stdout': (streams) => streams.stdout,
  '/dev/stderr': (streams) => streams.stderr,
}

function sinkOf(streams: Streams, fd: number): Sink {
  return fd === 2 ? streams.stderr : streams.stdout
}

function setSink(streams: Streams, fd: number, sink: Sink): void {
  if (fd === 2) streams.stderr = sink
  else streams.stdout = sink
}

async function openFile(redirect: Redirect & { kind: 'file' }, name: string, streams: Streams, scope: RedirectScope): Promise<void> {
  const device = DEVICE_SINKS[name]
  if (redirect.mode === 'read') {
    const bytes = name === '/dev/null' ? new Uint8Array(0) : await scope.fs.read(resolvePath(scope.cwd, name))
    streams.stdin = { kind: 'bytes', bytes }
    return
  }
  if (device) return setSink(streams, redirect.fd, device(streams))
  const path = resolvePath(scope.cwd, name)
  if (redirect.mode === 'write') await scope.fs.write(path, new Uint8Array(0))
  else await scope.fs.append(path, new Uint8Array(0))
  setSink(streams, redirect.fd, { kind: 'file', path })
}

/** Applies redirections left to right, as sh does (`>f 2>&1` differs from `2>&1 >f`). */
export async function applyRedirects(redirects: readonly Redirect[], streams: Streams, scope: RedirectScope): Promise<Streams> {
  const result = { ...streams }
  for (const redirect of redirects) {
    if (redirect.fd > 2) throw new RedirectFailed(`${redirect.fd}: only file descriptors 0, 1 and 2 are supported`)
    if (redirect.kind === 'duplicate') {
      if (redirect.fd === 0 || redirect.from === 0) throw new RedirectFailed(`${redirect.fd}<&${redirect.from}: duplicating standard input is not supported`)
      if (redirect.from > 2) throw new RedirectFailed(`${redirect.from}: Bad file descriptor`)
      setSink(result, redirect.fd, sinkOf(result, redirect.from))
      continue
    }
    const name = await scope.target(redirect)
    try {
      await openFile(redirect, name, result, scope)
    } catch (thrown) {
      if (isFsError(thrown)) throw new RedirectFailed(`${name}: ${thrown.reason}`)
      throw thrown
    }
  }
  return result
}

/** Collects what reaches the shell's own stdout/stderr and the next stage's stdin. */
export class OutputRouter {
  readonly stdout: Uint8Array[] = []
  stderr = ''
  pipe: Uint8Array[] = []

  constructor(private readonly fs: FileSystem) {}

  async deliver(sink: Sink, bytes: Uint8Array, text: () => string): Promise<void> {
    if (bytes.length === 0) return
    switch (sink.kind) {
      case 'pipe':
        this.pipe.push(bytes)
        return
      case 'shell-stdout':
        this.stdout.push(bytes)
        return
      case 'shell-stderr':
        this.stderr += text()
        return
      case 'file':
        await this.fs.append(sink.path, bytes)
        return
      case 'null':
        return
    }
  }

  async deliverText(sink: Sink, text: string): Promise<void> {
    await this.deliver(sink, encodeUtf8(text), () => text)
  }
}
