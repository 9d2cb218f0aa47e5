/** The small parts: bearer check, capped output, the per-sandbox lock, and path normalisation of the protocol. */
import { describe, expect, it } from 'vitest'
import { createAuthenticator } from '../../sandboxd/auth'
import { CappedOutput, decodeOutput } from '../../sandboxd/runner/capped-output'
import { KeyedMutex } from '../../sandboxd/sandbox/keyed-mutex'
import { ExecRequestSchema, RelativePathSchema } from '../../sandboxd/protocol'

describe('createAuthenticator', () => {
  const authenticate = createAuthenticator('the-shared-secret-123')
  it('accepts exactly "Bearer <secret>"', () => {
    expect(authenticate('Bearer the-shared-secret-123')).toBe(true)
    expect(authenticate('Bearer the-shared-secret-1234')).toBe(false)
    expect(authenticate('bearer the-shared-secret-123')).toBe(false)
    expect(authenticate('the-shared-secret-123')).toBe(false)
    expect(authenticate(undefined)).toBe(false)
    expect(authenticate('Bearer ')).toBe(false)
  })
})

describe('CappedOutput', () => {
  it('keeps the first maxBytes, counts the rest, and reports truncation', () => {
    const output = new CappedOutput(5)
    output.push(Buffer.from('abc'))
    output.push(Buffer.from('defgh'))
    output.push(Buffer.from('ij'))
    expect(output.bytes().toString()).toBe('abcde')
    expect(output.totalBytes).toBe(10)
    expect(output.truncated).toBe(true)
  })

  it('decodes UTF-8, drops a character cut at the cap, and gives non-UTF-8 as base64', () => {
    expect(decodeOutput(Buffer.from('héllo'), false)).toEqual({ text: 'héllo' })
    expect(decodeOutput(Buffer.from('h\u00e9').subarray(0, 2), true)).toEqual({ text: 'h' })
    expect(decodeOutput(Buffer.from([0xff, 0x41]), false)).toEqual({ text: '\ufffdA', base64: '/0E=' })
  })
})

describe('KeyedMutex', () => {
  it('runs tasks of one key one after another, other keys alongside, and survives a failing task', async () => {
    const mutex = new KeyedMutex()
    const order: string[] = []
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const first = mutex.run('a', async () => {
      order.push('a1 start')
      await gate
      order.push('a1 end')
      throw new Error('a1 failed')
    })
    const second = mutex.run('a', async () => order.push('a2'))
    const other = mutex.run('b', async () => order.push('b1'))
    await other
    expect(order).toEqual(['a1 start', 'b1'])
    release()
    await expect(first).rejects.toThrow('a1 failed')
    await second
    expect(order).toEqual(['a1 start', 'b1', 'a1 end', 'a2'])
  })
})

describe('protocol paths', () => {
  it("normalises relative paths and refuses '..' and control characters", () => {
    expect(RelativePathSchema.parse('/a//b/./c/')).toBe('a/b/c')
    expect(RelativePathSchema.parse('.')).toBe('')
    expect(RelativePathSchema.safeParse('a/../b').success).toBe(false)
    expect(RelativePathSchema.safeParse('a\u0000b').success).toBe(false)
    expect(ExecRequestSchema.parse({ argv: ['ls'], cwd: '/src/' }).cwd).toBe('src')
  })
})
