/** Runs the support store contract on every enabled dialect. */
import { createTestDatabase, DIALECTS } from '../../test/helpers/test-database.js'
import { newId } from '../shared/ids.js'
import { runSupportStoreContract } from '../support/store.contract.js'
import { openAndMigrate } from './open-database.js'
import { KyselyServiceStore } from './service-store.js'
import { KyselySupportStore } from './support-store.js'
import { KyselyVerificationStore } from './verification-store.js'

for (const dialect of DIALECTS) {
  runSupportStoreContract(dialect, async () => {
    const testDb = await createTestDatabase(dialect)
    const opened = await openAndMigrate(testDb.url)
    const { db } = opened
    return {
      support: new KyselySupportStore(db),
      verifications: new KyselyVerificationStore(db),
      async seedEntity(entityId) {
        const now = Date.UTC(2026, 5, 1)
        const serviceId = newId('service')
        await new KyselyServiceStore(db).insert({
          id: serviceId,
          name: 'contract',
          codeLength: 6,
          codeTtlSeconds: 600,
          maxCheckAttempts: 5,
          maxSends: 5,
          brandName: null,
          messageTemplate: null,
          channels: ['sms'],
          defaultLocale: 'en',
          webotpDomain: null,
          createdAt: now,
          updatedAt: now,
        })
        await db
          .insertInto('totp_factors')
          .values({
            id: newId('factor'),
            service_id: serviceId,
            entity_id: entityId,
            friendly_name: 'phone',
            status: 'verified',
            issuer: 'x',
            algorithm: 'SHA1',
            digits: 6,
            period_seconds: 30,
            skew: 1,
            secret_ciphertext: 'sealed',
            last_used_step: null,
            failed_attempts: 0,
            lock_count: 0,
            locked_until: null,
            created_at: now,
            updated_at: now,
          })
          .execute()
        await db
          .insertInto('recovery_codes')
          .values(
            [0, 1, 2].map((slot) => ({
              service_id: serviceId,
              entity_id: entityId,
              slot,
              code_hmac: `k:${slot}`,
              created_at: now,
              used_at: slot === 2 ? now : null,
            })),
          )
          .execute()
        await db
          .insertInto('account_recovery_cases')
          .values({
            id: newId('recoveryCase'),
            service_id: serviceId,
            entity_id: entityId,
            status: 'pending_approval',
            reason: 'lost phone',
            requested_by: 'support@example.com',
            contacts: '{"phones":[],"emails":[]}',
            approved_by: null,
            effective_at: null,
            created_at: now,
            updated_at: now,
            finished_at: null,
          })
          .execute()
        return serviceId
      },
      async close() {
        await opened.close()
        await testDb.drop()
      },
    }
  })
}
