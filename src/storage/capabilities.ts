/** @module What differs between the dialects, said once instead of `if (dialect === 'pg')` everywhere. */
import type { ColumnDefinitionBuilder } from 'kysely'

/** The SQL types migrations use where the dialects differ. */
export interface SqlTypes {
  /** Milliseconds since the epoch: past 2^31, so PostgreSQL needs `bigint` (SQLite's integer is 64-bit). */
  readonly timestamp: 'bigint' | 'integer'
  /** An auto-incrementing integer primary key (event ids, audit ids). */
  readonly serialId: 'bigserial' | 'integer'
  /** A fraction stored as a float (rates). */
  readonly real: 'double precision' | 'real'
}

export interface StorageCapabilities {
  readonly dialect: 'sqlite' | 'postgres'
  /** `FOR UPDATE SKIP LOCKED` when claiming outbox rows, so several workers never claim one row. */
  readonly supportsSkipLocked: boolean
  readonly sqlTypes: SqlTypes
}

/** The column constraint of a `serialId` primary key: SQLite needs AUTOINCREMENT, bigserial is one. */
export function serialPrimaryKey(caps: StorageCapabilities) {
  return (c: ColumnDefinitionBuilder) =>
    caps.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
}
