/** Runs the client session store contract on every enabled dialect. */

import { createTestDatabase, DIALECTS } from '../../test/helpers/test-database.js'
import { runClientSessionStoreContract } from '../client/client-session-store.contract.js'
import { KyselyClientSessionStore } from './client-session-store.js'
import { openAndMigrate } from './open-database.js'
import { KyselyServiceStore } from './service-store.js'

for (const dialect of DIALECTS) {
  runClientSessionStoreContract(dialect, async () => {
    const testDb = await createTestDatabase(dialect)
    const opened = await openAndMigrate(testDb.url)
    return {
      sessions: new KyselyClientSessionStore(opened.db),
      services: new KyselyServiceStore(opened.db),
      async close() {
        await opened.close()
        await testDb.drop()
      },
    }
  })
}
