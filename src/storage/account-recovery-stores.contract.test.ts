/** Runs the account recovery store contract on every enabled dialect. */
import { createTestDatabase, DIALECTS } from '../../test/helpers/test-database.js'
import { runAccountRecoveryStoreContract } from '../factors/account-recovery-store.contract.js'
import { KyselyAccountRecoveryStore } from './account-recovery-store.js'
import { openAndMigrate } from './open-database.js'
import { KyselyServiceStore } from './service-store.js'

for (const dialect of DIALECTS) {
  runAccountRecoveryStoreContract(dialect, async () => {
    const testDb = await createTestDatabase(dialect)
    const opened = await openAndMigrate(testDb.url)
    return {
      recovery: new KyselyAccountRecoveryStore(opened.db),
      services: new KyselyServiceStore(opened.db),
      async close() {
        await opened.close()
        await testDb.drop()
      },
    }
  })
}
