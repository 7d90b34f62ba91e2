/**
 * @module The delivery state machine (docs/delivery.md): each hand-over to a provider keeps its own
 * state (submitted, unconfirmed, delivered, failed, expired), its channel and its verdict, so a late
 * receipt settles the hand-over it belongs to; each send keeps the dispatcher's plan between claims.
 */
import { type Kysely, sql } from 'kysely'
import type { StorageCapabilities } from '../capabilities.js'

export async function up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void> {
  const ts = caps.sqlTypes.timestamp
  await db.schema.alterTable('provider_messages').addColumn('channel', 'text').execute()
  // Route health is kept per route and per route x country; a late receipt needs the country too.
  await db.schema.alterTable('provider_messages').addColumn('country', 'text').execute()
  await db.schema
    .alterTable('provider_messages')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('submitted'))
    .execute()
  await db.schema.alterTable('provider_messages').addColumn('outcome', 'text').execute()
  await db.schema.alterTable('provider_messages').addColumn('settled_at', ts).execute()
  await db.schema
    .createIndex('provider_messages_message')
    .on('provider_messages')
    .column('message_id')
    .execute()
  await db.schema
    .alterTable('outbox')
    .addColumn('plan', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute()
  // Hand-overs made before this migration take their send's channel and its verdict.
  await sql`update provider_messages set channel = (select o.channel from outbox o where o.id = provider_messages.message_id)`.execute(
    db,
  )
  await sql`update provider_messages set state = 'delivered' where exists (select 1 from outbox o where o.id = provider_messages.message_id and o.status = 'delivered' and o.provider_message_id = provider_messages.provider_message_id)`.execute(
    db,
  )
}
