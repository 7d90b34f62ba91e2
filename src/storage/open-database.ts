/** @module Picks the dialect from the database URL and applies migrations. */
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { migrate } from './migrate.js'
import { type OpenedPostgresDatabase, openPostgresDatabase } from './postgres/postgres-database.js'
import {
  type OpenedDatabase,
  type OpenedSqliteDatabase,
  openSqliteDatabase,
} from './sqlite/sqlite-database.js'

export type { OpenedDatabase, OpenedPostgresDatabase, OpenedSqliteDatabase }

/** An opened database of either dialect; `dialect` tells which handle (raw SQLite or a pg pool) it has. */
export type OpenedAnyDatabase = OpenedSqliteDatabase | OpenedPostgresDatabase

export function resolveDatabaseUrl(databaseUrl: string | undefined, dataDir: string): string {
  return databaseUrl ?? `sqlite:${join(dataDir, 'verigate.db')}`
}

export function openDatabase(url: string): OpenedAnyDatabase {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgresDatabase({ url })
  if (url.startsWith('sqlite:'))
    return openSqliteDatabase({ path: url.slice('sqlite:'.length) || ':memory:' })
  throw new Error(
    `Unsupported database URL "${url.replace(/\/\/[^@]*@/, '//***@')}": use sqlite:<path> or postgres://...`,
  )
}

export async function openAndMigrate(
  url: string,
): Promise<OpenedAnyDatabase & { readonly applied: string[] }> {
  const opened = openDatabase(url)
  const applied = await migrate(opened.db as unknown as Kysely<unknown>, opened.caps)
  return { ...opened, applied }
}
