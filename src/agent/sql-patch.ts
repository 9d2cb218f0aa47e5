/** `UPDATE … SET` for the columns a patch names (undefined = leave alone, null = clear). */
export function updateRow(
  sql: SqlStorage,
  table: string,
  where: { column: string; value: SqlStorageValue },
  patch: Readonly<Record<string, SqlStorageValue | undefined>>,
): void {
  const entries = Object.entries(patch).filter((entry): entry is [string, SqlStorageValue] => entry[1] !== undefined)
  if (entries.length === 0) return
  const assignments = entries.map(([column]) => `${column} = ?`).join(', ')
  sql.exec(`UPDATE ${table} SET ${assignments} WHERE ${where.column} = ?`, ...entries.map(([, value]) => value), where.value)
}
