/** @module Applies the migrations in order, once each, recorded in `verigate_migrations`. */
import { type Kysely, sql } from 'kysely'
import type { StorageCapabilities } from './capabilities.js'
import * as m0001 from './migrations/0001-init.js'
import * as m0002 from './migrations/0002-factors.js'
import * as m0003 from './migrations/0003-twilio-compat.js'
import * as m0004 from './migrations/0004-routing.js'
import * as m0005 from './migrations/0005-app-hash.js'
import * as m0006 from './migrations/0006-passkeys.js'
import * as m0007 from './migrations/0007-account-recovery.js'
import * as m0008 from './migrations/0008-webhooks.js'
import * as m0009 from './migrations/0009-client-sessions.js'
import * as m0010 from './migrations/0010-support.js'
import * as m0011 from './migrations/0011-alerts.js'
import * as m0012 from './migrations/0012-delivery-states.js'
import * as m0013 from './migrations/0013-return-url-origins.js'
import * as m0014 from './migrations/0014-client-session-starter.js'
import * as m0015 from './migrations/0015-key-fingerprints.js'
import * as m0016 from './migrations/0016-twilio-service-flags.js'
import * as m0017 from './migrations/0017-verification-transaction.js'
import * as m0025 from './migrations/0025-service-scoped-access.js'
import * as m0030 from './migrations/0030-held-receipts.js'
import * as m0035 from './migrations/0035-line-checks.js'
import * as m0040 from './migrations/0040-client-origins.js'
import * as m0041 from './migrations/0041-audit-service.js'
import * as m0042 from './migrations/0042-service-fraud-settings.js'
import * as m0043 from './migrations/0043-partial-verification-indexes.js'

interface Migration {
  readonly name: string
  up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void>
}

export const MIGRATIONS: readonly Migration[] = [
  { name: '0001-init', up: m0001.up },
  { name: '0002-factors', up: m0002.up },
  { name: '0003-twilio-compat', up: m0003.up },
  { name: '0004-routing', up: m0004.up },
  { name: '0005-app-hash', up: m0005.up },
  { name: '0006-passkeys', up: m0006.up },
  { name: '0007-account-recovery', up: m0007.up },
  { name: '0008-webhooks', up: m0008.up },
  { name: '0009-client-sessions', up: m0009.up },
  { name: '0010-support', up: m0010.up },
  { name: '0011-alerts', up: m0011.up },
  { name: '0012-delivery-states', up: m0012.up },
  { name: '0013-return-url-origins', up: m0013.up },
  { name: '0014-client-session-starter', up: m0014.up },
  { name: '0015-key-fingerprints', up: m0015.up },
  { name: '0016-twilio-service-flags', up: m0016.up },
  { name: '0017-verification-transaction', up: m0017.up },
  { name: '0025-service-scoped-access', up: m0025.up },
  { name: '0030-held-receipts', up: m0030.up },
  { name: '0035-line-checks', up: m0035.up },
  { name: '0040-client-origins', up: m0040.up },
  { name: '0041-audit-service', up: m0041.up },
  { name: '0042-service-fraud-settings', up: m0042.up },
  { name: '0043-partial-verification-indexes', up: m0043.up },
]

/** Returns the names of the migrations it applied. Each runs in its own transaction. */
export async function migrate(db: Kysely<unknown>, caps: StorageCapabilities): Promise<string[]> {
  await db.schema
    .createTable('verigate_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute()
  const applied: string[] = []
  for (const migration of MIGRATIONS) {
    const done = await db.transaction().execute(async (trx) => {
      if (caps.dialect === 'postgres') {
        // Two instances starting together must not both run a migration.
        await sql`select pg_advisory_xact_lock(7235401)`.execute(trx)
      }
      const row = await sql<{
        name: string
      }>`select name from verigate_migrations where name = ${migration.name}`.execute(trx)
      if (row.rows.length > 0) return false
      await migration.up(trx, caps)
      await sql`insert into verigate_migrations (name, applied_at) values (${migration.name}, ${new Date().toISOString()})`.execute(
        trx,
      )
      return true
    })
    if (done) applied.push(migration.name)
  }
  return applied
}
