/** @module `verigate serve`. */
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'
import { loadConfig } from '../../config/load.js'
import { gcHelperAdvice, idleHeapAdvice } from '../../health/gc-helpers.js'
import { applyHeapGrowth } from '../../health/heap-growth.js'
import { startServer } from '../../server.js'
import { resolveDatabaseUrl } from '../../storage/open-database.js'
import { stopTracing } from '../tracing.js'

const HELP = `Usage: verigate serve [--port N] [--host H] [--role all|api|worker]

  --role all     HTTP API + outbox dispatcher + expiry sweeper (default)
  --role api     HTTP API only; another process must run the dispatcher
  --role worker  dispatcher + sweeper (HTTP stays up for receipts and health)

Starts verigate: HTTP API, outbox dispatcher, expiry sweeper and (outside production) the carrier
simulator. Configuration comes from the environment:
  PORT / HOST                 listen address (default 127.0.0.1:8080)
  DATABASE_URL                sqlite:<path> (default sqlite:./data/verigate.db) or postgres://...
  REDIS_URL                   share rate limits through Redis
  VERIGATE_ADMIN_API_KEY      use this admin key instead of creating one on first start
  VERIGATE_SECRET_KEYS        code HMAC/encryption keys, "id:secret,..." (required in production)
  VERIGATE_ENV                development | production
  VERIGATE_SIMULATOR          true | false (default: on outside production)
  VERIGATE_SIMULATOR_DELAY_MS receipt delay of the simulator (0 for benchmarks)
  VERIGATE_HEAP_GROWTH_PERCENT old-generation growth between full GCs (default 200; 0: V8's own)
  VERIGATE_CONFIG             a JSON file with any setting (see src/config/schema.ts)
  OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_ENDPOINT   turn OpenTelemetry traces on (off by default)
`

export async function runServe(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    return 0
  }
  const overrides: Record<string, unknown> = {}
  if (values.port !== undefined) overrides.port = Number(values.port)
  if (values.host !== undefined) overrides.host = values.host
  if (values.role !== undefined) overrides.role = values.role
  const config = loadConfig({ overrides })
  applyHeapGrowth(config.heap.growthPercent)
  // Tracing, when the OTEL_* variables ask for it, was started by src/cli/index.ts before this
  // module's imports loaded pg and ioredis (src/cli/otel-preload.ts).
  const server = await startServer(config)
  const { url, deps } = server
  const lines = [
    '',
    `verigate is running on ${url}  (${config.env}, database ${resolveDatabaseUrl(config.databaseUrl, config.dataDir).replace(/\/\/[^@]*@/, '//***@')})`,
    `  API docs        ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
    `  Health          ${url}/readyz   (liveness: ${url}/livez)`,
  ]
  if (server.smsc)
    lines.push(
      `  Simulator SMSC  smpp://${config.simulator.smsc.host}:${server.smsc.port}  (system_id ${config.simulator.smsc.systemId})`,
    )
  if (deps.simulator)
    lines.push(
      `  Phone inbox     ${url}/simulator   (carrier simulator; JSON: ${url}/v1/simulator/messages?to=...)`,
    )
  if (deps.simulator && config.env !== 'production')
    lines.push(
      `  Demo            ${url}/demo   (sign-up page with the widget, the inbox and failure scenarios)`,
    )
  lines.push(
    `  Support console ${url}/console   (add staff: verigate staff add --email you@example.com --role admin; or sign in with an admin API key)`,
  )
  if (server.createdAdminKey) {
    lines.push(
      '',
      '  Admin API key (shown once; store it now):',
      `    ${server.createdAdminKey}`,
      '  Use it as:  -H "Authorization: Bearer <key>"',
    )
  } else if (config.adminApiKey) {
    lines.push('  Admin API key   from VERIGATE_ADMIN_API_KEY')
  } else {
    lines.push(
      '  Admin API key   created on first start (see that output), or make one: verigate keys create',
    )
  }
  process.stdout.write(`${lines.join('\n')}\n\n`)
  const cpus = availableParallelism()
  const advice = gcHelperAdvice(process.execArgv, process.env.NODE_OPTIONS, cpus)
  if (advice) deps.logger.warn({ cpus }, advice)
  const heapAdvice = idleHeapAdvice(process.execArgv)
  if (heapAdvice) deps.logger.warn(heapAdvice)

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    deps.logger.info({ signal }, 'shutting down')
    server
      .close()
      .then(() => stopTracing())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          deps.logger.error({ err }, 'shutdown failed')
          process.exit(1)
        },
      )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  return -1
}
