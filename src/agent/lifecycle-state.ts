/**
 * The agent lifecycle of seed 000 as a state machine, and its session
 * history (FR-LIFE-5): every transition is checked against the table and
 * recorded with its reason.
 *
 *   PENDING → SPAWNING → RUNNING ⇄ SUSPENDED → TERMINATED
 *                          ↓           ↓
 *                        FAILED    COMPLETED
 *
 * FAILED (missed heartbeats) recovers to RUNNING when a heartbeat arrives;
 * TERMINATED, COMPLETED and FAILED agents may be spawned again, which opens a
 * new session.
 */
import { ENDED_AGENT_STATES, type AgentState } from '../../types/fabric'
import { FabricError } from '../../types/errors'

const TRANSITIONS: Readonly<Record<AgentState, readonly AgentState[]>> = {
  PENDING: ['SPAWNING'],
  SPAWNING: ['RUNNING', 'FAILED'],
  RUNNING: ['SUSPENDED', 'TERMINATED', 'COMPLETED', 'FAILED'],
  SUSPENDED: ['RUNNING', 'TERMINATED', 'COMPLETED'],
  FAILED: ['RUNNING', 'SPAWNING', 'TERMINATED'],
  TERMINATED: ['SPAWNING'],
  COMPLETED: ['SPAWNING'],
}


export function canTransition(from: AgentState, to: AgentState): boolean {
  return TRANSITIONS[from].includes(to)
}

export function assertTransition(from: AgentState, to: AgentState): void {
  if (!canTransition(from, to)) {
    throw new FabricError('INVALID_STATE', `an agent in state ${from} cannot move to ${to}`, { from, to })
  }
}

export interface SessionEntry {
  seq: number
  sessionId: string
  from: AgentState | null
  to: AgentState
  reason: string
  at: string
}

interface HistoryRow {
  seq: number
  session_id: string
  from_state: AgentState | null
  to_state: AgentState
  reason: string
  at: number
  [key: string]: SqlStorageValue
}

export class SessionHistory {
  constructor(private readonly sql: SqlStorage) {}

  record(sessionId: string, from: AgentState | null, to: AgentState, reason: string, at: number): void {
    this.sql.exec(
      'INSERT INTO session_history (session_id, from_state, to_state, reason, at) VALUES (?, ?, ?, ?, ?)',
      sessionId,
      from,
      to,
      reason,
      at,
    )
  }

  /** The most recent entries, oldest first. */
  recent(limit: number): SessionEntry[] {
    return this.sql
      .exec<HistoryRow>('SELECT * FROM (SELECT * FROM session_history ORDER BY seq DESC LIMIT ?) ORDER BY seq', limit)
      .toArray()
      .map((row) => ({
        seq: row.seq,
        sessionId: row.session_id,
        from: row.from_state,
        to: row.to_state,
        reason: row.reason,
        at: new Date(row.at).toISOString(),
      }))
  }
}
