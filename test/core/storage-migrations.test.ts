/**
 * The one storage-migration scheme over real Durable Object SQLite: an object
 * made by the previous version of the code — agent tables versioned up to 3,
 * and the WAL outbox, saga journal and metrics tables created unversioned with
 * `CREATE TABLE IF NOT EXISTS` — upgrades in place and keeps its rows.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { AGENT_MIGRATIONS } from '../../src/agent/schema'
import { newId } from '../../src/core/ids'
import { applyMigrations, type Migration } from '../../src/core/storage-migrations'
import { SAGA_MIGRATIONS } from '../../src/orchestration/saga/saga-journal'
import { METRICS_MIGRATIONS } from '../../src/telemetry/metrics/store'
import { WAL_OUTBOX_MIGRATION } from '../../src/wal/outbox'

const version = (sql: SqlStorage) => sql.exec<{ version: number }>('SELECT version FROM _schema_version').one().version
const tables = (sql: SqlStorage) =>
  sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name")
    .toArray()
    .map((row) => row.name)

/** Empties the object's SQLite, then lays down what the previous code version left: `versioned` under _schema_version, `unversioned` as bare DDL. */
function previousVersion(sql: SqlStorage, versioned: readonly Migration[], unversioned: readonly Migration[]): void {
  for (const name of tables(sql)) sql.exec(`DROP TABLE "${name}"`)
  if (versioned.length > 0) {
    sql.exec('CREATE TABLE _schema_version (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL)')
    for (const statement of versioned.flat()) sql.exec(statement)
    sql.exec('INSERT INTO _schema_version (singleton, version) VALUES (1, ?)', versioned.length)
  }
  for (const statement of unversioned.flat()) sql.exec(statement)
}

const OUTBOX_ROW = `INSERT INTO wal_outbox (execution_id, seq, type, tenant_id, trace_id, data, at) VALUES ('ex_old', 1, 'intent.accepted', 't', 'trace', '{}', '2026-01-01T00:00:00.000Z')`

describe('Durable Object storage migrations', () => {
  it('upgrades an agent object of the previous version (agent schema v3, outbox unversioned) and keeps its pending WAL rows', async () => {
    const stub = env.AGENT.get(env.AGENT.idFromName(`t:${newId('migr')}`))
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql
      previousVersion(sql, AGENT_MIGRATIONS.slice(0, 3), [WAL_OUTBOX_MIGRATION])
      sql.exec(OUTBOX_ROW)
      expect(version(sql)).toBe(3)

      applyMigrations(state.storage, AGENT_MIGRATIONS)
      expect(version(sql)).toBe(AGENT_MIGRATIONS.length)
      expect(sql.exec<{ execution_id: string }>('SELECT execution_id FROM wal_outbox').toArray()).toEqual([{ execution_id: 'ex_old' }])
      // Applying again is a no-op.
      applyMigrations(state.storage, AGENT_MIGRATIONS)
      expect(version(sql)).toBe(AGENT_MIGRATIONS.length)
    })
  })

  it('versions a saga object that had no schema version, keeping its journal and outbox', async () => {
    const stub = env.SAGA.get(env.SAGA.idFromName(newId('migr')))
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql
      previousVersion(sql, [], SAGA_MIGRATIONS)
      sql.exec(`INSERT INTO saga_journal (event, at) VALUES ('{"event":"saga.started"}', 'then')`)
      sql.exec(OUTBOX_ROW)

      applyMigrations(state.storage, SAGA_MIGRATIONS)
      // The journal, the WAL outbox, the record outbox and the flush in flight (issue 15).
      expect(version(sql)).toBe(4)
      expect(sql.exec('SELECT event FROM saga_journal').toArray()).toEqual([{ event: '{"event":"saga.started"}' }])
      expect(sql.exec('SELECT seq FROM wal_outbox').toArray()).toEqual([{ seq: 1 }])
    })
  })

  it('versions a metrics object that had no schema version, keeping its series', async () => {
    const stub = env.METRICS.get(env.METRICS.idFromName(newId('migr')))
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql
      previousVersion(sql, [], METRICS_MIGRATIONS)
      sql.exec(`INSERT INTO metric_series (name, labels, value) VALUES ('agent_fabric_tasks_total', '{}', 7)`)

      applyMigrations(state.storage, METRICS_MIGRATIONS)
      expect(version(sql)).toBe(1)
      expect(sql.exec('SELECT value FROM metric_series').toArray()).toEqual([{ value: 7 }])
    })
  })

  it('gives a new object every table of its class at the latest version', async () => {
    const stub = env.SAGA.get(env.SAGA.idFromName(newId('migr')))
    await runInDurableObject(stub, (_instance, state) => {
      expect(version(state.storage.sql)).toBe(SAGA_MIGRATIONS.length)
      expect(tables(state.storage.sql)).toEqual(['_schema_version', 'record_outbox', 'saga_journal', 'wal_flight', 'wal_outbox', 'wal_sequences'])
    })
  })
})
