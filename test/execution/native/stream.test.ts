/**
 * The pipes between pipeline stages: bounded (a writer that awaits drain()
 * is never more than its high-water mark plus one write ahead of its
 * reader), broken once the reader closes (BrokenPipe, which a utility turns
 * into status 141), and readable as chunks, records or whole (capped).
 * Memory is asserted structurally, through the most a pipe ever held.
 */
import { describe, expect, it } from 'vitest'
import { runNativeStream, SIGPIPE_STATUS } from '../../../src/execution/native/executor'
import { BrokenPipe, BytePipe, ByteReader, InputTooLarge, PIPE_HIGH_WATER_BYTES } from '../../../src/execution/native/stream'
import { decodeUtf8, encodeUtf8 } from '../../../src/execution/native/text'
import { freshFs } from './harness'

function stage(argv: string[], stdin: ByteReader, pipe: BytePipe) {
  const [operation = '', ...args] = argv
  const stderr = new BytePipe()
  return runNativeStream({
    operation,
    args,
    fs: freshFs(),
    cwd: '/',
    env: {},
    stdin,
    stdout: pipe.writer(),
    stderr: stderr.writer(),
    timeoutMs: 10_000,
    run: () => Promise.reject(new Error('no command runs here')),
  })
}

describe('BytePipe', () => {
  it('keeps a draining writer within its high-water mark plus one write of its reader', async () => {
    const pipe = new BytePipe(1024)
    const chunk = new Uint8Array(100)
    const writer = (async () => {
      for (let i = 0; i < 1000; i++) {
        pipe.write(chunk)
        await pipe.drain()
      }
      pipe.close()
    })()
    let received = 0
    for (let piece = await pipe.read(); piece; piece = await pipe.read()) received += piece.length
    await writer
    expect(received).toBe(100_000)
    expect(pipe.peak).toBeLessThanOrEqual(1024 + 100)
  })

  it('fails the writer with BrokenPipe once the reader has closed, and drops what it held', async () => {
    const pipe = new BytePipe(16)
    pipe.write('0123456789abcdef')
    const waiting = pipe.drain()
    pipe.cancel()
    await expect(waiting).rejects.toBeInstanceOf(BrokenPipe)
    expect(() => pipe.write('x')).toThrow(BrokenPipe)
    expect(await pipe.read()).toBeUndefined()
  })

  it('gives the reader what was written, then end of input after close', async () => {
    const pipe = new BytePipe()
    pipe.write('a\nb')
    pipe.write('c\n')
    pipe.close()
    const reader = ByteReader.fromPipe(pipe)
    expect(await reader.readRecord(10)).toEqual({ text: 'a', complete: true })
    expect(await reader.readRecord(10)).toEqual({ text: 'bc', complete: true })
    expect(await reader.readRecord(10)).toBeUndefined()
  })
})

describe('ByteReader', () => {
  it('returns the last record without its delimiter as incomplete', async () => {
    const reader = ByteReader.of(encodeUtf8('x:y'))
    expect(await reader.readRecord(58)).toEqual({ text: 'x', complete: true })
    expect(await reader.readRecord(58)).toEqual({ text: 'y', complete: false })
  })

  it('fails readAll past its cap instead of returning a prefix', async () => {
    await expect(ByteReader.of(new Uint8Array(11)).readAll(10)).rejects.toBeInstanceOf(InputTooLarge)
    expect((await ByteReader.of(new Uint8Array(10)).readAll(10)).length).toBe(10)
  })
})

describe('utilities over pipes', () => {
  it('stops yes with 141 when its reader closes, never more than a pipe ahead of it', async () => {
    const pipe = new BytePipe()
    const running = stage(['yes'], ByteReader.of(), pipe)
    let read = 0
    while (read < 4 * PIPE_HIGH_WATER_BYTES) read += (await pipe.read())?.length ?? 0
    pipe.cancel()
    const result = await running
    expect(result.exitCode).toBe(SIGPIPE_STATUS)
    // yes writes 8 KiB blocks: the pipe held at most its mark plus one of them.
    expect(pipe.peak).toBeLessThanOrEqual(PIPE_HIGH_WATER_BYTES + 8192)
  })

  it('lets head take its lines from an endless producer and end it', async () => {
    const between = new BytePipe()
    const out = new BytePipe(Number.MAX_SAFE_INTEGER)
    const producer = stage(['seq', '1', '100000000'], ByteReader.of(), between)
    const consumer = stage(['head', '-n', '2'], ByteReader.fromPipe(between), out).finally(() => between.cancel())
    expect((await consumer).exitCode).toBe(0)
    expect((await producer).exitCode).toBe(SIGPIPE_STATUS)
    out.close()
    expect(decodeUtf8(await ByteReader.fromPipe(out).readAll())).toBe('1\n2\n')
    expect(between.peak).toBeLessThan(2 * PIPE_HIGH_WATER_BYTES)
  })

  it('counts a stream chunk by chunk with wc, however it is cut', async () => {
    const between = new BytePipe(7)
    const out = new BytePipe(Number.MAX_SAFE_INTEGER)
    const consumer = stage(['wc'], ByteReader.fromPipe(between), out)
    // Cut inside a word, and inside é's two bytes.
    const text = encodeUtf8('one two\nthree é\nfour')
    for (const [start, end] of [[0, 6], [6, 13], [13, 15], [15, 21]] as const) {
      between.write(text.slice(start, end))
      await between.drain()
    }
    between.close()
    expect((await consumer).exitCode).toBe(0)
    out.close()
    expect(decodeUtf8(await ByteReader.fromPipe(out).readAll())).toBe('      2       5      21\n')
  })
})
