/** @module `verigate keys create|list|revoke`. */
import { parseArgs } from 'node:util'
import { API_KEY_SCOPES, type ApiKeyScope, isApiKeyScope, mintApiKey } from '../../auth/api-key.js'
import { loadConfig } from '../../config/load.js'
import { KyselyApiKeyStore } from '../../storage/api-key-store.js'
import { openAndMigrate, resolveDatabaseUrl } from '../../storage/open-database.js'
import { KyselyServiceStore } from '../../storage/service-store.js'

const HELP = `Usage:
  verigate keys create [--name NAME] [--scope admin|verify|read ...] [--service SERVICE_ID ...] [--print-only]
  verigate keys list
  verigate keys revoke KEY_ID

create prints the key once; only its hash is stored. --print-only makes a key without storing it
(for VERIGATE_ADMIN_API_KEY, which the server stores on start). Scopes: ${API_KEY_SCOPES.join(', ')} (default verify).
--service limits the key to that service (repeat it for several): anything of another service then
answers 404, and installation-wide administration 403 API_KEY_SERVICE_SCOPED. Without it the key
reaches every service.
`

export async function runKeys(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      service: { type: 'string', multiple: true },
      'print-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [sub, id] = positionals
  if (values.help || !sub) {
    process.stdout.write(HELP)
    return values.help ? 0 : 1
  }
  const scopes = (values.scope ?? ['verify']) as string[]
  const bad = scopes.find((s) => !isApiKeyScope(s))
  if (bad) {
    process.stderr.write(`Unknown scope "${bad}"; use ${API_KEY_SCOPES.join(', ')}.\n`)
    return 2
  }
  const services = values.service && values.service.length > 0 ? [...new Set(values.service)] : null
  if (sub === 'create' && values['print-only'] && services) {
    process.stderr.write(
      "--print-only makes the server's own admin key, which reaches every service; drop --service.\n",
    )
    return 2
  }
  if (sub === 'create' && values['print-only']) {
    process.stdout.write(`${mintApiKey(values.name ?? 'cli', scopes as ApiKeyScope[], Date.now()).token}\n`)
    return 0
  }
  const config = loadConfig()
  const opened = await openAndMigrate(resolveDatabaseUrl(config.databaseUrl, config.dataDir))
  const store = new KyselyApiKeyStore(opened.db)
  try {
    switch (sub) {
      case 'create': {
        const serviceStore = new KyselyServiceStore(opened.db)
        for (const id of services ?? []) {
          if (!(await serviceStore.get(id))) {
            process.stderr.write(
              `No service with id "${id}"; a key can only be limited to services that exist.\n`,
            )
            return 2
          }
        }
        const { key, token } = mintApiKey(
          values.name ?? 'created with the CLI',
          scopes as ApiKeyScope[],
          Date.now(),
          services,
        )
        await store.insert(key)
        process.stdout.write(`${token}\n`)
        process.stderr.write(
          `Created ${key.id} (${key.scopes.join(', ')}${services ? `; services ${services.join(', ')}` : '; every service'}). The key is shown only this once.\n`,
        )
        return 0
      }
      case 'list':
        for (const k of await store.list()) {
          process.stdout.write(
            `${k.id}\t${k.scopes.join(',')}\t${k.services ? k.services.join(',') : '*'}\t${k.revokedAt ? 'revoked' : 'active'}\t${k.name}\n`,
          )
        }
        return 0
      case 'revoke':
        if (!id) {
          process.stderr.write('Give the key id: verigate keys revoke key_...\n')
          return 2
        }
        if (!(await store.revoke(id, Date.now()))) {
          process.stderr.write(`No active key with id ${id}.\n`)
          return 1
        }
        process.stdout.write(`Revoked ${id}.\n`)
        return 0
      default:
        process.stderr.write(`Unknown keys subcommand "${sub}".\n${HELP}`)
        return 2
    }
  } finally {
    await opened.close()
  }
}
