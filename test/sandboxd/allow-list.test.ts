/** The egress allow-list: entry syntax, matching, and which addresses count as internal. */
import { describe, expect, it } from 'vitest'
import { findAllowing, isInternalAddress, parseAllowEntry, parseAllowList } from '../../sandboxd/egress/allow-list'

describe('parseAllowEntry', () => {
  it('reads hosts, ports, wildcards and IP literals', () => {
    expect(parseAllowEntry('API.example.com')).toEqual({ host: 'api.example.com', wildcard: false, port: null, ipLiteral: false })
    expect(parseAllowEntry('*.example.com:8443')).toEqual({ host: 'example.com', wildcard: true, port: 8443, ipLiteral: false })
    expect(parseAllowEntry('10.0.0.5:5432')).toEqual({ host: '10.0.0.5', wildcard: false, port: 5432, ipLiteral: true })
    expect(parseAllowEntry('[::1]:8080')).toEqual({ host: '::1', wildcard: false, port: 8080, ipLiteral: true })
    expect(parseAllowEntry('2001:db8::1')).toEqual({ host: '2001:db8::1', wildcard: false, port: null, ipLiteral: true })
  })

  it('rejects URLs, paths, bad ports and wildcard IPs', () => {
    for (const bad of ['http://example.com', 'example.com/path', 'example.com:0', 'example.com:70000', '*.10.0.0.1', '.example.com', '']) {
      expect(parseAllowEntry(bad)).toBeNull()
    }
    expect(parseAllowList(['a.com', 'b.com:x']).invalid).toEqual(['b.com:x'])
  })
})

describe('findAllowing', () => {
  const { entries } = parseAllowList(['api.example.com', '*.cdn.example.com:443', '127.0.0.1:9000'])

  it('allows a named host on 80 and 443 when no port is given', () => {
    expect(findAllowing(entries, 'api.example.com', 443)?.host).toBe('api.example.com')
    expect(findAllowing(entries, 'API.EXAMPLE.COM', 80)?.host).toBe('api.example.com')
    expect(findAllowing(entries, 'api.example.com', 22)).toBeNull()
  })

  it('matches subdomains for a wildcard, not the bare domain', () => {
    expect(findAllowing(entries, 'img.cdn.example.com', 443)?.wildcard).toBe(true)
    expect(findAllowing(entries, 'cdn.example.com', 443)).toBeNull()
    expect(findAllowing(entries, 'evilcdn.example.com', 443)).toBeNull()
  })

  it('denies everything not listed', () => {
    expect(findAllowing(entries, 'example.com', 443)).toBeNull()
    expect(findAllowing(entries, '127.0.0.1', 9001)).toBeNull()
    expect(findAllowing([], 'api.example.com', 443)).toBeNull()
  })
})

describe('isInternalAddress', () => {
  it('flags loopback, private, link-local, CGNAT, multicast and their IPv6 forms', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '2130706433', '0x7f.0.0.1', '0177.1', '::ffff:7f00:1', '64:ff9b::a9fe:a9fe', '2002:a00:1::', '255.255.255.255', 'ff02::1']) {
      expect(isInternalAddress(address), address).toBe(true)
    }
  })

  it('lets public addresses through', () => {
    for (const address of ['93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:2800:220:1::1', '::ffff:8.8.8.8']) {
      expect(isInternalAddress(address), address).toBe(false)
    }
  })
})
