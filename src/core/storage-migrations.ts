/**
 * The one storage-migration scheme for every Durable Object's SQLite: each
 * class lists its migrations in order (AgentDO, SagaDO, MetricsDO,
 * BudgetLedgerDO); each migration is a list of statements applied once,
 * inside one transaction with the version bump, so an object evicted
 * mid-upgrade never sees half a schema. A table shared by several classes
 * (the WAL outbox) is one exported migration that each class's list includes.
 */
export type Migration = readonly string[]

export function applyMigrations(storage: DurableObjectStorage, migrations: readonly Migration[]): void {
  const sql = storage.sql
  sql.exec('CREATE TABLE IF NOT EXISTS _schema_version (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL)')
  const row = sql.exec<{ version: number }>('SELECT version FROM _schema_version WHERE singleton = 1').toArray()[0]
  const current = row?.version ?? 0
  if (current >= migrations.length) return
  storage.transactionSync(() => {
    for (const migration of migrations.slice(current)) {
      for (const statement of migration) sql.exec(statement)
    }
    sql.exec(
      'INSERT INTO _schema_version (singleton, version) VALUES (1, ?) ON CONFLICT(singleton) DO UPDATE SET version = excluded.version',
      migrations.length,
    )
  })
}
