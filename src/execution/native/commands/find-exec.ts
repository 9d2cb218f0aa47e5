/**
 * find's -exec and -execdir. `cmd {} ;` runs once per entry, every `{}` in
 * an argument replaced by the path, and is true when the command exits 0;
 * `cmd {} +` gathers paths and runs once at the end (per directory for
 * -execdir), always true, making find exit 1 if a run fails. Commands go
 * through `ctx.run`, so the router picks their tier. -execdir runs in the
 * entry's directory with `./name`.
 */
import type { CommandContext } from '../context'
import { report } from '../io'
import { quoteLocale } from '../quote'
import { runSubcommand } from '../subcommand'
import type { WalkEntry } from '../walk'

export interface ExecAction {
  argv: string[]
  batch: boolean
  inDir: boolean
}

function parentOf(absolute: string): string {
  const slash = absolute.lastIndexOf('/')
  return slash <= 0 ? '/' : absolute.slice(0, slash)
}

function baseOf(display: string): string {
  const trimmed = display.replace(/\/+$/, '')
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || display
}

export class FindExec {
  /** Paths gathered for each `+` action, keyed by the directory they run in ('' for -exec). */
  private readonly batches = new Map<ExecAction, Map<string, string[]>>()
  /** A `+` run failed: find exits 1 (a failed `;` run is only a false test). */
  failed = false

  constructor(private readonly ctx: CommandContext) {}

  private target(action: ExecAction, entry: WalkEntry): { path: string; cwd: string | undefined } {
    if (!action.inDir) return { path: entry.display, cwd: undefined }
    return { path: `./${baseOf(entry.display)}`, cwd: parentOf(entry.absolute) }
  }

  async run(action: ExecAction, entry: WalkEntry): Promise<boolean> {
    const { path, cwd } = this.target(action, entry)
    if (action.batch) {
      let byDir = this.batches.get(action)
      if (!byDir) this.batches.set(action, (byDir = new Map()))
      const key = cwd ?? ''
      byDir.set(key, [...(byDir.get(key) ?? []), path])
      return true
    }
    return (await this.invoke(action.argv.map((arg) => arg.split('{}').join(path)), cwd)) === 0
  }

  /** Runs the gathered `+` batches; false when one failed. */
  async finish(): Promise<boolean> {
    let ok = true
    for (const [action, byDir] of this.batches) {
      for (const [dir, paths] of byDir) {
        if ((await this.invoke([...action.argv, ...paths], dir === '' ? undefined : dir)) !== 0) {
          ok = false
          this.failed = true
        }
      }
    }
    this.batches.clear()
    return ok
  }

  private async invoke(argv: string[], cwd: string | undefined): Promise<number> {
    const status = await runSubcommand(this.ctx, argv, { cwd })
    if (status !== 'missing') return status
    report(this.ctx, `${quoteLocale(argv[0] ?? '')}: No such file or directory`)
    return 127
  }
}
