import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MULTIPART_PART_BYTES } from '../../../src/execution/fsx/r2-store'
import { expectFsError, freshRoot, openFs, patternStream, readAll, sha256Hex } from './backends'

describe('fsx r2: large files', () => {
  it('uploads a stream of unknown length larger than a part as a multipart upload, byte for byte', async () => {
    const root = freshRoot()
    const fs = openFs('r2', root)
    const total = 2 * MULTIPART_PART_BYTES + 12_345
    await fs.write('/big.bin', patternStream(total, 64 * 1024))
    const expected = await sha256Hex(await readAll(patternStream(total, 1 << 20)))
    expect(await sha256Hex(await readAll(await fs.readStream('/big.bin')))).toBe(expected)
    expect((await fs.stat('/big.bin')).size).toBe(total)
    // Stored as one R2 object under the tenant root, in 3 parts.
    const object = await env.FILES.head(`${root}/big.bin`)
    expect(object?.size).toBe(total)
  })

  it('aborts a multipart upload that grows past the cap and leaves nothing behind', async () => {
    const fs = openFs('r2', freshRoot(), MULTIPART_PART_BYTES + 1000)
    await expectFsError(fs.write('/too-big', patternStream(MULTIPART_PART_BYTES + 2000, 100_000)), 'EFBIG', '/too-big')
    expect(await fs.exists('/too-big')).toBe(false)
  })

  it('streams a large file of declared length through R2 without a size mismatch', async () => {
    const fs = openFs('r2')
    const total = MULTIPART_PART_BYTES + 1
    await fs.write('/fixed.bin', patternStream(total, 100_000), { size: total })
    expect((await fs.stat('/fixed.bin')).size).toBe(total)
    const copy = await fs.readStream('/fixed.bin')
    expect(await sha256Hex(await readAll(copy))).toBe(await sha256Hex(await readAll(patternStream(total, total))))
  })
})
