/**
 * The agent Durable Object's SQLite schema. Everything the scheduler needs to
 * survive eviction lives here: identity and lifecycle, session history, the
 * task queue with dependencies, the event log the status stream replays, and
 * budget accounting. Times are epoch milliseconds.
 */
import { BUDGET_ACCOUNT_DDL } from './budget/account'
import { DEFAULT_APPROVAL_TTL_SECONDS } from '../governance/approvals'
import { LEASE_CACHE_DDL } from './budget/lease-cache'
import { TIER_USAGE_MIGRATION } from './budget/tier-usage'
import type { Migration } from '../core/storage-migrations'
import { WAL_OUTBOX_MIGRATION } from '../wal/outbox'
import { RECORD_OUTBOX_MIGRATION } from '../wal/records'
import { WAL_FLIGHT_MIGRATION } from '../wal/write-ahead-log'

const V1: Migration = [
  `CREATE TABLE agent (
    singleton          INTEGER PRIMARY KEY CHECK (singleton = 1),
    tenant_id          TEXT NOT NULL,
    agent_id           TEXT NOT NULL,
    config             TEXT NOT NULL,
    state              TEXT NOT NULL,
    state_reason       TEXT NOT NULL,
    session_id         TEXT NOT NULL,
    health             TEXT NOT NULL,
    last_heartbeat_at  INTEGER NOT NULL,
    drain_deadline_at  INTEGER,
    drain_outcome      TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    compute_estimate_seconds REAL NOT NULL DEFAULT 0
  )`,
  `CREATE TABLE session_history (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          INTEGER NOT NULL
  )`,
  // seq orders FIFO within a priority; ready_at is when the task last became
  // runnable (aging counts from it); priority is the rank 0 critical .. 3 low.
  `CREATE TABLE tasks (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    execution_id     TEXT NOT NULL,
    type             TEXT NOT NULL,
    request          TEXT NOT NULL,
    payload          TEXT NOT NULL,
    metadata         TEXT NOT NULL,
    priority         INTEGER NOT NULL,
    status           TEXT NOT NULL,
    depends_on       TEXT NOT NULL,
    timeout_ms       INTEGER NOT NULL,
    deadline_at      INTEGER,
    retry            TEXT,
    idempotency_key  TEXT UNIQUE,
    intent_id        TEXT,
    context          TEXT NOT NULL,
    decision         TEXT,
    wal_links        TEXT NOT NULL DEFAULT '{}',
    approval_id      TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    ready_at         INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER,
    next_attempt_at  INTEGER,
    result           TEXT,
    error            TEXT
  )`,
  'CREATE INDEX tasks_by_status ON tasks(status, priority, seq)',
  // What each waiting task still needs; status is set when the dependency ends.
  `CREATE TABLE task_dependencies (
    task_id      TEXT NOT NULL,
    depends_on   TEXT NOT NULL,
    status       TEXT,
    PRIMARY KEY (task_id, depends_on)
  )`,
  'CREATE INDEX task_dependencies_by_dependency ON task_dependencies(depends_on)',
  // Other agents (by Durable Object id) waiting for one of this agent's tasks.
  `CREATE TABLE dependency_watchers (
    task_id       TEXT NOT NULL,
    watcher       TEXT NOT NULL,
    PRIMARY KEY (task_id, watcher)
  )`,
  // Final statuses of other agents' tasks as their owners reported them, so a
  // report that arrives before the waiting task is written is not lost.
  `CREATE TABLE dependency_outcomes (
    depends_on  TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    at          INTEGER NOT NULL
  )`,
  `CREATE TABLE events (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    type  TEXT NOT NULL,
    data  TEXT NOT NULL,
    at    INTEGER NOT NULL
  )`,
  ...BUDGET_ACCOUNT_DDL,
  ...LEASE_CACHE_DDL,
]

// Whether the agent ever ran on tier 4, so only agents that have a sandbox release one.
const V2: Migration = ['ALTER TABLE agent ADD COLUMN used_sandbox INTEGER NOT NULL DEFAULT 0']

// When a parked task's approval expires (the agent's alarm fails it then). Tasks parked before this
// column existed get their rule's TTL counted from admission, which is when their approval was requested.
const V3: Migration = [
  'ALTER TABLE tasks ADD COLUMN approval_expires_at INTEGER',
  `UPDATE tasks SET approval_expires_at = created_at
     + 1000 * COALESCE(json_extract(decision, '$.matchedRule.approvalTtlSeconds'), ${DEFAULT_APPROVAL_TTL_SECONDS})
   WHERE status = 'awaiting_approval'`,
]

// The route plan admission made (its RouteRecord JSON), recorded with the outcome instead of planning the task again.
const ROUTE_COLUMN: Migration = ['ALTER TABLE tasks ADD COLUMN route TEXT']

// What every dispatch and every alarm re-arm read while a batch waits, as indexes: the dispatch order
// (priority, ready_at, and seq as the rowid), so ordering the pending queue sorts index entries instead of
// whole rows; and the earliest deadline per status, so nextDueAt looks it up instead of reading every
// waiting row (src/agent/queue.ts, ready and nextDueAt).
const WAITING_TASK_INDEXES: Migration = [
  'CREATE INDEX tasks_by_readiness ON tasks(status, priority, ready_at)',
  'CREATE INDEX tasks_by_deadline ON tasks(status, deadline_at)',
]

// The same two indexes, partial: a task has a dispatch-order entry only while it is pending and a deadline
// entry only when it has a deadline, so starting and finishing a task (and accepting one without a deadline)
// no longer move entries that no query reads. Every query of them names `status = 'pending'` or
// `deadline_at IS NOT NULL`, which is what lets SQLite use a partial index.
const PARTIAL_WAITING_INDEXES: Migration = [
  'DROP INDEX tasks_by_readiness',
  "CREATE INDEX tasks_by_readiness ON tasks(priority, ready_at) WHERE status = 'pending'",
  'DROP INDEX tasks_by_deadline',
  'CREATE INDEX tasks_by_deadline ON tasks(status, deadline_at) WHERE deadline_at IS NOT NULL',
]

export const AGENT_MIGRATIONS: readonly Migration[] = [
  V1,
  V2,
  V3,
  WAL_OUTBOX_MIGRATION,
  RECORD_OUTBOX_MIGRATION,
  TIER_USAGE_MIGRATION,
  WAL_FLIGHT_MIGRATION,
  ROUTE_COLUMN,
  WAITING_TASK_INDEXES,
  PARTIAL_WAITING_INDEXES,
]
