/** @module `verigate migrate`. */
import { parseArgs } from 'node:util'
import { loadConfig } from '../../config/load.js'
import { openAndMigrate, resolveDatabaseUrl } from '../../storage/open-database.js'

export async function runMigrate(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } } })
  if (values.help) {
    process.stdout.write(
      'Usage: verigate migrate\n\nApplies pending migrations to DATABASE_URL (default sqlite:./data/verigate.db) and exits.\n',
    )
    return 0
  }
  const config = loadConfig()
  const opened = await openAndMigrate(resolveDatabaseUrl(config.databaseUrl, config.dataDir))
  await opened.close()
  process.stdout.write(
    opened.applied.length ? `Applied: ${opened.applied.join(', ')}\n` : 'Database is up to date.\n',
  )
  return 0
}
