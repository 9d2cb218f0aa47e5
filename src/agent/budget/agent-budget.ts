/**
 * An agent's budgets: its own limits (from its config, in its own account)
 * and the tenant- and user-wide ledgers it leases from. Admission checks the
 * estimate against all of them; charges land locally at once and reach the
 * ledgers as settlements.
 */
import type { Env } from '../../env'
import { FabricError } from '../../../types/errors'
import type { Clock } from '../clock'
import { BudgetAccount, type UsageReport } from './account'
import { LeaseCache } from './lease-cache'
import { spendByTier } from './tier-usage'
import { entityName, ledgerStub, ledgersOf, type BudgetEntity } from './ledgers'
import { isZeroUsage, type BudgetCrossing, type BudgetLimits, type BudgetRefusal, type Usage } from './usage'

export interface BudgetSubject {
  tenantId: string
  agentId: string
  userId?: string
  limits: BudgetLimits
}

function refused(refusal: BudgetRefusal): FabricError {
  return new FabricError(
    'BUDGET_EXCEEDED',
    `${refusal.entity} has used ${round(refusal.used)} of ${round(refusal.allowance)} ${refusal.dimension} today; ` +
      'wait for the next period (UTC midnight) or raise the limit with PUT /v1/budgets/:entityId',
    { ...refusal },
  )
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

export class AgentBudget {
  private readonly leases: LeaseCache
  private own: BudgetAccount | undefined
  /** Talks to the ledgers one exchange at a time, so the same unsettled usage is never sent twice. */
  private ledgerTurn: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly sql: SqlStorage,
    private readonly clock: Clock,
    private readonly env: Env,
    /** The agent's Durable Object id: the ledgers know its lease by it. */
    private readonly holder: string,
  ) {
    this.leases = new LeaseCache(sql, clock)
  }

  /**
   * Throws BUDGET_EXCEEDED when the agent's own limit or a shared ledger
   * cannot take `estimate`. Returns thresholds crossed while settling with a ledger.
   */
  async admit(subject: BudgetSubject, estimate: Usage): Promise<BudgetCrossing[]> {
    const own = this.account(subject).refusal(subject.limits, estimate)
    if (own) throw refused(own)
    return this.withLedgers(() => this.leaseFor(subject, estimate))
  }

  private async leaseFor(subject: BudgetSubject, estimate: Usage): Promise<BudgetCrossing[]> {
    const crossings: BudgetCrossing[] = []
    for (const entity of ledgersOf(subject.tenantId, subject.userId)) {
      const name = entityName(entity)
      let lease = this.leases.live(name)
      if (!lease || LeaseCache.shortfall(lease, estimate) !== undefined) {
        const unsettled = this.leases.unsettled(name)
        const grant = await ledgerStub(this.env, subject.tenantId, entity).acquire({
          tenantId: subject.tenantId,
          entity: name,
          holder: this.holder,
          want: estimate,
          unsettled,
        })
        this.leases.store(name, grant, unsettled)
        crossings.push(...grant.crossings)
        lease = { remaining: grant.grant, exhausted: grant.exhausted }
      }
      const short = LeaseCache.shortfall(lease, estimate)
      if (short !== undefined) {
        const report = await ledgerStub(this.env, subject.tenantId, entity).report(name)
        throw refused({ entity: name, dimension: short, used: report.used[short], allowance: report.allowance[short] ?? 0 })
      }
    }
    return crossings
  }

  /** Charges usage to the agent's own account and its leases; returns the agent's own crossings. */
  charge(subject: BudgetSubject, usage: Usage): BudgetCrossing[] {
    if (isZeroUsage(usage)) return []
    for (const entity of ledgersOf(subject.tenantId, subject.userId)) this.leases.consume(entityName(entity), usage)
    return this.account(subject).charge(subject.limits, usage)
  }

  /** Reports unsettled usage to the shared ledgers; returns the thresholds that crossed there. */
  settle(subject: BudgetSubject): Promise<BudgetCrossing[]> {
    return this.withLedgers(() => this.settleNow(subject))
  }

  private withLedgers<T>(exchange: () => Promise<T>): Promise<T> {
    const next = this.ledgerTurn.catch(() => undefined).then(exchange)
    this.ledgerTurn = next
    return next
  }

  private async settleNow(subject: BudgetSubject): Promise<BudgetCrossing[]> {
    const crossings: BudgetCrossing[] = []
    for (const entity of ledgersOf(subject.tenantId, subject.userId)) {
      const name = entityName(entity)
      const used = this.leases.unsettled(name)
      if (isZeroUsage(used)) continue
      crossings.push(
        ...(await ledgerStub(this.env, subject.tenantId, entity).settle({ tenantId: subject.tenantId, entity: name, holder: this.holder, used })),
      )
      this.leases.markSettled(name, used)
    }
    return crossings
  }

  /** A ledger ran out and withdrew this agent's lease. */
  recall(entity: string): void {
    this.leases.expire(entity)
  }

  report(subject: BudgetSubject): UsageReport {
    return { ...this.account(subject).report(subject.limits), byTier: spendByTier(this.sql, this.clock.now()) }
  }

  /** A transaction rolled back: the rows held in memory may be what it wrote. */
  forget(): void {
    this.own?.forget()
    this.leases.forget()
  }

  /** The agent's own account, one instance for the object's life, so the day row it holds serves every charge and check. */
  private account(subject: BudgetSubject): BudgetAccount {
    const name = entityName({ kind: 'agent', id: subject.agentId } satisfies BudgetEntity)
    if (this.own?.entity !== name) this.own = new BudgetAccount(this.sql, this.clock, name)
    return this.own
  }
}
