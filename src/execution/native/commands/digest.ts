/**
 * md5sum, sha1sum, sha256sum, sha512sum over WebCrypto (workerd implements
 * MD5 in crypto.subtle too). Prints `HASH  NAME` (a name with a backslash
 * or newline is escaped and the line starts with `\`, as GNU does); -c
 * checks a list, with --quiet, --status and --strict, and fails when a list
 * holds no checksum line at all; -b marks names with `*` as GNU does.
 */
import { hexDigest } from '../../../core/hex'
import { parseArgs } from '../argv'
import { UsageError, type Command, type CommandContext } from '../context'
import { forEachInput, readOperand, readOrReport, report, reportFsError } from '../io'
import { quoteIfNeeded } from '../quote'
import { decodeUtf8, splitLines } from '../text'

const SPEC = {
  flags: 'bct',
  long: { binary: { key: 'b' }, check: { key: 'c' }, text: { key: 't' }, tag: { key: 'tag' }, quiet: { key: 'quiet' }, status: { key: 'status' }, strict: { key: 'strict' } },
}

function listingLine(hash: string, name: string, binary: boolean): string {
  const escaped = /[\\\n]/.test(name)
  return `${escaped ? '\\' : ''}${hash} ${binary ? '*' : ' '}${escaped ? name.replaceAll('\\', '\\\\').replaceAll('\n', '\\n') : name}\n`
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

interface CheckOptions {
  quiet: boolean
  status: boolean
  strict: boolean
}

async function check(ctx: CommandContext, algorithm: string, hexLength: number, lists: readonly string[], { quiet, status, strict }: CheckOptions): Promise<number> {
  let noneValid = false
  let mismatched = 0
  let unreadable = 0
  let malformed = 0
  const say = (text: string) => {
    if (!status) ctx.stdout.write(text)
  }
  for (const list of lists.length > 0 ? lists : ['-']) {
    const listed = await readOrReport(ctx, list)
    if (!listed) return 1
    let valid = 0
    for (const line of splitLines(decodeUtf8(listed)).lines) {
      ctx.signal.throwIfAborted()
      const entry = new RegExp(`^\\\\?([0-9a-fA-F]{${hexLength}}) [ *](.+)$`).exec(line)
      if (!entry) {
        malformed++
        continue
      }
      valid++
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
    // A list with nothing to check is a failed verification, never a silent pass.
    if (valid === 0) {
      noneValid = true
      report(ctx, `${quoteIfNeeded(list === '-' ? 'standard input' : list)}: no properly formatted checksum lines found`)
    }
  }
  if (!status) {
    if (malformed && !noneValid) report(ctx, `WARNING: ${plural(malformed, 'line is', 'lines are')} improperly formatted`)
    if (unreadable) report(ctx, `WARNING: ${plural(unreadable, 'listed file', 'listed files')} could not be read`)
    if (mismatched) report(ctx, `WARNING: ${plural(mismatched, 'computed checksum', 'computed checksums')} did NOT match`)
  }
  return mismatched || unreadable || noneValid || (strict && malformed) ? 1 : 0
}

/** BSD-style `--tag` names: MD5, SHA1, SHA256, SHA512. */
const TAGS: Readonly<Record<string, string>> = { MD5: 'MD5', 'SHA-1': 'SHA1', 'SHA-256': 'SHA256', 'SHA-512': 'SHA512' }

function digestCommand(name: string, algorithm: string, hexLength: number): Command {
  return async (ctx) => {
    const parsed = parseArgs(name, ctx.args, SPEC)
    const checkOnly = ['quiet', 'status', 'strict'].find((key) => parsed.has(key))
    if (checkOnly !== undefined && !parsed.has('c')) throw new UsageError(`the --${checkOnly} option is meaningful only when verifying checksums`)
    if (parsed.has('c')) return check(ctx, algorithm, hexLength, parsed.operands, { quiet: parsed.has('quiet'), status: parsed.has('status'), strict: parsed.has('strict') })
    const ok = await forEachInput(ctx, parsed.operands, async (data, operand) => {
      const hash = await hexDigest(algorithm, data)
      ctx.stdout.write(parsed.has('tag') ? `${TAGS[algorithm]} (${operand}) = ${hash}\n` : listingLine(hash, operand, parsed.has('b')))
    })
    return ok ? 0 : 1
  }
}

export const md5sum = digestCommand('md5sum', 'MD5', 32)
export const sha1sum = digestCommand('sha1sum', 'SHA-1', 40)
export const sha256sum = digestCommand('sha256sum', 'SHA-256', 64)
export const sha512sum = digestCommand('sha512sum', 'SHA-512', 128)
