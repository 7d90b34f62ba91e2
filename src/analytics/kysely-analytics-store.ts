/**
 * @module KyselyAnalyticsStore: the analytics counts as plain SQL that SQLite and PostgreSQL both
 * run unchanged (`count`, `sum(case ...)`, integer division for buckets, `group by`). Percentiles
 * are not computed here: SQLite has no `percentile_cont`, so the rows' durations are read (bounded
 * by a limit) and ranked in TypeScript.
 *
 * Where a dimension comes from:
 * - verifications: country and channel of the verification; provider and route of its first
 *   message (`send_number = 1`, the route that message last went out on).
 * - messages: country of the message's verification; channel, provider and route of the message.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from '../storage/schema.js'
import type {
  AnalyticsStore,
  CohortQuery,
  DurationRow,
  MessageCountRow,
  SeriesRow,
  VerificationCountRow,
} from './analytics-store.js'
import type { Dimension } from './figures.js'

const VERIFICATION_DIMS: Record<Dimension, RawBuilder<unknown>> = {
  country: sql`v.country`,
  channel: sql`v.channel`,
  provider: sql`o1.provider_id`,
  route: sql`o1.route_id`,
}

const MESSAGE_DIMS: Record<Dimension, RawBuilder<unknown>> = {
  country: sql`v.country`,
  channel: sql`o.channel`,
  provider: sql`o.provider_id`,
  route: sql`o.route_id`,
}

type Row = Record<string, unknown>

/** Counts come back as number (SQLite, and int8 parsed on PostgreSQL) or string (numeric); NULL for an empty sum. */
function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value)
}

function keysOf(row: Row, n: number): (string | null)[] {
  const keys: (string | null)[] = []
  for (let i = 0; i < n; i++) {
    const k = row[`k${i}`]
    keys.push(k === null || k === undefined ? null : String(k))
  }
  return keys
}

function keyColumns(
  dims: readonly Dimension[],
  map: Record<Dimension, RawBuilder<unknown>>,
): RawBuilder<unknown>[] {
  return dims.map((d, i) => sql`${map[d]} as ${sql.ref(`k${i}`)}`)
}

function groupBy(
  dims: readonly Dimension[],
  map: Record<Dimension, RawBuilder<unknown>>,
): RawBuilder<unknown> {
  return dims.length === 0 ? sql`` : sql`group by ${sql.join(dims.map((d) => map[d]))}`
}

/** The first message's join, only when a dimension needs it. */
function firstMessageJoin(dims: readonly Dimension[]): RawBuilder<unknown> {
  return dims.some((d) => d === 'provider' || d === 'route')
    ? sql`left join outbox o1 on o1.verification_id = v.id and o1.send_number = 1`
    : sql``
}

function verificationJoin(dims: readonly Dimension[]): RawBuilder<unknown> {
  return dims.includes('country') ? sql`join verifications v on v.id = o.verification_id` : sql``
}

function serviceFilter(
  alias: 'v' | 'o',
  q: { readonly serviceId?: string | undefined; readonly serviceIds?: readonly string[] | undefined },
): RawBuilder<unknown> {
  const column = sql.ref(`${alias}.service_id`)
  const one = q.serviceId === undefined ? sql`` : sql`and ${column} = ${q.serviceId}`
  if (q.serviceIds === undefined) return one
  // An empty set must count nothing (never fall back to every service).
  if (q.serviceIds.length === 0) return sql`${one} and 1 = 0`
  return sql`${one} and ${column} in (${sql.join([...q.serviceIds])})`
}

export class KyselyAnalyticsStore implements AnalyticsStore {
  constructor(private readonly db: Kysely<Database>) {}

  consistentRead<T>(read: (store: AnalyticsStore) => Promise<T>): Promise<T> {
    // Seen without it: a receipt committed between two of a report's queries counted a message as
    // delivered with no time to delivery. SQLite's drivers ignore the settings (every SQLite
    // transaction reads one snapshot).
    if (this.db.isTransaction) return read(this)
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute((trx) => read(new KyselyAnalyticsStore(trx)))
  }

  async verificationCounts(q: CohortQuery): Promise<VerificationCountRow[]> {
    const columns = [
      ...keyColumns(q.dims, VERIFICATION_DIMS),
      sql`count(*) as started`,
      sql`sum(case when v.status = 'approved' and v.finished_at < ${q.asOf} then 1 else 0 end) as verified`,
    ]
    const { rows } = await sql<Row>`
      select ${sql.join(columns)}
      from verifications v ${firstMessageJoin(q.dims)}
      where v.created_at >= ${q.from} and v.created_at < ${q.to} ${serviceFilter('v', q)}
      ${groupBy(q.dims, VERIFICATION_DIMS)}`.execute(this.db)
    return rows
      .map((r) => ({ keys: keysOf(r, q.dims.length), started: num(r.started), verified: num(r.verified) }))
      .filter((r) => r.started > 0)
  }

  async messageCounts(q: CohortQuery): Promise<MessageCountRow[]> {
    const columns = [
      ...keyColumns(q.dims, MESSAGE_DIMS),
      sql`sum(case when o.sent_at is not null and o.sent_at < ${q.asOf} then 1 else 0 end) as handed_over`,
      sql`sum(case when o.status = 'delivered' and o.delivered_at < ${q.asOf} then 1 else 0 end) as delivered`,
      sql`sum(case when o.status = 'failed' and o.updated_at < ${q.asOf} then 1 else 0 end) as failed`,
      sql`count(*) as queued`,
    ]
    const { rows } = await sql<Row>`
      select ${sql.join(columns)}
      from outbox o ${verificationJoin(q.dims)}
      where o.created_at >= ${q.from} and o.created_at < ${q.to} ${serviceFilter('o', q)}
      ${groupBy(q.dims, MESSAGE_DIMS)}`.execute(this.db)
    return rows
      .filter((r) => num(r.queued) > 0)
      .map((r) => ({
        keys: keysOf(r, q.dims.length),
        // Every queued message is a send; delivered, failed and the rest (pending) add up to it.
        sent: num(r.queued),
        handedOver: num(r.handed_over),
        delivered: num(r.delivered),
        failed: num(r.failed),
      }))
  }

  async verifyDurations(q: CohortQuery, limit: number): Promise<DurationRow[]> {
    const columns = [...keyColumns(q.dims, VERIFICATION_DIMS), sql`v.finished_at - v.created_at as ms`]
    const { rows } = await sql<Row>`
      select ${sql.join(columns)}
      from verifications v ${firstMessageJoin(q.dims)}
      where v.created_at >= ${q.from} and v.created_at < ${q.to} ${serviceFilter('v', q)}
        and v.status = 'approved' and v.finished_at < ${q.asOf}
      order by v.created_at desc
      limit ${limit}`.execute(this.db)
    return rows.map((r) => ({ keys: keysOf(r, q.dims.length), ms: num(r.ms) }))
  }

  async deliveryDurations(q: CohortQuery, limit: number): Promise<DurationRow[]> {
    const columns = [...keyColumns(q.dims, MESSAGE_DIMS), sql`o.delivered_at - o.created_at as ms`]
    const { rows } = await sql<Row>`
      select ${sql.join(columns)}
      from outbox o ${verificationJoin(q.dims)}
      where o.created_at >= ${q.from} and o.created_at < ${q.to} ${serviceFilter('o', q)}
        and o.status = 'delivered' and o.delivered_at < ${q.asOf}
      order by o.created_at desc
      limit ${limit}`.execute(this.db)
    return rows.map((r) => ({ keys: keysOf(r, q.dims.length), ms: num(r.ms) }))
  }

  async series(q: Omit<CohortQuery, 'dims'>, bucketMs: number): Promise<SeriesRow[]> {
    // A literal, not a parameter: PostgreSQL then sees one and the same expression in select and
    // group by, and both dialects do integer division on the integer columns.
    const size = sql.lit(Math.trunc(bucketMs))
    const byBucket = new Map<
      number,
      { at: number; started: number; verified: number; sent: number; delivered: number }
    >()
    const bucket = (at: number) => {
      let b = byBucket.get(at)
      if (!b) {
        b = { at, started: 0, verified: 0, sent: 0, delivered: 0 }
        byBucket.set(at, b)
      }
      return b
    }
    const verifications = await sql<Row>`
      select (v.created_at / ${size}) * ${size} as at, count(*) as started,
        sum(case when v.status = 'approved' and v.finished_at < ${q.asOf} then 1 else 0 end) as verified
      from verifications v
      where v.created_at >= ${q.from} and v.created_at < ${q.to} ${serviceFilter('v', q)}
      group by 1`.execute(this.db)
    for (const r of verifications.rows) {
      const b = bucket(num(r.at))
      b.started += num(r.started)
      b.verified += num(r.verified)
    }
    const messages = await sql<Row>`
      select (o.created_at / ${size}) * ${size} as at, count(*) as sent,
        sum(case when o.status = 'delivered' and o.delivered_at < ${q.asOf} then 1 else 0 end) as delivered
      from outbox o
      where o.created_at >= ${q.from} and o.created_at < ${q.to} ${serviceFilter('o', q)}
      group by 1`.execute(this.db)
    for (const r of messages.rows) {
      const b = bucket(num(r.at))
      b.sent += num(r.sent)
      b.delivered += num(r.delivered)
    }
    return [...byBucket.values()].sort((a, b) => a.at - b.at)
  }

  async servicesWithTraffic(
    q: Omit<CohortQuery, 'dims' | 'asOf'>,
    dim: Dimension,
    key: string,
    side: 'verifications' | 'messages',
  ): Promise<string[]> {
    const { rows } =
      side === 'verifications'
        ? await sql<Row>`
            select distinct v.service_id as service_id
            from verifications v ${firstMessageJoin([dim])}
            where v.created_at >= ${q.from} and v.created_at < ${q.to} ${serviceFilter('v', q)}
              and ${VERIFICATION_DIMS[dim]} = ${key}`.execute(this.db)
        : await sql<Row>`
            select distinct o.service_id as service_id
            from outbox o ${verificationJoin([dim])}
            where o.created_at >= ${q.from} and o.created_at < ${q.to} ${serviceFilter('o', q)}
              and ${MESSAGE_DIMS[dim]} = ${key}`.execute(this.db)
    return rows.map((r) => String(r.service_id)).sort()
  }
}
