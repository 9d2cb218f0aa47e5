/**
 * `UPDATE … SET` for the columns a patch names (undefined = leave alone, null = clear), answering the
 * updated row (one statement, no read after the write); undefined when no row matched or the patch is empty.
 */
export function updateRow<Row extends Record<string, SqlStorageValue>>(
  sql: SqlStorage,
  table: string,
  where: { column: string; value: SqlStorageValue },
  patch: Readonly<Record<string, SqlStorageValue | undefined>>,
): Row | undefined {
  const entries = Object.entries(patch).filter((entry): entry is [string, SqlStorageValue] => entry[1] !== undefined)
  if (entries.length === 0) return undefined
  const assignments = entries.map(([column]) => `${column} = ?`).join(', ')
  return sql.exec<Row>(`UPDATE ${table} SET ${assignments} WHERE ${where.column} = ? RETURNING *`, ...entries.map(([, value]) => value), where.value).toArray()[0]
}
