-- Governance and the runtime's records: policies (with a per-tenant version
-- that every decision checks, so no isolate keeps a stale compiled set), the
-- decision audit, approvals, kill switches, the write-ahead log of record,
-- idempotency keys, and data references with provenance.

CREATE TABLE IF NOT EXISTS policies (
  tenant_id    TEXT NOT NULL,
  id           TEXT NOT NULL,
  scope_level  TEXT NOT NULL CHECK (scope_level IN ('tenant', 'workspace', 'agent', 'role')),
  scope_id     TEXT NOT NULL,
  priority     INTEGER NOT NULL DEFAULT 0,
  rules        TEXT NOT NULL,          -- JSON array of PolicyRule
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- Bumped in the same batch as every policy write; decisions compare it with
-- the version their compiled set was built from.
CREATE TABLE IF NOT EXISTS policy_state (
  tenant_id       TEXT PRIMARY KEY,
  version         INTEGER NOT NULL,
  default_effect  TEXT CHECK (default_effect IN ('allow', 'deny', 'require_approval'))
);

CREATE TABLE IF NOT EXISTS policy_decisions (
  id             TEXT PRIMARY KEY,
  tenant_id      TEXT NOT NULL,
  execution_id   TEXT NOT NULL,
  agent_id       TEXT,
  kind           TEXT NOT NULL,
  action         TEXT NOT NULL,
  effect         TEXT NOT NULL,
  policy_id      TEXT,
  rule_index     INTEGER,
  reason         TEXT NOT NULL,
  policy_version INTEGER NOT NULL,
  inputs         TEXT NOT NULL,        -- JSON, redacted
  evaluations    TEXT NOT NULL,        -- JSON: one entry per action
  decided_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS policy_decisions_tenant_time ON policy_decisions(tenant_id, decided_at);
CREATE INDEX IF NOT EXISTS policy_decisions_execution ON policy_decisions(tenant_id, execution_id);

CREATE TABLE IF NOT EXISTS approvals (
  id            TEXT PRIMARY KEY,
  tenant_id     TEXT NOT NULL,
  agent_id      TEXT NOT NULL,
  task_id       TEXT NOT NULL,
  execution_id  TEXT NOT NULL,
  decision_id   TEXT NOT NULL,
  action        TEXT NOT NULL,
  policy_id     TEXT,
  approvers     TEXT NOT NULL,         -- JSON array; empty = any admin of the tenant
  summary       TEXT NOT NULL,         -- JSON, redacted
  status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
  requested_at  TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  decided_at    TEXT,
  decided_by    TEXT,
  reason        TEXT
);
CREATE INDEX IF NOT EXISTS approvals_tenant_status ON approvals(tenant_id, status, requested_at);

-- One row per scope; tenant_id and agent_id are '' where the scope is wider.
CREATE TABLE IF NOT EXISTS kill_switches (
  scope       TEXT NOT NULL CHECK (scope IN ('global', 'tenant', 'agent')),
  tenant_id   TEXT NOT NULL,
  agent_id    TEXT NOT NULL,
  active      INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  changed_by  TEXT NOT NULL,
  changed_at  TEXT NOT NULL,
  PRIMARY KEY (scope, tenant_id, agent_id)
);

-- The WAL of record. (execution_id, seq) is the exactly-once key the
-- Durable Object outboxes flush with INSERT OR IGNORE; id orders delivery.
CREATE TABLE IF NOT EXISTS wal_events (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id         TEXT NOT NULL,
  seq                  INTEGER NOT NULL,
  type                 TEXT NOT NULL,
  tenant_id            TEXT NOT NULL,
  agent_id             TEXT,
  session_id           TEXT,
  parent_execution_id  TEXT,
  correlation_id       TEXT,
  intent_type          TEXT,
  trace_id             TEXT NOT NULL,
  tier                 INTEGER,
  data                 TEXT NOT NULL,  -- JSON, redacted
  at                   TEXT NOT NULL,
  UNIQUE (execution_id, seq)
);
CREATE INDEX IF NOT EXISTS wal_events_tenant ON wal_events(tenant_id, id);
CREATE INDEX IF NOT EXISTS wal_events_tenant_execution ON wal_events(tenant_id, execution_id, seq);
CREATE INDEX IF NOT EXISTS wal_events_tenant_session ON wal_events(tenant_id, session_id, id);
CREATE INDEX IF NOT EXISTS wal_events_tenant_intent ON wal_events(tenant_id, intent_type, id);
CREATE INDEX IF NOT EXISTS wal_events_tenant_type ON wal_events(tenant_id, type, id);
CREATE INDEX IF NOT EXISTS wal_events_tenant_time ON wal_events(tenant_id, at);

CREATE TABLE IF NOT EXISTS idempotency_keys (
  tenant_id     TEXT NOT NULL,
  key           TEXT NOT NULL,
  kind          TEXT NOT NULL,
  execution_id  TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (tenant_id, key)
);

CREATE TABLE IF NOT EXISTS data_references (
  id            TEXT PRIMARY KEY,
  tenant_id     TEXT NOT NULL,
  ref           TEXT NOT NULL,         -- e.g. fsx://r2/reports/a.csv
  kind          TEXT NOT NULL,         -- file | artifact
  execution_id  TEXT NOT NULL,
  direction     TEXT NOT NULL CHECK (direction IN ('read', 'write')),
  metadata      TEXT NOT NULL,         -- JSON, redacted; never raw data
  created_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS data_references_ref ON data_references(tenant_id, ref, created_at);
CREATE INDEX IF NOT EXISTS data_references_execution ON data_references(tenant_id, execution_id);
