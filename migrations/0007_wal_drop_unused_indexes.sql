-- Every WAL event is written once per index on wal_events, so an index no
-- query uses costs D1 rows written on every task for nothing. GET /v1/wal
-- (src/wal/query.ts) filters intent type, event type and time with
-- `?n IS NULL OR col = ?n` over the (tenant_id, id) index, so SQLite never
-- picks these three; replay and provenance use the execution and session
-- indexes, which stay. 9 → 6 rows written per WAL event.
DROP INDEX IF EXISTS wal_events_tenant_intent;
DROP INDEX IF EXISTS wal_events_tenant_type;
DROP INDEX IF EXISTS wal_events_tenant_time;
