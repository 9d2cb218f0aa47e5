/**
 * Many rows in one SQL statement travel as ONE bound parameter — a JSON array
 * unpacked by `json_each` — since Durable Object SQLite and D1 both allow 100
 * bound parameters per statement. A string value is bounded too (about 2 MB:
 * SQLITE_TOOBIG), so rows are split into arrays whose JSON stays under
 * MAX_JSON_PARAM_CHARS; a single row bigger than that goes alone (a task row
 * is itself bounded far below it by the spill to R2 and the payload limit).
 */
export const MAX_JSON_PARAM_CHARS = 1_000_000

/** The rows as JSON arrays, in order, each under `maxChars` unless one row alone is bigger. */
export function jsonChunks(rows: readonly unknown[], maxChars: number = MAX_JSON_PARAM_CHARS): string[] {
  const chunks: string[] = []
  let parts: string[] = []
  let size = 2
  for (const row of rows) {
    const part = JSON.stringify(row)
    if (parts.length > 0 && size + part.length + 1 > maxChars) {
      chunks.push(`[${parts.join(',')}]`)
      parts = []
      size = 2
    }
    parts.push(part)
    size += part.length + 1
  }
  if (parts.length > 0) chunks.push(`[${parts.join(',')}]`)
  return chunks
}

/**
 * The one bulk insert, for a Durable Object's SQLite and D1 alike: `INSERT [OR IGNORE] INTO table (columns)
 * SELECT value ->> 0, … FROM json_each(?)`, whose one parameter is a JSON array of rows, each an array of
 * values in `columns` order (a chunk from jsonChunks). `returning` names what the statement answers.
 */
export function jsonRowsInsertSql(table: string, columns: readonly string[], options: { orIgnore?: boolean; returning?: string } = {}): string {
  const picks = columns.map((_, i) => `value ->> ${i}`).join(', ')
  const returning = options.returning ? ` RETURNING ${options.returning}` : ''
  return `INSERT${options.orIgnore ? ' OR IGNORE' : ''} INTO ${table} (${columns.join(', ')}) SELECT ${picks} FROM json_each(?)${returning}`
}

/** Inserts `rows` (arrays in `columns` order) into a Durable Object's SQLite, one statement per chunk; answers what `returning` names. */
export function insertJsonRows<T extends Record<string, SqlStorageValue>>(
  sql: SqlStorage,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  returning?: string,
): T[] {
  const insert = jsonRowsInsertSql(table, columns, returning ? { returning } : {})
  return jsonChunks(rows).flatMap((chunk) => sql.exec<T>(insert, chunk).toArray())
}
