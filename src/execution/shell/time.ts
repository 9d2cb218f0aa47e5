/**
 * The `time` keyword: runs a pipeline and writes its times to the shell's
 * stderr in bash's format — TIMEFORMAT when set (`%[p][l]R`, `%U`, `%S`,
 * `%P`, `%%`), else `\nreal\t0m0.012s\nuser\t0m0.000s\nsys\t0m0.000s`, and
 * `real 0.01 …` for `time -p`. Tier 1 runs in the Worker's own thread and no
 * process accounts CPU to the line, so user and sys are 0 (docs/native.md);
 * real is the wall clock, which in a Worker advances with I/O, not with pure
 * computation.
 */
import type { IO } from './io'
import type { Shell } from './interpreter'

const DEFAULT_FORMAT = '\nreal\t%3lR\nuser\t%3lU\nsys\t%3lS'
const POSIX_FORMAT = 'real %2R\nuser %2U\nsys %2S'

function seconds(value: number, precision: number, long: boolean): string {
  const scale = 10 ** precision
  const truncated = Math.floor(value * scale) / scale
  if (!long) return truncated.toFixed(precision)
  const minutes = Math.floor(truncated / 60)
  return `${minutes}m${(truncated - minutes * 60).toFixed(precision)}s`
}

/** Expands a TIMEFORMAT string as bash does (precision 0–3, default 3; unknown escapes kept). */
export function formatTimes(format: string, realSeconds: number, cpuSeconds = { user: 0, sys: 0 }): string {
  return format.replace(/%(%|([0-9]?)(l?)([RUSP]))/g, (whole, escape: string, digits: string, long: string, which: string) => {
    if (escape === '%') return '%'
    if (which === 'P') return realSeconds === 0 ? '0.00' : (((cpuSeconds.user + cpuSeconds.sys) / realSeconds) * 100).toFixed(2)
    const precision = digits === '' ? 3 : Math.min(3, Number(digits))
    const value = which === 'R' ? realSeconds : which === 'U' ? cpuSeconds.user : cpuSeconds.sys
    return seconds(value, precision, long === 'l')
  })
}

export async function timed(shell: Shell, posix: boolean, io: IO, run: () => Promise<void>): Promise<void> {
  const started = Date.now()
  await run()
  const format = posix ? POSIX_FORMAT : (shell.vars.scalar('TIMEFORMAT') ?? DEFAULT_FORMAT)
  io.stderr.write(`${formatTimes(format, (Date.now() - started) / 1000)}\n`)
}
