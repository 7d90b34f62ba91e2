/** Runs the passkey store contract on every enabled dialect. */
import { createTestDatabase, DIALECTS } from '../../test/helpers/test-database.js'
import { runPasskeyStoreContract } from '../factors/passkey-store.contract.js'
import { openAndMigrate } from './open-database.js'
import { KyselyPasskeyChallengeStore } from './passkey-challenge-store.js'
import { KyselyPasskeyStore } from './passkey-store.js'
import { KyselyServiceStore } from './service-store.js'

for (const dialect of DIALECTS) {
  runPasskeyStoreContract(dialect, async () => {
    const testDb = await createTestDatabase(dialect)
    const opened = await openAndMigrate(testDb.url)
    return {
      passkeys: new KyselyPasskeyStore(opened.db),
      challenges: new KyselyPasskeyChallengeStore(opened.db),
      services: new KyselyServiceStore(opened.db),
      async close() {
        await opened.close()
        await testDb.drop()
      },
    }
  })
}
