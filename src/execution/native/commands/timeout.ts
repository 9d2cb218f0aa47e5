/**
 * timeout DURATION COMMAND [ARG]…: runs the command through `ctx.run` (so it
 * re-enters the router: `timeout 5 grep` stays on tier 1, `timeout 5
 * python3` goes to tier 4) with its time cut to DURATION (`1.5`, `2s`, `3m`,
 * `1h`, `1d`; 0 means no limit). The command gets timeout's stdin and its
 * output is passed through. Statuses as GNU: the command's own, 124 when it
 * timed out (128+9 with `-s KILL`, 128+SIGNAL with `--preserve-status`), 125
 * for timeout's own failures, 127 for an unknown command. `-s SIGNAL` and
 * `-k DURATION` are accepted: a tier-1 command always stops at the first
 * signal, so the kill-after never has to fire. `--foreground`, `-v`.
 */
import { parseArgs } from '../argv'
import { UsageError, type Command } from '../context'
import { parseDuration } from '../duration'
import { quoteLocale } from '../quote'
import { runSubcommand } from '../subcommand'

const SPEC = {
  withValue: 'sk',
  flags: 'v',
  long: {
    signal: { key: 's', value: true },
    'kill-after': { key: 'k', value: true },
    'preserve-status': { key: 'p' },
    foreground: { key: 'f' },
    verbose: { key: 'v' },
  },
  stopAtFirstOperand: true,
} as const

const SIGNALS: Readonly<Record<string, number>> = { HUP: 1, INT: 2, QUIT: 3, ABRT: 6, KILL: 9, USR1: 10, SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, CONT: 18, STOP: 19 }

function signalOf(text: string): { name: string; number: number } {
  if (/^\d+$/.test(text)) {
    const number = Number(text)
    const name = Object.entries(SIGNALS).find(([, n]) => n === number)?.[0]
    if (name !== undefined) return { name, number }
  }
  const name = text.toUpperCase().replace(/^SIG/, '')
  const number = SIGNALS[name]
  if (number === undefined) throw new UsageError(`${text}: invalid signal`)
  return { name, number }
}

export const timeout: Command = async (ctx) => {
  const parsed = parseArgs('timeout', ctx.args, SPEC)
  const [durationText, ...argv] = parsed.operands
  if (durationText === undefined || argv.length === 0) throw new UsageError(durationText === undefined ? 'missing operand' : `missing operand after ${quoteLocale(durationText)}`)
  const limitMs = parseDuration(durationText)
  const signal = signalOf(parsed.last('s') ?? 'TERM')
  const killAfter = parsed.last('k')
  if (killAfter !== undefined) parseDuration(killAfter)

  const status = await runSubcommand(ctx, argv, { stdin: await ctx.stdin.readAll(), limitMs: limitMs === 0 ? undefined : limitMs })
  if (status === 'missing') {
    ctx.stderr.write(`timeout: failed to run command ${quoteLocale(argv[0] as string)}: No such file or directory\n`)
    return 127
  }
  if (status !== 'timeout') return status
  if (parsed.has('v')) ctx.stderr.write(`timeout: sending signal ${signal.name} to command ${quoteLocale(argv[0] as string)}\n`)
  if (signal.number === SIGNALS.KILL) return 128 + signal.number
  return parsed.has('p') ? 128 + signal.number : 124
}
