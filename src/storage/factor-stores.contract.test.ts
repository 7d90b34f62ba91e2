/** Runs the factor store contract on every enabled dialect. */

import { createTestDatabase, DIALECTS } from '../../test/helpers/test-database.js'
import { runFactorStoreContract } from '../factors/store.contract.js'
import { KyselyTotpFactorStore } from './factor-store.js'
import { openAndMigrate } from './open-database.js'
import { KyselyRecoveryCodeStore } from './recovery-code-store.js'
import { KyselyServiceStore } from './service-store.js'

for (const dialect of DIALECTS) {
  runFactorStoreContract(dialect, async () => {
    const testDb = await createTestDatabase(dialect)
    const opened = await openAndMigrate(testDb.url)
    return {
      factors: new KyselyTotpFactorStore(opened.db),
      recoveryCodes: new KyselyRecoveryCodeStore(opened.db),
      services: new KyselyServiceStore(opened.db),
      async close() {
        await opened.close()
        await testDb.drop()
      },
    }
  })
}
