/**
 * @module startServer(config): opens everything, makes sure an admin key exists, starts the
 * dispatcher and the expiry sweeper, and listens. Used by `verigate serve` and the benchmark.
 */
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import type { Config } from './config/schema.js'
import { createDeps, type Deps, type DepsOverrides } from './deps.js'
import { type SimulatorSmsc, startSimulatorSmsc } from './simulator/smsc/simulator-smsc.js'

export interface RunningServer {
  readonly app: FastifyInstance
  readonly deps: Deps
  readonly url: string
  /** Set when this start created the admin key (shown once). */
  readonly createdAdminKey: string | undefined
  /** The simulator's SMPP face, when `simulator.smsc.enabled`. */
  readonly smsc: SimulatorSmsc | undefined
  close(): Promise<void>
}

/** Ensures an admin key exists: the configured one, or a new one on first start. */
export async function ensureAdminKey(deps: Deps): Promise<string | undefined> {
  const configured = deps.config.adminApiKey
  if (configured) {
    if (!(await deps.apiKeys.adopt(configured, 'admin (from VERIGATE_ADMIN_API_KEY)')))
      throw new Error(
        'VERIGATE_ADMIN_API_KEY is not a verigate key (vgk_<24 chars>_<43 chars>); make one with `verigate keys create --print-only`.',
      )
    return undefined
  }
  if ((await deps.apiKeys.count()) > 0) return undefined
  return (await deps.apiKeys.create('admin (created on first start)', ['admin'])).token
}

export async function startServer(
  config: Readonly<Config>,
  overrides: DepsOverrides = {},
): Promise<RunningServer> {
  const deps = await createDeps(config, overrides)
  let app: FastifyInstance | undefined
  let smsc: SimulatorSmsc | undefined
  try {
    if (deps.simulator && config.simulator.smsc.enabled) {
      const { enabled: _enabled, ...listen } = config.simulator.smsc
      smsc = await startSimulatorSmsc({
        ...listen,
        inbox: deps.simulator.inbox,
        overrides: deps.simulator.overrides,
        deliveryDelayMs: config.simulator.deliveryDelayMs,
        longDelayMs: config.simulator.longDelayMs,
        clock: deps.clock,
      })
    }
    const createdAdminKey = await ensureAdminKey(deps)
    app = await buildApp(deps)
    const works = config.role !== 'api'
    if (works) {
      deps.dispatcher.start()
      deps.webhookWorker.start()
      deps.alertMonitor.start()
    }
    let sweeps = 0
    const sweeper = setInterval(() => {
      if (!works) return
      deps.verifier.expireDue().catch((err: unknown) => deps.logger.error({ err }, 'expiry sweep failed'))
      // Once a minute: old browser sessions (a week past expiry).
      // Once a minute, half a minute later: personal data past its retention (docs/privacy.md).
      if (sweeps % 12 === 6) {
        deps.personalData
          .sweep()
          .catch((err: unknown) => deps.logger.error({ err }, 'retention sweep failed'))
      }
      if (sweeps++ % 12 === 0) {
        deps.clientSessions
          .purgeExpired()
          .catch((err: unknown) => deps.logger.error({ err }, 'client session purge failed'))
      }
    }, 5_000)
    sweeper.unref()
    await app.listen({ host: config.host, port: config.port })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : config.port
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
    const running = app
    return {
      app: running,
      deps,
      url,
      createdAdminKey,
      smsc,
      async close() {
        clearInterval(sweeper)
        await running.close()
        await smsc?.close()
        await deps.close()
      },
    }
  } catch (err) {
    await app?.close().catch(() => undefined)
    await smsc?.close().catch(() => undefined)
    await deps.close().catch(() => undefined)
    throw err
  }
}
