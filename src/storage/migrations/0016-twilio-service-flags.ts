/**
 * @module Twilio service flags the facade acts on: `Psd2Enabled`, `CustomCodeEnabled`, and the
 * verigate extension that opts a service's Twilio API into verigate's resend cooldown (off by
 * default, so a start re-sends at once as Twilio does). Integers 0/1 on both dialects.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['psd2_enabled', 'custom_code_enabled', 'resend_cooldown']) {
    await db.schema
      .alterTable('twilio_service_settings')
      .addColumn(column, 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
  }
}
