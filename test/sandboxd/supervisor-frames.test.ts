/** The frame protocol between sandboxd and a warm sandbox's supervisor, byte for byte. */
import { describe, expect, it } from 'vitest'
import { encodeFrame, encodeRun, FrameReader, parseExit } from '../../sandboxd/runner/supervisor-frames'

const LIMITS = { addressSpaceBytes: 1024, cpuSeconds: 60, maxProcesses: 128, maxFileBytes: 2048 }

describe('supervisor frames', () => {
  it('a frame is its type byte, a little-endian length and the payload', () => {
    expect([...encodeFrame('I', Buffer.from('hi'))]).toEqual([0x49, 2, 0, 0, 0, 0x68, 0x69])
    expect([...encodeFrame('E')]).toEqual([0x45, 0, 0, 0, 0])
  })

  it('a run is NUL-terminated fields: timeout, limits, cwd, argv and env, each list after its count', () => {
    const frame = encodeRun({ cwd: '/sub', argv: ['sh', '-c', 'echo é'], env: { A: '1', B: 'x=y' }, limits: LIMITS, timeoutMs: 500 })
    expect(frame.toString('latin1', 0, 1)).toBe('R')
    expect(frame.readUInt32LE(1)).toBe(frame.length - 5)
    expect(frame.subarray(5).toString('utf8').split('\0')).toEqual(['500', '1024', '60', '128', '2048', '/sub', '3', 'sh', '-c', 'echo é', '2', 'A=1', 'B=x=y', ''])
  })

  it('refuses a NUL inside an argument, which would split it', () => {
    expect(() => encodeRun({ cwd: '/', argv: ['a\0b'], env: {}, limits: LIMITS, timeoutMs: 1 })).toThrow('NUL byte')
  })

  it('reads frames split across chunks and several in one chunk', () => {
    const reader = new FrameReader()
    const bytes = Buffer.concat([encodeFrame('O', Buffer.from('out')), encodeFrame('e', Buffer.from('err')), encodeFrame('X', Buffer.from('0 0 1 2 3 1'))])
    const frames = [...reader.push(bytes.subarray(0, 3)), ...reader.push(bytes.subarray(3, 12)), ...reader.push(bytes.subarray(12))]
    expect(frames.map((frame) => [frame.type, frame.payload.toString()])).toEqual([
      ['O', 'out'],
      ['e', 'err'],
      ['X', '0 0 1 2 3 1'],
    ])
  })

  it('refuses a frame longer than the limit instead of buffering it', () => {
    const header = Buffer.from([0x4f, 0xff, 0xff, 0xff, 0xff])
    expect(() => new FrameReader().push(header)).toThrow('over the')
  })

  it('parses the exit report: code, timed out, CPU ms, peak RSS, clean', () => {
    expect(parseExit(Buffer.from('137 1 12 3 2048 0'))).toEqual({ exitCode: 137, timedOut: true, usage: { cpuUserMs: 12, cpuSystemMs: 3, maxRssKb: 2048 }, clean: false })
    expect(() => parseExit(Buffer.from('0 0 x'))).toThrow('malformed exit report')
  })
})
