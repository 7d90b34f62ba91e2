/**
 * @module RedisFraudStore: the fraud guard's counters and marks in Redis, so every instance judges
 * on the same figures. A counter is one hash per key with a field per bucket (`s<bucket>`,
 * `a<bucket>`): a sample is one HINCRBY, the hash expires a window after its last start, and
 * fields of buckets that left the window are deleted when the key is next read. Marks are JSON
 * strings with their own expiry, indexed by a sorted set on their end time for the console.
 */
import type { Redis } from 'ioredis'
import type { CohortBucket, FraudMark, FraudStore } from './fraud-store.js'

/** Replaces the mark at KEYS[1] only when the one stored has ended by the caller's clock (ARGV[3]). */
const REPLACE_ENDED = `
local cur = redis.call('GET', KEYS[1])
if cur and cjson.decode(cur).until > tonumber(ARGV[3]) then return false end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'OK'`

export class RedisFraudStore implements FraudStore {
  constructor(
    private readonly redis: Redis,
    private readonly windowMs: number,
    /** Namespaces every key (`<prefix>:c:<key>`, `<prefix>:m:<key>`, `<prefix>:marks`). */
    private readonly prefix: string,
  ) {}

  async add(keys: readonly string[], field: 'starts' | 'approvals', bucket: number) {
    const name = `${field === 'starts' ? 's' : 'a'}${bucket}`
    const multi = this.redis.multi()
    for (const key of keys) {
      multi.hincrby(`${this.prefix}:c:${key}`, name, 1)
      // An approval does not keep a counter alive; a start keeps it for a window (plus a bucket).
      if (field === 'starts') multi.pexpire(`${this.prefix}:c:${key}`, this.windowMs + this.windowMs / 60)
    }
    await multi.exec()
  }

  async subtract(keys: readonly string[], buckets: readonly CohortBucket[]) {
    const multi = this.redis.multi()
    for (const key of keys)
      for (const b of buckets) {
        if (b.starts > 0) multi.hincrby(`${this.prefix}:c:${key}`, `s${b.bucket}`, -b.starts)
        if (b.approvals > 0) multi.hincrby(`${this.prefix}:c:${key}`, `a${b.bucket}`, -b.approvals)
      }
    await multi.exec()
  }

  async read(keys: readonly string[], oldestBucket: number): Promise<CohortBucket[][]> {
    const pipeline = this.redis.pipeline()
    for (const key of keys) pipeline.hgetall(`${this.prefix}:c:${key}`)
    const replies = (await pipeline.exec()) ?? []
    const stale = this.redis.pipeline()
    let staleCount = 0
    const out = keys.map((key, i) => {
      const [err, raw] = replies[i] ?? [null, {}]
      if (err) throw err
      const byBucket = new Map<number, { starts: number; approvals: number }>()
      const old: string[] = []
      for (const [field, value] of Object.entries((raw ?? {}) as Record<string, string>)) {
        const bucket = Number(field.slice(1))
        if (!Number.isFinite(bucket)) continue
        if (bucket < oldestBucket) {
          old.push(field)
          continue
        }
        const b = byBucket.get(bucket) ?? { starts: 0, approvals: 0 }
        // A subtraction can race a read of the same bucket below zero for a moment: read as none.
        if (field.startsWith('s')) b.starts += Math.max(0, Number(value))
        else b.approvals += Math.max(0, Number(value))
        byBucket.set(bucket, b)
      }
      if (old.length > 0) {
        stale.hdel(`${this.prefix}:c:${key}`, ...old)
        staleCount++
      }
      return [...byBucket].map(([bucket, b]) => ({ bucket, ...b }))
    })
    // Housekeeping only: a failure here changes no figure (the fields are ignored when read).
    if (staleCount > 0) stale.exec().catch(() => undefined)
    return out
  }

  async marks(keys: readonly string[], now: number): Promise<(FraudMark | undefined)[]> {
    if (keys.length === 0) return []
    const raw = await this.redis.mget(keys.map((k) => `${this.prefix}:m:${k}`))
    // Redis expires a mark on its own clock; `until` is the one the guard's clock is held to.
    return raw.map((r) => {
      const m = r ? (JSON.parse(r) as FraudMark) : undefined
      return m && m.until > now ? m : undefined
    })
  }

  async putMark(mark: FraudMark, now: number): Promise<boolean> {
    const ttl = Math.max(1, mark.until - now)
    const key = `${this.prefix}:m:${mark.key}`
    const body = JSON.stringify(mark)
    if (mark.kind === 'block') {
      const [live] = await this.marks([mark.key], now)
      if (live) return false
    }
    // NX still settles a race between two instances deciding the same block at once; a mark past
    // its `until` but not yet expired by Redis is replaced (XX) rather than kept.
    const stored =
      mark.kind === 'block'
        ? ((await this.redis.set(key, body, 'PX', ttl, 'NX')) ??
          (await this.redis.eval(REPLACE_ENDED, 1, key, body, String(ttl), String(now))))
        : await this.redis.set(key, body, 'PX', ttl)
    if (stored !== 'OK') return false
    await this.redis
      .multi()
      .zadd(`${this.prefix}:marks`, mark.until, mark.key)
      .zremrangebyscore(`${this.prefix}:marks`, '-inf', now)
      .exec()
    return true
  }

  async listMarks(now: number, limit: number): Promise<FraudMark[]> {
    const keys = await this.redis.zrangebyscore(`${this.prefix}:marks`, now, '+inf')
    const marks = (await this.marks(keys, now)).filter(
      (m): m is FraudMark => m !== undefined && m.until > now,
    )
    return marks.sort((a, b) => b.since - a.since).slice(0, limit)
  }

  async close(): Promise<void> {}
}
