/**
 * Applies redirections to a command's descriptors, left to right as bash
 * does (`>f 2>&1` differs from `2>&1 >f`): files (truncated on `>` before
 * the command runs, written when it ends), here-documents and here-strings,
 * duplication and closing of fds 0-2, and /dev/null, /dev/stdout,
 * /dev/stderr, /dev/stdin.
 */
import { isFsError } from '../fsx/errors'
import { resolvePath } from '../fsx/paths'
import { encodeUtf8 } from '../native/text'
import type { Redirect } from './ast'
import { expandString, expandWords } from './expand'
import { ClosedSink, FileSink, NullSink, type IO, type Sink } from './io'
import { ByteReader } from '../native/stream'
import type { Shell } from './interpreter'

/** A redirection that could not be set up; the message is bash's (`x: No such file or directory`). */
export class RedirectFailed extends Error {
  override readonly name = 'RedirectFailed'
}

interface Applied {
  io: IO
  flush(): Promise<void>
}

function sinkOf(io: IO, fd: number): Sink | undefined {
  return fd === 1 ? io.stdout : fd === 2 ? io.stderr : undefined
}

function setSink(io: IO, fd: number, sink: Sink): void {
  if (fd === 2) io.stderr = sink
  else io.stdout = sink
}

async function target(redirect: Redirect & { kind: 'file' }, shell: Shell): Promise<string> {
  const fields = await expandWords([redirect.target], shell)
  if (fields.length !== 1) throw new RedirectFailed(`${await expandString(redirect.target, shell)}: ambiguous redirect`)
  return fields[0] as string
}

export async function applyRedirects(redirects: readonly Redirect[], io: IO, shell: Shell): Promise<Applied> {
  const result: IO = { ...io }
  const files: FileSink[] = []
  const flush = async () => {
    for (const file of files) await file.flush(shell.fs)
  }
  try {
    for (const redirect of redirects) {
      if (redirect.fd > 2) throw new RedirectFailed(`${redirect.fd}: only descriptors 0, 1 and 2 are available on tier 1`)
      if (redirect.kind === 'close') {
        if (redirect.fd === 0) result.stdin = ByteReader.of()
        else setSink(result, redirect.fd, new ClosedSink())
        continue
      }
      if (redirect.kind === 'duplicate') {
        if (redirect.fd === 0 || redirect.from === 0) {
          if (redirect.fd !== redirect.from) throw new RedirectFailed(`${redirect.fd}<&${redirect.from}: duplicating standard input is not available on tier 1`)
          continue
        }
        const from = sinkOf(result, redirect.from)
        if (!from) throw new RedirectFailed(`${redirect.from}: Bad file descriptor`)
        setSink(result, redirect.fd, from)
        continue
      }
      if (redirect.kind === 'heredoc') {
        result.stdin = ByteReader.of(encodeUtf8(await expandString(redirect.body, shell)))
        continue
      }
      const name = await target(redirect, shell)
      try {
        if (redirect.mode === 'read') {
          result.stdin = name === '/dev/null' ? ByteReader.of() : name === '/dev/stdin' ? result.stdin : ByteReader.of(await shell.fs.read(resolvePath(shell.cwd, name)))
          continue
        }
        if (name === '/dev/null') setSink(result, redirect.fd, new NullSink())
        else if (name === '/dev/stdout' || name === '/dev/stderr') setSink(result, redirect.fd, name === '/dev/stdout' ? io.stdout : io.stderr)
        else {
          const path = resolvePath(shell.cwd, name)
          if (redirect.mode === 'write') await shell.fs.write(path, new Uint8Array(0))
          else await shell.fs.append(path, new Uint8Array(0))
          const sink = new FileSink(path)
          files.push(sink)
          setSink(result, redirect.fd, sink)
        }
      } catch (thrown) {
        if (isFsError(thrown)) throw new RedirectFailed(`${name}: ${thrown.reason}`)
        throw thrown
      }
    }
  } catch (thrown) {
    await flush()
    throw thrown
  }
  return { io: result, flush }
}
