-- Tenants and their API tokens. Tokens are stored as SHA-256 hex digests;
-- the plaintext is shown once at creation and never stored.
CREATE TABLE IF NOT EXISTS tenants (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS tenant_tokens (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id),
  token_hash  TEXT NOT NULL UNIQUE,
  scopes      TEXT NOT NULL,          -- comma-separated: admin,agent,read
  label       TEXT,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);

CREATE INDEX IF NOT EXISTS tenant_tokens_tenant ON tenant_tokens(tenant_id);
