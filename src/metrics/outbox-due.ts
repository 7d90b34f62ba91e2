/** @module countDueOutbox(db, now): the `verigate_outbox_due` gauge's query, the claim's range as a count. */
import type { Kysely } from 'kysely'
import type { Database } from '../storage/schema.js'

/** Rows the dispatcher would claim now: queued and due, leases run out, receipts overdue. */
export async function countDueOutbox(db: Kysely<Database>, now: number): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('status', 'in', ['queued', 'sending', 'sent'])
    .where('available_at', '<=', now)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}
