/**
 * md5sum, sha1sum, sha256sum, sha512sum over WebCrypto (workerd implements
 * MD5 in crypto.subtle too). Prints `HASH  NAME` (a name with a backslash
 * or newline is escaped and the line starts with `\`, as GNU does); -c
 * checks a list, with --quiet and --status.
 */
import { parseArgs } from '../argv'
import type { Command, CommandContext } from '../context'
import { forEachInput, readOperand, readOrReport, report, reportFsError } from '../io'
import { decodeUtf8, splitLines } from '../text'

const SPEC = {
  flags: 'bctw',
  long: { binary: { key: 'b' }, check: { key: 'c' }, text: { key: 't' }, warn: { key: 'w' }, quiet: { key: 'quiet' }, status: { key: 'status' }, strict: { key: 'strict' } },
}

async function hexDigest(algorithm: string, data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest(algorithm, data))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

function listingLine(hash: string, name: string): string {
  const escaped = /[\\\n]/.test(name)
  return `${escaped ? '\\' : ''}${hash}  ${escaped ? name.replaceAll('\\', '\\\\').replaceAll('\n', '\\n') : name}\n`
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

async function check(ctx: CommandContext, algorithm: string, hexLength: number, lists: readonly string[], quiet: boolean, status: boolean): Promise<number> {
  let mismatched = 0
  let unreadable = 0
  let malformed = 0
  const say = (text: string) => {
    if (!status) ctx.stdout.write(text)
  }
  for (const list of lists.length > 0 ? lists : ['-']) {
    const listed = await readOrReport(ctx, list)
    if (!listed) return 1
    for (const line of splitLines(decodeUtf8(listed)).lines) {
      const entry = new RegExp(`^\\\\?([0-9a-fA-F]{${hexLength}}) [ *](.+)$`).exec(line)
      if (!entry) {
        malformed++
        continue
      }
      const [, expected = '', name = ''] = entry
      let data: Uint8Array
      try {
        data = await readOperand(ctx, name)
      } catch (thrown) {
        if (!status) reportFsError(ctx, name, thrown)
        say(`${name}: FAILED open or read\n`)
        unreadable++
        continue
      }
      const matches = (await hexDigest(algorithm, data)) === expected.toLowerCase()
      if (!matches) mismatched++
      if (!matches || !quiet) say(`${name}: ${matches ? 'OK' : 'FAILED'}\n`)
    }
  }
  if (!status) {
    if (malformed) report(ctx, `WARNING: ${plural(malformed, 'line is', 'lines are')} improperly formatted`)
    if (unreadable) report(ctx, `WARNING: ${plural(unreadable, 'listed file', 'listed files')} could not be read`)
    if (mismatched) report(ctx, `WARNING: ${plural(mismatched, 'computed checksum', 'computed checksums')} did NOT match`)
  }
  return mismatched || unreadable ? 1 : 0
}

function digestCommand(name: string, algorithm: string, hexLength: number): Command {
  return async (ctx) => {
    const parsed = parseArgs(name, ctx.args, SPEC)
    if (parsed.has('c')) return check(ctx, algorithm, hexLength, parsed.operands, parsed.has('quiet'), parsed.has('status'))
    const ok = await forEachInput(ctx, parsed.operands, async (data, operand) => {
      ctx.stdout.write(listingLine(await hexDigest(algorithm, data), operand))
    })
    return ok ? 0 : 1
  }
}

export const md5sum = digestCommand('md5sum', 'MD5', 32)
export const sha1sum = digestCommand('sha1sum', 'SHA-1', 40)
export const sha256sum = digestCommand('sha256sum', 'SHA-256', 64)
export const sha512sum = digestCommand('sha512sum', 'SHA-512', 128)
