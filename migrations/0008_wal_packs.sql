-- The WAL of record in packs (issue 15): D1 bills rows written including
-- every index entry, and one row per WAL event with its indexes cost ~6 rows
-- per event, ~25 per task with the decision audit. An agent's flush now
-- writes ONE row per execution (per flush): its events as a JSON array and
-- the audit rows of its policy decisions beside them, under two keys only —
-- (tenant_id, id), the primary key (WITHOUT ROWID: the table is that index)
-- that orders a tenant's log, and (execution_id, first_seq), the exactly-once
-- key a re-sent flush is ignored on and executions are found by. Session,
-- intent type, event type and time are filtered while scanning the tenant's
-- packs in order (a read costs rows read, far cheaper than rows written).
--
-- `id` comes from wal_pack_ids, advanced once per flush in the same D1
-- transaction, so ids grow in delivery order. The views `wal_events` and
-- `policy_decisions` show packs as the rows they were before: one per event
-- (id = pack id · 1024 + position in the pack; a pack holds at most 1024
-- events) and one per decision. Decisions made outside an agent, and every
-- decision before this migration, stay rows of policy_decision_rows.

CREATE TABLE wal_packs (
  tenant_id     TEXT NOT NULL,
  id            INTEGER NOT NULL,
  execution_id  TEXT NOT NULL,
  first_seq     INTEGER NOT NULL,   -- seq of the first event; 0 for a pack with only audit rows
  session_id    TEXT,
  events        TEXT NOT NULL,      -- JSON: [[seq, type, agent_id, parent_execution_id, correlation_id, intent_type, trace_id, tier, data, at], …]
  audit         TEXT,               -- JSON: [[policy_decisions columns, in order], …] or NULL
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX wal_packs_execution ON wal_packs(execution_id, first_seq);

CREATE TABLE wal_pack_ids (
  one   INTEGER PRIMARY KEY CHECK (one = 1),
  next  INTEGER NOT NULL
);

-- Every event so far becomes a pack of one, keeping its id (so its order).
INSERT INTO wal_packs (tenant_id, id, execution_id, first_seq, session_id, events, audit)
  SELECT tenant_id, id, execution_id, seq, session_id,
         json_array(json_array(seq, type, agent_id, parent_execution_id, correlation_id, intent_type, trace_id, tier, json(data), at)), NULL
  FROM wal_events;
INSERT INTO wal_pack_ids (one, next) VALUES (1, COALESCE((SELECT MAX(id) FROM wal_events), 0) + 1);
DROP TABLE wal_events;

CREATE VIEW wal_events AS
  SELECT p.id * 1024 + e.key AS id,
         p.execution_id AS execution_id,
         json_extract(e.value, '$[0]') AS seq,
         json_extract(e.value, '$[1]') AS type,
         p.tenant_id AS tenant_id,
         json_extract(e.value, '$[2]') AS agent_id,
         p.session_id AS session_id,
         json_extract(e.value, '$[3]') AS parent_execution_id,
         json_extract(e.value, '$[4]') AS correlation_id,
         json_extract(e.value, '$[5]') AS intent_type,
         json_extract(e.value, '$[6]') AS trace_id,
         json_extract(e.value, '$[7]') AS tier,
         json_extract(e.value, '$[8]') AS data,
         json_extract(e.value, '$[9]') AS at,
         p.id AS pack_id
  FROM wal_packs p, json_each(p.events) e;

ALTER TABLE policy_decisions RENAME TO policy_decision_rows;

CREATE VIEW policy_decisions AS
  SELECT id, tenant_id, execution_id, agent_id, kind, action, effect, policy_id, rule_index, reason, policy_version, inputs, evaluations, decided_at
  FROM policy_decision_rows
  UNION ALL
  SELECT json_extract(a.value, '$[0]'), p.tenant_id, p.execution_id, json_extract(a.value, '$[3]'), json_extract(a.value, '$[4]'),
         json_extract(a.value, '$[5]'), json_extract(a.value, '$[6]'), json_extract(a.value, '$[7]'), json_extract(a.value, '$[8]'),
         json_extract(a.value, '$[9]'), json_extract(a.value, '$[10]'), json_extract(a.value, '$[11]'), json_extract(a.value, '$[12]'),
         json_extract(a.value, '$[13]')
  FROM wal_packs p, json_each(p.audit) a
  WHERE p.audit IS NOT NULL;
