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

/** The settings the environment gives, and which variable gave each (by dotted path). */
interface FromEnv {
  readonly values: Json
  readonly sources: ReadonlyMap<string, string>
}

function fromEnv(env: NodeJS.ProcessEnv): FromEnv {
  const values: Json = {}
  const sources = new Map<string, string>()
  /** Sets `path` from the variable `name`, when it is set and `parse` makes something of it. */
  const set = (path: string[], name: string, parse: (raw: string) => unknown = (raw) => raw) => {
    const raw = env[name]
    if (raw === undefined) return
    const value = parse(raw)
    if (value === undefined) return
    let node = values
    for (const key of path.slice(0, -1)) {
      node[key] ??= {}
      node = node[key] as Json
    }
    node[path[path.length - 1]!] = value
    sources.set(path.join('.'), name)
  }
  // Where two variables give one setting, the later call wins.
  set(['env'], 'NODE_ENV', (raw) => (raw === 'production' ? 'production' : undefined))
  set(['env'], 'VERIGATE_ENV')
  set(['role'], 'VERIGATE_ROLE')
  set(['host'], 'VERIGATE_HOST')
  set(['host'], 'HOST')
  set(['port'], 'VERIGATE_PORT', int)
  set(['port'], 'PORT', int)
  set(['publicUrl'], 'VERIGATE_PUBLIC_URL')
  set(['trustProxy'], 'VERIGATE_TRUST_PROXY', trustProxy)
  set(['dataDir'], 'VERIGATE_DATA_DIR')
  set(['databaseUrl'], 'DATABASE_URL')
  set(['redisUrl'], 'REDIS_URL')
  set(['rateLimitStore'], 'VERIGATE_RATE_LIMIT_STORE')
  set(['logLevel'], 'LOG_LEVEL')
  set(['adminApiKey'], 'VERIGATE_ADMIN_API_KEY')
  set(['secrets', 'keys'], 'VERIGATE_SECRET_KEYS', (raw) =>
    raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  set(['simulator', 'enabled'], 'VERIGATE_SIMULATOR', bool)
  set(['simulator', 'deliveryDelayMs'], 'VERIGATE_SIMULATOR_DELAY_MS', int)
  set(['webhooks', 'allowPrivateNetworks'], 'VERIGATE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS', bool)
  set(['console', 'defaultCountry'], 'VERIGATE_CONSOLE_DEFAULT_COUNTRY')
  set(['privacy', 'retentionDays'], 'VERIGATE_RETENTION_DAYS', int)
  set(['overload', 'maxEventLoopDelayMs'], 'VERIGATE_OVERLOAD_MAX_EVENT_LOOP_DELAY_MS', int)
  set(['overload', 'maxHeapUsedBytes'], 'VERIGATE_OVERLOAD_MAX_HEAP_BYTES', int)
  set(['overload', 'maxRssBytes'], 'VERIGATE_OVERLOAD_MAX_RSS_BYTES', int)
  set(['heap', 'growthPercent'], 'VERIGATE_HEAP_GROWTH_PERCENT', int)
  return { values, sources }
}

/**
 * Where a problem's value came from, when a variable gave it (its name only: the value may be a
 * secret), so the person fixing it knows what to change: `heap.growthPercent`'s bad value was set by
 * `VERIGATE_HEAP_GROWTH_PERCENT`, not in the JSON file.
 */
function sourceOf(path: readonly PropertyKey[], sources: ReadonlyMap<string, string>): string {
  for (let n = path.length; n > 0; n--) {
    const name = sources.get(path.slice(0, n).join('.'))
    if (name) return ` (set by ${name})`
  }
  return ''
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
  const fromEnvironment = fromEnv(env)
  const input = merge(merge(file, fromEnvironment.values), opts.overrides ?? {})
  const parsed = configSchema.safeParse(input)
  if (!parsed.success) {
    // An override (a CLI flag) is applied last, so a value it gave is not the variable's.
    const overridden = (path: readonly PropertyKey[]) => opts.overrides?.[String(path[0])] !== undefined
    throw new ConfigError(
      parsed.error.issues.map(
        (i) =>
          `${i.path.join('.') || '(root)'}${overridden(i.path) ? '' : sourceOf(i.path, fromEnvironment.sources)}: ${i.message}`,
      ),
    )
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
