/**
 * The egress allow-list (FR-ISO-5), pure. Entries are `host`, `host:port`,
 * `*.host` (subdomains, not the host itself), `*.host:port`, or an IP literal
 * (`[v6]:port` with a port). An entry without a port allows 80 and 443 only.
 *
 * A hostname that resolves to a loopback, private, link-local or otherwise
 * internal address is refused even when allowed by name (so a DNS answer
 * cannot turn `example.com` into the host's own services); such an address is
 * reachable only when the entry names the IP itself.
 */
import { isIP } from 'node:net'

export interface AllowEntry {
  host: string
  wildcard: boolean
  port: number | null
  ipLiteral: boolean
}

export const DEFAULT_PORTS: readonly number[] = [80, 443]

export function parseAllowEntry(raw: string): AllowEntry | null {
  const text = raw.trim().toLowerCase()
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(text)
  if (bracketed?.[1]) return entry(bracketed[1], false, bracketed[2])
  if (isIP(text) === 6) return entry(text, false, undefined)
  const match = /^(\*\.)?([a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text)
  if (!match?.[2] || match[2].startsWith('.') || match[2].endsWith('.')) return null
  return entry(match[2], match[1] !== undefined, match[3])
}

function entry(host: string, wildcard: boolean, port: string | undefined): AllowEntry | null {
  const portNumber = port === undefined ? null : Number(port)
  if (portNumber !== null && (portNumber < 1 || portNumber > 65_535)) return null
  const ipLiteral = isIP(host) !== 0
  if (ipLiteral && wildcard) return null
  return { host, wildcard, port: portNumber, ipLiteral }
}

export function parseAllowList(raw: readonly string[]): { entries: AllowEntry[]; invalid: string[] } {
  const entries: AllowEntry[] = []
  const invalid: string[] = []
  for (const item of raw) {
    const parsed = parseAllowEntry(item)
    if (parsed) entries.push(parsed)
    else invalid.push(item)
  }
  return { entries, invalid }
}

function hostMatches(entry: AllowEntry, host: string): boolean {
  return entry.wildcard ? host.endsWith(`.${entry.host}`) : host === entry.host
}

/** The entry allowing `host:port`, or null (denied). */
export function findAllowing(entries: readonly AllowEntry[], host: string, port: number): AllowEntry | null {
  const normalized = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  return (
    entries.find((e) => hostMatches(e, normalized) && (e.port === null ? DEFAULT_PORTS.includes(port) : e.port === port)) ??
    null
  )
}

function ipv4Octets(address: string): number[] | null {
  const parts = address.split('.').map(Number)
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : null
}

/** Addresses that are not the public internet: where a sandbox must not reach through a name. */
export function isInternalAddress(address: string): boolean {
  const lower = address.toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  const v4 = ipv4Octets(mapped?.[1] ?? lower)
  if (v4) {
    const [a = 0, b = 0] = v4
    return (
      a === 0 || a === 10 || a === 127 || a >= 224 ||
      (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    )
  }
  return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || /^ff/.test(lower)
}
