/**
 * The wire between sandboxd and a warm sandbox's supervisor (supervisor.c):
 * frames of one type byte, a 4-byte little-endian length and the payload.
 * Pure functions, unit-tested without a sandbox.
 */
import type { ResourceUsage } from '../protocol.ts'
import type { ResolvedLimits } from '../isolation/limits.ts'

/** sandboxd → supervisor. */
export const TO_SUPERVISOR = { run: 'R', stdin: 'I', stdinEnd: 'E', kill: 'K' } as const
/** supervisor → sandboxd. */
export const FROM_SUPERVISOR = { ready: 'W', stdout: 'O', stderr: 'e', exit: 'X' } as const

const HEADER_BYTES = 5
/** The supervisor refuses larger frames; stdin is sent in chunks well below it. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024
export const STDIN_CHUNK_BYTES = 1024 * 1024

export interface Frame {
  type: string
  payload: Buffer
}

export function encodeFrame(type: string, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(HEADER_BYTES)
  header.write(type, 0, 'latin1')
  header.writeUInt32LE(payload.length, 1)
  return Buffer.concat([header, payload])
}

export interface RunFrame {
  /** Absolute, inside the sandbox. */
  cwd: string
  argv: string[]
  env: Record<string, string>
  limits: Pick<ResolvedLimits, 'addressSpaceBytes' | 'cpuSeconds' | 'maxProcesses' | 'maxFileBytes'>
  timeoutMs: number
}

/** NUL-terminated fields; a NUL inside an argument or variable would split it, so it is refused. */
export function encodeRun(run: RunFrame): Buffer {
  const env = Object.entries(run.env).map(([name, value]) => `${name}=${value}`)
  const fields = [
    String(run.timeoutMs),
    String(run.limits.addressSpaceBytes),
    String(run.limits.cpuSeconds),
    String(run.limits.maxProcesses),
    String(run.limits.maxFileBytes),
    run.cwd,
    String(run.argv.length),
    ...run.argv,
    String(env.length),
    ...env,
  ]
  if (fields.some((field) => field.includes('\0'))) throw new Error('an argument, variable or cwd contains a NUL byte')
  return encodeFrame(TO_SUPERVISOR.run, Buffer.from(fields.map((field) => `${field}\0`).join(''), 'utf8'))
}

/** Splits a byte stream into frames, across chunk boundaries. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0)

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    const frames: Frame[] = []
    while (this.pending.length >= HEADER_BYTES) {
      const length = this.pending.readUInt32LE(1)
      if (length > MAX_FRAME_BYTES) throw new Error(`supervisor frame of ${length} bytes is over the ${MAX_FRAME_BYTES}-byte limit`)
      if (this.pending.length < HEADER_BYTES + length) break
      frames.push({ type: this.pending.toString('latin1', 0, 1), payload: this.pending.subarray(HEADER_BYTES, HEADER_BYTES + length) })
      this.pending = this.pending.subarray(HEADER_BYTES + length)
    }
    return frames
  }
}

export interface ExitReport {
  exitCode: number
  timedOut: boolean
  usage: ResourceUsage
  /** False when /tmp could not be emptied: the sandbox is not reused. */
  clean: boolean
}

export function parseExit(payload: Buffer): ExitReport {
  const fields = payload.toString('latin1').split(' ').map(Number)
  if (fields.length !== 6 || fields.some((field) => !Number.isInteger(field))) throw new Error(`malformed exit report from the supervisor: '${payload.toString('latin1')}'`)
  const [exitCode = 1, timedOut, cpuUserMs = 0, cpuSystemMs = 0, maxRssKb = 0, clean] = fields
  return { exitCode, timedOut: timedOut === 1, usage: { cpuUserMs, cpuSystemMs, maxRssKb }, clean: clean === 1 }
}
