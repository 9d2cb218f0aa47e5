/**
 * One Durable Object per saga (named `${tenantId}:${sagaId}`).
 *
 * Why its own object rather than a row in an agent's object: a saga's steps
 * may run on different agents, its progress must survive the eviction or
 * crash of any of them, and its state machine must advance one transition at
 * a time. A dedicated object gives it serial execution, its own alarm to
 * drive and recover progress, and its own SQLite for the write-ahead outbox.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../../env'
import { createWriteAheadLog, type DurableWriteAheadLog } from '../../wal/write-ahead-log'

export class SagaDO extends DurableObject<Env> {
  protected readonly wal: DurableWriteAheadLog

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.wal = createWriteAheadLog(ctx.storage.sql, env.DB)
  }
}
