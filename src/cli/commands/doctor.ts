/**
 * @module `verigate doctor <number | verification id>`: "didn't get the code?" from the command
 * line. Opens the configured database and prints the diagnosis of a verification, or a number's
 * analysis with the diagnoses of its latest verifications.
 */
import { parseArgs } from 'node:util'
import type BetterSqlite3 from 'better-sqlite3'
import type pg from 'pg'
import { CHANNELS, isChannel } from '../../channels/channel.js'
import { loadConfig } from '../../config/load.js'
import type { Config } from '../../config/schema.js'
import type { Diagnosis } from '../../diagnosis/index.js'
import { Diagnostician } from '../../diagnosis/index.js'
import { AppError } from '../../errors/app-error.js'
import { phoneJson } from '../../http/representations.js'
import { VerificationLimits } from '../../limits/verification-limits.js'
import { createNoopRateLimiter, createRateLimiter, type RateLimiter } from '../../ratelimit/index.js'
import { systemClock } from '../../shared/clock.js'
import { type OpenedDatabase, openAndMigrate, resolveDatabaseUrl } from '../../storage/open-database.js'
import { KyselyOutboxStore } from '../../storage/outbox-store.js'
import { KyselyVerificationStore } from '../../storage/verification-store.js'

const HELP = `Usage: verigate doctor <NUMBER | VERIFICATION_ID> [options]

"Didn't get the code?": prints the likely causes, most likely first, in the user's words and in
support's (providers, routes, raw codes), with the evidence from the event timeline.

  VERIFICATION_ID   ver_...: diagnose that verification
  NUMBER            analyse the number as typed (and how to fix it), then diagnose its latest verifications

Options:
  --country, -c CC  Country for national-format numbers (07700 900123 with GB)
  --service ID      Only this service's verifications
  --channel NAME    Channel the code goes on, for a number (${CHANNELS.join(', ')}; default sms)
  --limit N         Latest verifications of a number to diagnose (default 3)
  --json            Print JSON (the API's shape)
  --help, -h        This help

Reads DATABASE_URL / VERIGATE_DATA_DIR like "verigate serve". Route health and in-memory limit
counters live in the server process; with Redis or PostgreSQL limits the counters are read too.
`

export async function runDoctor(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      country: { type: 'string', short: 'c' },
      service: { type: 'string' },
      channel: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const target = positionals.join(' ').trim()
  if (values.help || !target) {
    process.stdout.write(HELP)
    return values.help ? 0 : 1
  }
  if (values.channel !== undefined && !isChannel(values.channel)) {
    process.stderr.write(`Unknown channel "${values.channel}"; use ${CHANNELS.join(', ')}.\n`)
    return 2
  }
  const limit = values.limit === undefined ? 3 : Number(values.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
    process.stderr.write('--limit must be a whole number from 1 to 50.\n')
    return 2
  }
  if (values.country !== undefined && !/^[A-Za-z]{2}$/.test(values.country)) {
    process.stderr.write('--country must be a two-letter ISO country code, such as GB.\n')
    return 2
  }

  const config = loadConfig()
  const opened = await openAndMigrate(resolveDatabaseUrl(config.databaseUrl, config.dataDir))
  const limiter = await sharedLimiter(config, opened)
  const diagnostician = new Diagnostician({
    verifications: new KyselyVerificationStore(opened.db),
    outbox: new KyselyOutboxStore(opened.db, opened.caps),
    clock: systemClock,
    receiptTimeoutMs: config.routing.receiptTimeoutMs,
    geo: config.geo,
    limiter,
    limitConfig: config.limits,
    nextSend: (v, now) => new VerificationLimits(createNoopRateLimiter(), config.limits).nextSend(v, now),
  })
  const out = (text: string) => process.stdout.write(text)
  try {
    if (/^ver_[0-9a-z]+$/i.test(target)) {
      const d = await diagnostician.diagnoseVerification(target, { serviceId: values.service })
      out(
        values.json
          ? `${JSON.stringify(d, null, 2)}\n`
          : printDiagnosis(d, `Verification ${d.verification_id}`),
      )
      return 0
    }
    const result = await diagnostician.diagnoseNumber(target, {
      defaultCountry: values.country,
      serviceId: values.service,
      channel: values.channel as (typeof CHANNELS)[number] | undefined,
      limit,
    })
    if (values.json) {
      out(
        `${JSON.stringify({ number: phoneJson(result.phone), diagnosis: result.diagnosis, verifications: result.verifications }, null, 2)}\n`,
      )
      return 0
    }
    const p = result.phone
    const lines = [
      `Number:     ${p.input}`,
      p.e164
        ? `E.164:      ${p.e164}${p.country ? `  (${p.country}, +${p.countryCallingCode})` : ''}`
        : `Valid:      no`,
      `Type:       ${p.type}    SMS: ${p.canReceiveSms ? 'yes' : 'no'}    Voice: ${p.canReceiveVoice ? 'yes' : 'no'}`,
      p.problem && `Problem:    ${p.problem.reason}: ${p.problem.message}`,
      p.suggestion && `Suggestion: ${p.suggestion.message}`,
    ].filter(Boolean)
    out(`${lines.join('\n')}\n\n`)
    out(printDiagnosis(result.diagnosis, 'The number'))
    if (result.verifications.length === 0) {
      out(p.e164 ? '\nNo verifications found for this number.\n' : '')
    }
    for (const d of result.verifications) out(`\n${printDiagnosis(d, `Verification ${d.verification_id}`)}`)
    return 0
  } catch (err) {
    if (err instanceof AppError && err.code === 'VERIFICATION_NOT_FOUND') {
      process.stderr.write(`${err.message}\n`)
      return 1
    }
    throw err
  } finally {
    await limiter?.close()
    await opened.close()
  }
}

/**
 * The limit store the server shares between processes, when there is one (Redis, PostgreSQL, or
 * SQLite when chosen). The in-memory store lives inside the server, so the CLI cannot read it.
 */
async function sharedLimiter(
  config: Readonly<Config>,
  opened: OpenedDatabase & { raw?: unknown; pool?: unknown },
): Promise<RateLimiter | undefined> {
  const store =
    config.rateLimitStore !== 'auto'
      ? config.rateLimitStore
      : config.redisUrl
        ? 'redis'
        : opened.caps.dialect === 'postgres'
          ? 'postgres'
          : 'memory'
  try {
    if (store === 'redis' && config.redisUrl)
      return await createRateLimiter({ kind: 'redis', url: config.redisUrl, onError: () => {} })
    if (store === 'postgres' && opened.pool)
      return await createRateLimiter({ kind: 'postgres', pool: opened.pool as pg.Pool })
    if (store === 'sqlite' && opened.raw)
      return await createRateLimiter({ kind: 'sqlite', db: opened.raw as BetterSqlite3.Database })
  } catch (err) {
    process.stderr.write(
      `Could not read the limit counters (${(err as Error).message}); showing recorded limit events only.\n`,
    )
  }
  return undefined
}

function printDiagnosis(d: Diagnosis, heading: string): string {
  const lines = [
    `${heading}: ${d.status}`,
    `  For the user: ${d.summary_user}`,
    `  For support:  ${d.summary_support}`,
  ]
  if (d.causes.length === 0) lines.push('  No causes found.')
  for (const c of d.causes) {
    lines.push('', `  ${c.rank}. ${c.id} (${c.likelihood}): ${c.title_user}`)
    lines.push(`     User:     ${c.explanation_user}`)
    for (const a of c.next_actions_user) lines.push(`               - ${a}`)
    lines.push(`     Support:  ${c.explanation_support}`)
    for (const a of c.next_actions_support) lines.push(`               - ${a}`)
    const extras = [
      c.wait_seconds !== undefined && `wait ${c.wait_seconds} s`,
      c.sender_id && `sender "${c.sender_id}"`,
      c.suggested_number && `suggested number ${c.suggested_number}`,
      c.suggested_channel && `suggested channel ${c.suggested_channel}`,
      c.sends_left !== undefined && `sends left ${c.sends_left}`,
      c.attempts_left !== undefined && `attempts left ${c.attempts_left}`,
    ].filter(Boolean)
    if (extras.length > 0) lines.push(`     Facts:    ${extras.join(', ')}`)
    if (c.evidence.length > 0) lines.push('     Evidence:')
    for (const e of c.evidence) lines.push(`       ${e.at ?? '-'}  ${e.fact}`)
  }
  return `${lines.join('\n')}\n`
}
