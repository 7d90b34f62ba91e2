/**
 * @module Carrier lookup policies and WhatsApp one-tap per service (JSON text, null: defaults /
 * none), and the risk a verification carries from the lookup (JSON text, null: none).
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('services').addColumn('line_checks', 'text').execute()
  await db.schema.alterTable('services').addColumn('whatsapp_one_tap', 'text').execute()
  await db.schema.alterTable('verifications').addColumn('risk', 'text').execute()
}
