-- Who created a tenant or token, and which token a rotation replaced: the
-- facts an operator needs when reviewing access (the full trail of admin
-- actions is in the WAL as `admin.action` events).
ALTER TABLE tenants ADD COLUMN created_by TEXT;
ALTER TABLE tenant_tokens ADD COLUMN created_by TEXT;
ALTER TABLE tenant_tokens ADD COLUMN rotated_from TEXT;
ALTER TABLE tenant_tokens ADD COLUMN revoked_by TEXT;
