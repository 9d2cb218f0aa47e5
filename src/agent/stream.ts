/**
 * The agent's status stream: every event (task transitions, heartbeats and
 * health, lifecycle changes, budget alerts) is appended to an event log in
 * SQLite with a sequence number, then sent to the WebSocket subscribers. The
 * sockets use the hibernation API, so an idle agent with watchers costs
 * nothing; a client that reconnects with `?since=<seq>` gets what it missed.
 *
 * Wire format, one JSON object per message:
 *   {"seq": 12, "type": "task.completed", "at": "<ISO time>", "agentId": "a1", "data": {…}}
 * Control messages have no seq: `stream.ready` (after the replay, with the
 * latest seq) and `stream.gap` (the requested events were already trimmed).
 */
import type { Clock } from './clock'
import { insertJsonRows } from '../core/json-chunks'

/** Events kept for replay; older ones are trimmed. */
export const EVENT_RETENTION = 1000

export type AgentEventType =
  | 'task.queued'
  | 'task.blocked'
  | 'task.awaiting_approval'
  | 'task.started'
  | 'task.completed'
  | 'task.failed'
  | 'task.cancelled'
  | 'task.retrying'
  | 'task.escalated'
  | 'agent.state'
  | 'agent.heartbeat'
  | 'agent.health'
  | 'budget.alert'
  | 'budget.exceeded'
  | 'usage.recorded'
  /** An anomaly alert (high error rate, budget exceeded) from src/telemetry/anomaly.ts. */
  | 'alert.raised'

export interface AgentEvent {
  seq: number
  type: AgentEventType
  at: string
  agentId: string
  data: Record<string, unknown>
}

interface EventRow {
  seq: number
  type: AgentEventType
  data: string
  at: number
  [key: string]: SqlStorageValue
}

export class EventLog {
  constructor(
    private readonly sql: SqlStorage,
    private readonly clock: Clock,
  ) {}

  append(agentId: string, type: AgentEventType, data: Record<string, unknown>): AgentEvent {
    const [event] = this.appendMany(agentId, [{ type, data }])
    if (!event) throw new Error('the event log appended no event')
    return event
  }

  /** Events in order, in one insert (and at most one trim) whatever their number. */
  appendMany(agentId: string, events: ReadonlyArray<{ type: AgentEventType; data: Record<string, unknown> }>): AgentEvent[] {
    if (events.length === 0) return []
    const at = this.clock.now()
    const rows = events.map((event) => [event.type, JSON.stringify(event.data), at])
    const seqs = insertJsonRows<{ seq: number }>(this.sql, 'events', ['type', 'data', 'at'], rows, 'seq')
      .map((row) => row.seq)
      // Rows are inserted in the array's order, so ascending seqs are that order.
      .sort((a, b) => a - b)
    const last = seqs[seqs.length - 1] ?? 0
    if (Math.floor(last / 100) > Math.floor((last - seqs.length) / 100)) this.sql.exec('DELETE FROM events WHERE seq <= ?', last - EVENT_RETENTION)
    return events.map((event, i) => ({ seq: seqs[i] ?? 0, type: event.type, at: new Date(at).toISOString(), agentId, data: event.data }))
  }

  since(agentId: string, seq: number): AgentEvent[] {
    return this.sql
      .exec<EventRow>('SELECT * FROM events WHERE seq > ? ORDER BY seq', seq)
      .toArray()
      .map((row) => ({ seq: row.seq, type: row.type, at: new Date(row.at).toISOString(), agentId, data: JSON.parse(row.data) }))
  }

  lastSeq(): number {
    return this.sql.exec<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM events').one().seq ?? 0
  }

  oldestSeq(): number | undefined {
    return this.sql.exec<{ seq: number | null }>('SELECT MIN(seq) AS seq FROM events').one().seq ?? undefined
  }
}

/** Close code of a stream whose token was revoked or rotated (4000–4999 are the application's; 4401 echoes 401). */
export const TOKEN_REVOKED_CLOSE_CODE = 4401

const tokenTag = (tokenId: string): string => `token:${tokenId}`.slice(0, 256)

function closeQuietly(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason)
  } catch {
    // Already closed.
  }
}

/** Hibernatable WebSocket subscribers of one agent. */
export class StatusStream {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly log: EventLog,
  ) {
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'))
  }

  /**
   * Accepts a subscriber, replays events after `since` when given, and returns the 101 response.
   * The socket is tagged with the id of the token that opened it, so revoking that token closes it.
   */
  accept(agentId: string, since: number | undefined, tokenId: string): Response {
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket]
    this.ctx.acceptWebSocket(server, [tokenTag(tokenId)])
    if (since !== undefined) {
      const oldest = this.log.oldestSeq()
      if (oldest !== undefined && since < oldest - 1) {
        server.send(JSON.stringify({ type: 'stream.gap', data: { requestedSince: since, oldestAvailable: oldest } }))
      }
      for (const event of this.log.since(agentId, since)) server.send(JSON.stringify(event))
    }
    server.send(JSON.stringify({ type: 'stream.ready', data: { agentId, lastSeq: this.log.lastSeq() } }))
    return new Response(null, { status: 101, webSocket: client })
  }

  broadcast(event: AgentEvent): void {
    const message = JSON.stringify(event)
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(message)
      } catch {
        // A socket closing under us; its close handler cleans up.
      }
    }
  }

  /** Closes the subscribers a token opened (it was revoked or rotated); answers how many. */
  closeToken(tokenId: string): number {
    const sockets = this.ctx.getWebSockets(tokenTag(tokenId))
    for (const socket of sockets) closeQuietly(socket, TOKEN_REVOKED_CLOSE_CODE, 'token revoked: reconnect with a live token')
    return sockets.length
  }

  closeAll(code: number, reason: string): void {
    for (const socket of this.ctx.getWebSockets()) closeQuietly(socket, code, reason)
  }
}
