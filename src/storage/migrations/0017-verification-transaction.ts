/**
 * @module The payment a verification's code is bound to (PSD2 dynamic linking, Twilio's `Amount` and
 * `Payee`): shown in the message and answers; the binding itself is in the code's HMAC.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('verifications').addColumn('transaction_amount', 'text').execute()
  await db.schema.alterTable('verifications').addColumn('transaction_payee', 'text').execute()
}
