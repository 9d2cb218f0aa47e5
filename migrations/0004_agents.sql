-- The agent directory: which agents each tenant has, for GET /v1/agents and
-- tenant-scoped lookups. The agent's Durable Object (named
-- `${tenant_id}:${agent_id}`) is the source of truth; this row mirrors its
-- lifecycle state, written by the object on every transition.
CREATE TABLE IF NOT EXISTS agents (
  tenant_id   TEXT NOT NULL,
  agent_id    TEXT NOT NULL,
  object_id   TEXT NOT NULL,
  type        TEXT NOT NULL,
  model       TEXT NOT NULL,
  user_id     TEXT,
  state       TEXT NOT NULL,
  session_id  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (tenant_id, agent_id)
);
CREATE INDEX IF NOT EXISTS agents_tenant_state ON agents(tenant_id, state, agent_id);
