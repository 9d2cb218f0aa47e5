/**
 * Which hosts are not the public internet, pure and shared by the fabric
 * (grant time: agent `networkEgress`, module `egress`) and sandboxd (connect
 * time, after resolving). No imports, so both runtimes load it.
 *
 * A literal address is first put in the form a URL parser gives it, so every
 * notation a client would accept lands on one answer: `2130706433`,
 * `0x7f.1`, `0177.0.0.1`, `127.1`, `[::ffff:127.0.0.1]`, `[0:0:0:0:0:0:0:1]`
 * are all loopback. IPv6 forms that carry an IPv4 address (mapped `::ffff:`,
 * compatible `::a.b.c.d`, NAT64 `64:ff9b::`, 6to4 `2002:`) are judged by it.
 */

export type InternalKind = 'loopback' | 'private' | 'cgnat' | 'link-local' | 'multicast' | 'unspecified' | 'reserved'

/** Names that mean "this machine" or a local network wherever they are resolved. */
const LOCAL_NAMES = ['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']
const LOCAL_SUFFIXES: ReadonlyArray<[string, InternalKind]> = [
  ['.localhost', 'loopback'],
  ['.local', 'private'],
  ['.internal', 'private'],
  ['.home.arpa', 'private'],
  ['.lan', 'private'],
]

/** `host` as a URL parser canonicalises it (lower-case, IPv4 in dotted decimal, IPv6 bracketed and compressed), or null. */
export function canonicalHost(host: string): string | null {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1')
  if (bare === '' || /[/?#@\s]/.test(bare)) return null
  try {
    return new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}/`).hostname
  } catch {
    return null
  }
}

function ipv4Kind(a: number, b: number, c: number): InternalKind | null {
  if (a === 0) return 'unspecified'
  if (a === 127) return 'loopback'
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private'
  if (a === 100 && b >= 64 && b <= 127) return 'cgnat'
  if (a === 169 && b === 254) return 'link-local'
  if (a >= 224 && a <= 239) return 'multicast'
  // 240/4 (and broadcast), 192.0.0/24 (protocol assignments), 198.18/15 (benchmarking)
  if (a >= 240 || (a === 192 && b === 0 && c === 0) || (a === 198 && (b === 18 || b === 19))) return 'reserved'
  return null
}

function dottedIpv4(host: string): number[] | null {
  const parts = host.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null
  const octets = parts.map(Number)
  return octets.every((o) => o <= 255) ? octets : null
}

/** The eight 16-bit groups of a compressed IPv6 text (as canonicalHost returns it, without brackets). */
function ipv6Groups(text: string): number[] | null {
  const halves = text.split('::')
  if (halves.length > 2) return null
  const side = (s: string | undefined) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : [])
  const head = side(halves[0])
  const tail = side(halves[1])
  const groups = halves.length === 2 ? [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null
}

function embeddedIpv4(hi: number, lo: number): InternalKind | null {
  return ipv4Kind(hi >> 8, hi & 0xff, lo >> 8)
}

function ipv6Kind(g: number[]): InternalKind | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0
  if (upperZero && g5 === 0 && g6 === 0 && g7 === 0) return 'unspecified'
  if (upperZero && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback'
  if (upperZero && (g5 === 0xffff || g5 === 0)) return embeddedIpv4(g6, g7) // mapped ::ffff:a.b.c.d, compatible ::a.b.c.d
  if (g0 === 0x64 && g1 === 0xff9b) return embeddedIpv4(g6, g7) // NAT64
  if (g0 === 0x2002) return embeddedIpv4(g1, g2) // 6to4
  if ((g0 & 0xfe00) === 0xfc00) return 'private' // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local'
  if ((g0 & 0xffc0) === 0xfec0) return 'private' // site-local (deprecated)
  if ((g0 & 0xff00) === 0xff00) return 'multicast'
  return null
}

/**
 * What kind of non-public destination `host` is (a name or a literal address in
 * any notation), or null for a public one. A name that only resolves to an
 * internal address is not caught here: the resolver's answer is checked at
 * connect time (sandboxd's egress proxy).
 */
export function internalKind(host: string): InternalKind | null {
  const canonical = canonicalHost(host)
  if (canonical === null) return 'reserved'
  const name = canonical.replace(/\.$/, '')
  if (name.startsWith('[')) {
    const groups = ipv6Groups(name.slice(1, -1))
    return groups ? ipv6Kind(groups) : 'reserved'
  }
  const v4 = dottedIpv4(name)
  if (v4) return ipv4Kind(v4[0] ?? 0, v4[1] ?? 0, v4[2] ?? 0)
  if (LOCAL_NAMES.includes(name)) return 'loopback'
  for (const [suffix, kind] of LOCAL_SUFFIXES) if (name.endsWith(suffix) || name === suffix.slice(1)) return kind
  return null
}

/** An operator's list of hosts allowed to be internal (comma or space separated), canonicalised for comparison. */
export function parseInternalAllowList(raw: string | undefined): Set<string> {
  const hosts = new Set<string>()
  for (const item of (raw ?? '').split(/[\s,]+/)) {
    const canonical = item === '' ? null : canonicalHost(item)
    if (canonical) hosts.add(canonical.replace(/^\[(.*)\]$/, '$1'))
  }
  return hosts
}

/** Whether the operator list names `host` (compared canonically, so `2130706433` matches `127.0.0.1`). */
export function operatorAllows(allowed: ReadonlySet<string>, host: string): boolean {
  const canonical = canonicalHost(host)
  return canonical !== null && allowed.has(canonical.replace(/^\[(.*)\]$/, '$1'))
}
