/**
 * The sandboxes sandboxd knows: per tenant and sandbox name, a work dir
 * (`<state>/work/<tenant>/<sandbox>`, bound as the sandbox's root), a run dir
 * for the egress socket (`<state>/run/<tenant>/<sandbox>`), the isolation
 * config, accumulated usage, the warm sandbox with its idle timer, and the
 * per-sandbox lock. Work dirs persist across
 * sandboxd restarts; configs and usage counters are kept in memory.
 */
import { chmod, chown, mkdir, realpath, rm, stat } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { IsolationSchema, type Isolation } from '../protocol.ts'
import { parseAllowList } from '../egress/allow-list.ts'
import { startEgressProxy, type EgressLog, type EgressProxy } from '../egress/connect-proxy.ts'
import { EGRESS_SOCKET_NAME } from '../isolation/launch-argv.ts'
import { FabricError } from '../../types/errors.ts'
import type { Owner } from '../workdir/confined-path.ts'
import type { HashCache } from '../workdir/manifest.ts'
import type { WarmSandbox } from '../runner/warm-sandbox.ts'
import { KeyedMutex } from './keyed-mutex.ts'

export interface SandboxUsageTotals {
  execs: number
  cpuUserMs: number
  cpuSystemMs: number
  maxRssKb: number
}

export interface SandboxState {
  tenant: string
  sandbox: string
  isolation: Isolation
  /** Real path (no symlinks), so "inside the work dir" is a prefix test. */
  workDir: string
  runDir: string
  hashes: HashCache
  usage: SandboxUsageTotals
  egress: EgressProxy | null
  /** The agent's warm sandbox (supervisor running), when one is up. */
  warm: WarmSandbox | null
  /** Reaps the warm sandbox after SANDBOXD_WARM_IDLE_MS without a run. */
  idleTimer: NodeJS.Timeout | null
  /**
   * Changes whenever the work dir may have: every run and every file API
   * write. Random per state, so a recreated work dir or a restarted sandboxd
   * never repeats an old one.
   */
  generation: string
}

/** Marks the work dir changed (a run, a file written, a batch applied). */
export function bumpGeneration(state: SandboxState): void {
  state.generation = randomUUID()
}

/** A warm sandbox with no run for this long is reaped (SANDBOXD_WARM_IDLE_MS). */
export const DEFAULT_WARM_IDLE_MS = 10 * 60 * 1000

export const DEFAULT_ISOLATION: Isolation = IsolationSchema.parse({})

export class SandboxRegistry {
  private readonly sandboxes = new Map<string, SandboxState>()
  private readonly mutex = new KeyedMutex()
  private readonly stateDir: string
  private readonly owner: Owner
  private readonly egressLog: (state: SandboxState) => EgressLog
  /** Internal hosts the operator opened (SANDBOXD_EGRESS_ALLOW_INTERNAL); every other internal address is refused at connect time. */
  private readonly egressAllowInternal: ReadonlySet<string>
  private readonly warmIdleMs: number

  constructor(options: {
    stateDir: string
    owner: Owner
    egressLog: (state: SandboxState) => EgressLog
    egressAllowInternal?: ReadonlySet<string>
    warmIdleMs?: number
  }) {
    this.stateDir = options.stateDir
    this.owner = options.owner
    this.egressLog = options.egressLog
    this.egressAllowInternal = options.egressAllowInternal ?? new Set()
    this.warmIdleMs = options.warmIdleMs ?? DEFAULT_WARM_IDLE_MS
  }

  /** Keeps `warm` as the sandbox's warm sandbox, reaped after the idle timeout unless another run comes. */
  keepWarm(state: SandboxState, warm: WarmSandbox): void {
    if (state.warm !== warm) this.retireWarm(state)
    state.warm = warm
    this.pauseIdle(state)
    state.idleTimer = setTimeout(() => this.retireWarm(state), this.warmIdleMs)
    state.idleTimer.unref()
  }

  /** A run is starting: the idle timer waits for its end (keepWarm). */
  pauseIdle(state: SandboxState): void {
    if (state.idleTimer) clearTimeout(state.idleTimer)
    state.idleTimer = null
  }

  /** Kills the warm sandbox (if any); the next run starts a fresh one. */
  retireWarm(state: SandboxState): void {
    this.pauseIdle(state)
    state.warm?.close()
    state.warm = null
  }

  private key(tenant: string, sandbox: string): string {
    return `${tenant}/${sandbox}`
  }

  /** Serialises every operation on one sandbox. */
  lock<T>(tenant: string, sandbox: string, task: () => Promise<T>): Promise<T> {
    return this.mutex.run(this.key(tenant, sandbox), task)
  }

  /** The sandbox, created on first use; a given isolation config replaces the current one. */
  async ensure(tenant: string, sandbox: string, isolation?: Isolation): Promise<SandboxState> {
    const invalid = parseAllowList(isolation?.networkEgress ?? []).invalid
    if (invalid.length > 0) {
      throw new FabricError('INVALID_ARGUMENT', `invalid egress allow-list entries: ${invalid.join(', ')}`, {
        hint: 'use host, host:port, *.host, *.host:port or an IP literal ([v6]:port)',
      })
    }
    const existing = this.sandboxes.get(this.key(tenant, sandbox))
    // A work dir removed behind sandboxd's back (e.g. `rm -rf .sandboxd`) is made again, empty.
    if (existing && (await stat(existing.workDir).catch(() => null))?.isDirectory()) {
      if (isolation) existing.isolation = isolation
      return existing
    }
    const workDir = await this.privateDir('work', tenant, sandbox)
    const runDir = await this.privateDir('run', tenant, sandbox)
    await existing?.egress?.close()
    // Its root was the removed work dir: it must not run anything again.
    if (existing) this.retireWarm(existing)
    const state: SandboxState = {
      tenant,
      sandbox,
      isolation: isolation ?? existing?.isolation ?? DEFAULT_ISOLATION,
      workDir,
      runDir,
      hashes: new Map(),
      usage: existing?.usage ?? { execs: 0, cpuUserMs: 0, cpuSystemMs: 0, maxRssKb: 0 },
      egress: null,
      warm: null,
      idleTimer: null,
      generation: randomUUID(),
    }
    this.sandboxes.set(this.key(tenant, sandbox), state)
    return state
  }

  /**
   * `<state>/<area>/<tenant>/<sandbox>`. bwrap resolves bind sources as the
   * sandbox uid, so the parents are 0711 (traversable, not listable); the leaf
   * is 0700 and the sandbox uid's. The sandboxed code itself sees none of this
   * path: only the leaf, mounted at /work (or /run/sandboxd).
   */
  private async privateDir(area: 'work' | 'run', tenant: string, sandbox: string): Promise<string> {
    const parents = [this.stateDir, join(this.stateDir, area), join(this.stateDir, area, tenant)]
    for (const parent of parents) {
      await mkdir(parent, { recursive: true })
      await chmod(parent, 0o711)
    }
    const dir = join(this.stateDir, area, tenant, sandbox)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    if (this.owner) await chown(dir, this.owner.uid, this.owner.gid)
    return realpath(dir)
  }

  /** Starts the sandbox's egress proxy when its allow-list is not empty (and stops it when it is). */
  async syncEgress(state: SandboxState): Promise<boolean> {
    if (state.isolation.networkEgress.length === 0) {
      await state.egress?.close()
      state.egress = null
      return false
    }
    // The proxy reads the list on every connection, so a changed list needs no restart.
    state.egress ??= await startEgressProxy(
      join(state.runDir, EGRESS_SOCKET_NAME),
      () => parseAllowList(state.isolation.networkEgress).entries,
      this.egressLog(state),
      this.egressAllowInternal,
    )
    return true
  }

  async destroy(tenant: string, sandbox: string): Promise<void> {
    const state = this.sandboxes.get(this.key(tenant, sandbox))
    await state?.egress?.close()
    if (state) this.retireWarm(state)
    this.sandboxes.delete(this.key(tenant, sandbox))
    // rm never follows symlinks, so links the sandbox left behind cannot redirect the deletion.
    await rm(join(this.stateDir, 'work', tenant, sandbox), { recursive: true, force: true })
    await rm(join(this.stateDir, 'run', tenant, sandbox), { recursive: true, force: true })
  }

  async closeAll(): Promise<void> {
    for (const state of this.sandboxes.values()) {
      this.retireWarm(state)
      await state.egress?.close()
    }
  }
}
