/**
 * @module Loads configuration once at boot: defaults < JSON file (`VERIGATE_CONFIG`) < environment
 * variables < explicit overrides. Reports every problem at once and returns a deep-frozen object.
 */
import { readFileSync } from 'node:fs'
import { type Config, configSchema } from './schema.js'

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

type Json = Record<string, unknown>

function int(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : (value as unknown as number) // let the schema report the bad value
}

/** `true`/`false`, or addresses and CIDRs (kept as the string). */
function trustProxy(value: string | undefined): boolean | string | undefined {
  if (value === undefined || value === '') return undefined
  return /^(1|true|yes|on|0|false|no|off)$/i.test(value) ? bool(value) : value
}

function bool(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined
  if (/^(1|true|yes|on)$/i.test(value)) return true
  if (/^(0|false|no|off)$/i.test(value)) return false
  return value as unknown as boolean
}

function fromEnv(env: NodeJS.ProcessEnv): Json {
  const out: Json = {}
  const set = (path: string[], value: unknown) => {
    if (value === undefined) return
    let node = out
    for (const key of path.slice(0, -1)) {
      node[key] ??= {}
      node = node[key] as Json
    }
    node[path[path.length - 1]!] = value
  }
  set(['env'], env.VERIGATE_ENV ?? (env.NODE_ENV === 'production' ? 'production' : undefined))
  set(['role'], env.VERIGATE_ROLE)
  set(['host'], env.HOST ?? env.VERIGATE_HOST)
  set(['port'], int(env.PORT ?? env.VERIGATE_PORT))
  set(['publicUrl'], env.VERIGATE_PUBLIC_URL)
  set(['trustProxy'], trustProxy(env.VERIGATE_TRUST_PROXY))
  set(['dataDir'], env.VERIGATE_DATA_DIR)
  set(['databaseUrl'], env.DATABASE_URL)
  set(['redisUrl'], env.REDIS_URL)
  set(['rateLimitStore'], env.VERIGATE_RATE_LIMIT_STORE)
  set(['logLevel'], env.LOG_LEVEL)
  set(['adminApiKey'], env.VERIGATE_ADMIN_API_KEY)
  set(
    ['secrets', 'keys'],
    env.VERIGATE_SECRET_KEYS?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  set(['simulator', 'enabled'], bool(env.VERIGATE_SIMULATOR))
  set(['simulator', 'deliveryDelayMs'], int(env.VERIGATE_SIMULATOR_DELAY_MS))
  set(['webhooks', 'allowPrivateNetworks'], bool(env.VERIGATE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS))
  set(['console', 'defaultCountry'], env.VERIGATE_CONSOLE_DEFAULT_COUNTRY)
  set(['privacy', 'retentionDays'], int(env.VERIGATE_RETENTION_DAYS))
  set(['overload', 'maxEventLoopDelayMs'], int(env.VERIGATE_OVERLOAD_MAX_EVENT_LOOP_DELAY_MS))
  set(['overload', 'maxHeapUsedBytes'], int(env.VERIGATE_OVERLOAD_MAX_HEAP_BYTES))
  set(['overload', 'maxRssBytes'], int(env.VERIGATE_OVERLOAD_MAX_RSS_BYTES))
  set(['heap', 'growthPercent'], int(env.VERIGATE_HEAP_GROWTH_PERCENT))
  return out
}

function merge(base: Json, over: Json): Json {
  const out: Json = { ...base }
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k]
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev)
        ? merge(prev as Json, v as Json)
        : v
  }
  return out
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

export function loadConfig(opts: { env?: NodeJS.ProcessEnv; overrides?: Json } = {}): Readonly<Config> {
  const env = opts.env ?? process.env
  let file: Json = {}
  if (env.VERIGATE_CONFIG) {
    try {
      file = JSON.parse(readFileSync(env.VERIGATE_CONFIG, 'utf8')) as Json
    } catch (err) {
      throw new ConfigError([`VERIGATE_CONFIG (${env.VERIGATE_CONFIG}): ${(err as Error).message}`])
    }
  }
  const input = merge(merge(file, fromEnv(env)), opts.overrides ?? {})
  const parsed = configSchema.safeParse(input)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`))
  }
  const config = parsed.data
  const problems: string[] = []
  if (config.env === 'production' && !config.secrets.keys) {
    problems.push('secrets.keys: required in production (VERIGATE_SECRET_KEYS="k1:<32+ random chars>")')
  }
  if (problems.length) throw new ConfigError(problems)
  return deepFreeze(config)
}

/** Whether the carrier simulator runs: on by default outside production, only when named in production. */
export function simulatorEnabled(config: Config): boolean {
  return config.simulator.enabled ?? config.env !== 'production'
}
