/**
 * @module Routing and failover: each outbox message remembers the route it is on, the sender used
 * and the routes already tried; services may name fallback channels.
 */
import type { Kysely } from 'kysely'
import type { StorageCapabilities } from '../capabilities.js'

export async function up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void> {
  const ts = caps.sqlTypes.timestamp
  // One row per hand-over to a provider, so a late receipt for an earlier hop still finds its
  // message after failover moved the message to another route.
  await db.schema
    .createTable('provider_messages')
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('route_id', 'text', (c) => c.notNull())
    .addColumn('sent_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('provider_messages_pk', ['provider_id', 'provider_message_id'])
    .execute()
  await db.schema.dropIndex('outbox_provider_message').execute()
  await db.schema.alterTable('outbox').addColumn('route_id', 'text').execute()
  await db.schema.alterTable('outbox').addColumn('sender', 'text').execute()
  await db.schema
    .alterTable('outbox')
    .addColumn('tried_routes', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute()
  await db.schema
    .alterTable('outbox')
    .addColumn('hops', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('services').addColumn('fallback_channels', 'text').execute()
}
