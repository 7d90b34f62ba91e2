/** Runs the store contract on every enabled dialect. */

import { createTestDatabase, DIALECTS } from '../../test/helpers/test-database.js'
import { runStoreContract } from '../verification/store.contract.js'
import { openAndMigrate } from './open-database.js'
import { KyselyOutboxStore } from './outbox-store.js'
import { KyselyServiceStore } from './service-store.js'
import { KyselyVerificationStore } from './verification-store.js'

for (const dialect of DIALECTS) {
  runStoreContract(dialect, async () => {
    const testDb = await createTestDatabase(dialect)
    const opened = await openAndMigrate(testDb.url)
    return {
      verifications: new KyselyVerificationStore(opened.db),
      outbox: new KyselyOutboxStore(opened.db, opened.caps),
      services: new KyselyServiceStore(opened.db),
      async close() {
        await opened.close()
        await testDb.drop()
      },
    }
  })
}
