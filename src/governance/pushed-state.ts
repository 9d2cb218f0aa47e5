/**
 * Kill-switch state and policy set held by an agent's object, pushed rather
 * than polled: the object reads D1 once (at its first decision after it
 * woke or was spawned), then decides from memory until governance pushes a
 * change (a kill switch thrown or lifted, a policy written: src/governance/
 * agent-signals.ts), which drops the snapshot so the next decision reads D1
 * once again.
 *
 * Why no task starts after `POST /v1/killswitch` has returned: the route
 * writes D1, then pushes to every live agent in scope (the directory lists
 * them) and waits for each. An agent that loaded its snapshot before the
 * write is live in the directory (its owner awaits its directory row before
 * loading, `beforeLoad`), so it is pushed; a decision whose load was on its
 * way when the push arrived sees the generation change and loads again.
 */
import type { CompiledPolicySet } from './policy-engine'
import type { KillSwitchState } from './kill-switch'

export interface GovernanceSnapshot {
  killSwitch: KillSwitchState | undefined
  policies: CompiledPolicySet
}

/** Loads attempted for one decision before it gives up (each is a fresh D1 read after a push). */
const MAX_LOADS = 3

export class PushedGovernanceState {
  private loaded: Promise<GovernanceSnapshot> | undefined
  private generation = 0

  constructor(
    /** What must be true before a load (the agent's directory row is written). */
    private readonly beforeLoad: () => Promise<void>,
    private readonly load: () => Promise<GovernanceSnapshot>,
  ) {}

  async snapshot(): Promise<GovernanceSnapshot> {
    for (let attempt = 0; attempt < MAX_LOADS; attempt++) {
      const generation = this.generation
      const loading = (this.loaded ??= this.beforeLoad().then(this.load))
      let snapshot: GovernanceSnapshot
      try {
        snapshot = await loading
      } catch (error) {
        if (this.loaded === loading) this.loaded = undefined
        throw error
      }
      if (generation === this.generation) return snapshot
    }
    // Pushed again during every load: read once more for this decision alone.
    await this.beforeLoad()
    return this.load()
  }

  /** A push: the next decision reads D1 again. */
  invalidate(): void {
    this.generation++
    this.loaded = undefined
  }
}
