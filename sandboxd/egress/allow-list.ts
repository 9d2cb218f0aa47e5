/**
 * The egress allow-list (FR-ISO-5), pure. Entries are `host`, `host:port`,
 * `*.host` (subdomains, not the host itself), `*.host:port`, or an IP literal
 * (`[v6]:port` with a port). An entry without a port allows 80 and 443 only.
 *
 * A host that is, or resolves to, a loopback, private, link-local or otherwise
 * internal address is refused even when allowed (so neither an IP literal in
 * any notation nor a DNS answer reaches the host's own services); only the
 * operator's SANDBOXD_EGRESS_ALLOW_INTERNAL list opens such a host.
 */
import { isIP } from 'node:net'
import { canonicalHost, internalKind } from './address.ts'

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
  // Compared in the form the proxy sees requests in (URL-canonical), so `::ffff:127.0.0.1` meets `::ffff:7f00:1`.
  return { host: ipLiteral ? bareCanonical(host) : host, wildcard, port: portNumber, ipLiteral }
}

function bareCanonical(host: string): string {
  return (canonicalHost(host) ?? host).replace(/^\[(.*)\]$/, '$1')
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
  const normalized = bareCanonical(host.toLowerCase())
  return (
    entries.find((e) => hostMatches(e, normalized) && (e.port === null ? DEFAULT_PORTS.includes(port) : e.port === port)) ??
    null
  )
}

/** Addresses that are not the public internet: where a sandbox must not reach unless the operator allows the host. */
export function isInternalAddress(address: string): boolean {
  return internalKind(address) !== null
}
