import { describe, expect, it } from 'vitest'
import { ALL_BYTES, BACKENDS, expectFsError, freshRoot, openFs, patternStream, readAll } from './backends'

/** Which backends accept a path of this many bytes under a fresh root (KV keys stop at 512 bytes, R2's at 1024). */
const KEY_LIMITS = { memory: 1024, r2: 1024, kv: 512 } as const

describe.each(BACKENDS)('fsx %s: limits and streams', (backend) => {
  it('refuses writes and appends beyond maxFileBytes with EFBIG and leaves the file as it was', async () => {
    const fs = openFs(backend, freshRoot(), 10)
    await fs.write('/ten', '0123456789')
    await expectFsError(fs.write('/eleven', '01234567890'), 'EFBIG', '/eleven')
    await expectFsError(fs.append('/ten', 'x'), 'EFBIG', '/ten')
    await expectFsError(fs.write('/s', patternStream(11, 4)), 'EFBIG', '/s')
    await expectFsError(fs.write('/s', patternStream(5, 5), { size: 11 }), 'EFBIG', '/s')
    expect(await fs.readText('/ten')).toBe('0123456789')
    expect(await fs.exists('/eleven')).toBe(false)
    expect(await fs.exists('/s')).toBe(false)
  })

  it('stores a stream of unknown length byte for byte', async () => {
    const fs = openFs(backend)
    await fs.write('/streamed', patternStream(100_000, 7_000))
    const expected = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251)
    expect(await fs.read('/streamed')).toEqual(expected)
    expect(await readAll(await fs.readStream('/streamed'))).toEqual(expected)
  })

  it('stores a stream of declared length and refuses one that disagrees with it', async () => {
    const fs = openFs(backend)
    await fs.write('/exact', new Response(ALL_BYTES).body as ReadableStream<Uint8Array>, { size: 256 })
    expect(await fs.read('/exact')).toEqual(ALL_BYTES)
    await expectFsError(fs.write('/short', patternStream(100, 10), { size: 200 }), 'EINVAL', '/short')
    await expectFsError(fs.write('/long', patternStream(300, 10), { size: 200 }), 'EINVAL', '/long')
    expect(await fs.exists('/short')).toBe(false)
    expect(await fs.exists('/long')).toBe(false)
  })

  it('refuses a path whose storage key would exceed the backend limit, with EINVAL', async () => {
    const root = freshRoot()
    const fs = openFs(backend, root)
    // root + "/" + 2 components of 250 bytes: over KV's 512, under R2's 1024.
    const mid = `/${'m'.repeat(250)}/${'n'.repeat(250)}`
    const midKey = root.length + mid.length + 1
    expect(midKey > KEY_LIMITS.kv && midKey < KEY_LIMITS.r2).toBe(true)
    if (midKey <= KEY_LIMITS[backend]) {
      await fs.write(mid, 'fits', { parents: true })
      expect(await fs.readText(mid)).toBe('fits')
    } else {
      await expectFsError(fs.write(mid, 'x', { parents: true }), 'EINVAL', mid)
    }
    const long = `/${Array.from({ length: 4 }, () => 'l'.repeat(250)).join('/')}`
    await expectFsError(fs.exists(long), 'EINVAL', long)
  })
})

describe('fsx kv: value cap', () => {
  it('refuses files over 25 MiB even when maxFileBytes allows more', async () => {
    const fs = openFs('kv', freshRoot(), 200 * 1024 * 1024)
    await expectFsError(fs.write('/big', new Uint8Array(25 * 1024 * 1024 + 1)), 'EFBIG', '/big')
    expect(await fs.exists('/big')).toBe(false)
  })
})
