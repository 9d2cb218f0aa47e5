import { describe, expect, it } from 'vitest'
import { bytesToHex, hexDigest, randomHex } from '../../src/core/hex'

describe('hex', () => {
  it('spells every byte as two lowercase digits, in order', () => {
    expect(bytesToHex(new Uint8Array([0, 1, 15, 16, 171, 255]))).toBe('00010f10abff')
    expect(bytesToHex(new Uint8Array(0))).toBe('')
    const all = bytesToHex(Uint8Array.from({ length: 256 }, (_, i) => i))
    expect(all.slice(0, 6)).toBe('000102')
    expect(all.slice(-4)).toBe('feff')
    expect(all).toHaveLength(512)
  })

  it('randomHex gives 2 digits per byte and differs between calls', () => {
    const a = randomHex(16)
    expect(a).toMatch(/^[0-9a-f]{32}$/)
    expect(randomHex(16)).not.toBe(a)
  })

  it('hexDigest answers the published test vectors', async () => {
    const abc = new TextEncoder().encode('abc')
    expect(await hexDigest('SHA-256', abc)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(await hexDigest('MD5', abc)).toBe('900150983cd24fb0d6963f7d28e17f72')
  })
})
