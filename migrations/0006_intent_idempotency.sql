-- Tenant-wide idempotency keys of intents (src/orchestration/intents/idempotency.ts): the
-- first request claims the key for its intent id and agent; a repeat reaches
-- the same agent with the same task key, and the agent returns the task it
-- already has. Replaces the unused shape 0003 created (nothing wrote to it).
DROP TABLE IF EXISTS idempotency_keys;

CREATE TABLE idempotency_keys (
  tenant_id   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  key         TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  agent_id    TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (tenant_id, kind, key)
);
