-- Tier-3 dynamic modules (src/execution/esm): each tenant's module names
-- point at the current version's code, which lives content-addressed in R2
-- under modules/<sha-256> (a prefix no tenant filesystem root can reach).
CREATE TABLE IF NOT EXISTS modules (
  tenant_id   TEXT NOT NULL,
  name        TEXT NOT NULL,
  hash        TEXT NOT NULL,               -- sha-256 of the code, hex
  kind        TEXT NOT NULL CHECK (kind IN ('esm', 'wasm')),
  entry       TEXT,                        -- wasm: the export that receives args
  size        INTEGER NOT NULL,            -- bytes of code
  egress      TEXT NOT NULL DEFAULT '[]',  -- JSON array of allowed hosts
  limits      TEXT,                        -- JSON {cpuMs, subRequests, wallMs}
  created_at  TEXT NOT NULL,               -- when this version was uploaded (ISO 8601)
  PRIMARY KEY (tenant_id, name)
);
