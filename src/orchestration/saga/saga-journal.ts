/**
 * The saga's journal: its events, in order, in the saga object's SQLite —
 * each written in one transaction with the same event's WAL outbox row, so
 * the local journal and the WAL of record never disagree. The saga's state is
 * the fold of this journal.
 */
import type { WalEventType } from '../../../types/fabric'
import type { WriteAheadLog } from '../../core/ports'
import type { Migration } from '../../core/storage-migrations'
import { parseTraceparent } from '../../core/trace'
import { WAL_OUTBOX_MIGRATION } from '../../wal/outbox'
import { RECORD_OUTBOX_MIGRATION } from '../../wal/records'
import { WAL_FLIGHT_MIGRATION } from '../../wal/write-ahead-log'
import { foldSaga, type SagaEvent, type SagaState } from './saga-model'

/** SagaDO's storage, oldest first. `IF NOT EXISTS`: objects made before storage versioning created these tables on their own. */
export const SAGA_MIGRATIONS: readonly Migration[] = [
  [
    `CREATE TABLE IF NOT EXISTS saga_journal (
      seq    INTEGER PRIMARY KEY AUTOINCREMENT,
      event  TEXT NOT NULL,
      at     TEXT NOT NULL
    )`,
  ],
  WAL_OUTBOX_MIGRATION,
  RECORD_OUTBOX_MIGRATION,
  WAL_FLIGHT_MIGRATION,
]

/** The WAL event type each saga event is recorded as. */
export function walTypeOf(event: SagaEvent): WalEventType {
  switch (event.event) {
    case 'saga.started':
      return 'intent.accepted'
    case 'saga.status':
      return 'state.transition'
    case 'step.dispatched':
      return event.phase === 'forward' ? 'task.scheduled' : 'compensation.started'
    case 'step.succeeded':
      return event.phase === 'forward' ? 'task.completed' : 'compensation.completed'
    case 'step.failed':
      return event.phase === 'forward' ? 'task.failed' : 'compensation.completed'
  }
}

export class SagaJournal {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly wal: WriteAheadLog,
  ) {
  }

  events(): SagaEvent[] {
    return this.storage.sql
      .exec<{ event: string }>('SELECT event FROM saga_journal ORDER BY seq')
      .toArray()
      .map((row) => JSON.parse(row.event) as SagaEvent)
  }

  state(): SagaState | undefined {
    return foldSaga(this.events())
  }

  /** Appends the event to the journal and the WAL outbox atomically. */
  record(event: SagaEvent): void {
    const origin = event.event === 'saga.started' ? event : this.state()
    if (!origin) throw new Error(`cannot record ${event.event} before saga.started`)
    const traceId = parseTraceparent(origin.traceparent)?.traceId ?? '0'.repeat(32)
    this.storage.transactionSync(() => {
      this.storage.sql.exec('INSERT INTO saga_journal (event, at) VALUES (?, ?)', JSON.stringify(event), new Date().toISOString())
      this.wal.append({
        executionId: origin.sagaId,
        type: walTypeOf(event),
        tenantId: origin.tenantId,
        agentId: origin.agentId,
        traceId,
        correlationId: origin.sagaId,
        data: { ...event },
      })
    })
  }
}
