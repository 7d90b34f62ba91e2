/**
 * @module The SQL texts of precompiled queries (`PreparedQuery`), with the name PostgreSQL knows
 * each one by once prepared on a connection. pg prepares a named statement once per connection and
 * afterwards sends only Bind/Execute, so PostgreSQL skips parsing and planning the hot statements.
 * Only these texts are named: a named statement stays in its connection's memory, so the set must
 * be bounded, and the precompiled queries are a fixed set.
 */
import { createHash } from 'node:crypto'

const names = new Map<string, string>()

/** Marks `sqlText` as a hot statement (called when a query is compiled once, on either dialect). */
export function registerHotStatement(sqlText: string): void {
  if (names.has(sqlText) || names.size >= 500) return
  names.set(sqlText, `vg_${createHash('sha256').update(sqlText).digest('hex').slice(0, 24)}`)
}

/** The statement name of a hot SQL text, or undefined for any other statement. */
export function hotStatementName(sqlText: string): string | undefined {
  return names.get(sqlText)
}
