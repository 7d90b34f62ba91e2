/**
 * @module Twilio Service Rate Limits: `/v2/Services/{VA}/RateLimits` and their `/Buckets`, and their
 * enforcement when a verification starts with `RateLimits={"<unique_name>": "<key value>"}`. Each
 * bucket is a fixed-window rule of verigate's own limiter (`deps.limiter`), so the counters live
 * where every other limit lives (memory, Redis or PostgreSQL) and are shared by all instances.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { LimitRule } from '../ratelimit/rate-limiter.js'
import type { Service } from '../services/service.js'
import {
  bodyParams,
  type CompatContext,
  loadService,
  pageSize,
  queryParams,
  renderContext,
  resourcePath,
} from './context.js'
import { invalidParameter, notFound, TwilioError, tooManyRequests } from './errors.js'
import { bucketJson, pageJson, rateLimitJson, serviceSid } from './representations.js'
import { isSid, randomSid } from './sids.js'
import type { RateLimit, RateLimitBucket } from './store.js'

/** Per-service and per-rate-limit caps (Twilio has such caps too: 60207, 60210). */
export const MAX_RATE_LIMITS_PER_SERVICE = 20
export const MAX_BUCKETS_PER_RATE_LIMIT = 10
const UNIQUE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/
/** Longest key value accepted in `RateLimits` (values are hashed by no one; keep them short). */
const MAX_KEY_VALUE = 256

/** The limiter rule of a bucket. Max and interval are in the name: an edited bucket starts afresh. */
export function bucketRule(b: RateLimitBucket): LimitRule {
  return {
    name: `twilio-bucket:${b.sid}:${b.max}:${b.intervalSeconds}`,
    points: b.max,
    durationSeconds: b.intervalSeconds,
  }
}

/**
 * Consumes one point in every bucket of every rate limit named in `given`. Twilio applies only the
 * rate limits the request names; a name the service does not define is a bad parameter.
 * @throws TwilioError 60200 (RateLimits) or 429 / 20429 with Retry-After when a bucket is full
 */
export async function enforceRateLimits(
  cx: CompatContext,
  service: Service,
  given: Record<string, unknown> | undefined,
  destination: string,
): Promise<void> {
  if (!given || Object.keys(given).length === 0) return
  const defined = new Map((await cx.store.listRateLimits(service.id)).map((r) => [r.uniqueName, r]))
  const wanted: Array<{ rateLimit: RateLimit; value: string }> = []
  for (const [name, raw] of Object.entries(given)) {
    const rateLimit = defined.get(name)
    const value =
      typeof raw === 'string'
        ? raw
        : typeof raw === 'number' && Number.isFinite(raw)
          ? String(raw)
          : undefined
    if (!rateLimit || value === undefined || value.length === 0 || value.length > MAX_KEY_VALUE) {
      throw invalidParameter(
        'RateLimits',
        rateLimit ? `the value of "${name}" must be a non-empty string` : `no rate limit named "${name}"`,
      )
    }
    wanted.push({ rateLimit, value })
  }
  for (const { rateLimit, value } of wanted) {
    for (const bucket of await cx.store.listBuckets(rateLimit.sid)) {
      const decision = await cx.deps.limiter.consume(bucketRule(bucket), value)
      if (decision.allowed) continue
      // Recorded like verigate's own refusals, so support and diagnosis see it on the destination.
      await cx.deps.verifier.recordLimitHit({
        serviceId: service.id,
        destination,
        verificationId: null,
        limit: 'twilio_rate_limit',
        retryAfterMs: decision.retryAfterMs,
        details: {
          rate_limit: rateLimit.uniqueName,
          bucket_sid: bucket.sid,
          max: bucket.max,
          interval: bucket.intervalSeconds,
        },
      })
      throw tooManyRequests(decision.retryAfterMs / 1000, {
        rate_limit_sid: rateLimit.sid,
        unique_name: rateLimit.uniqueName,
        bucket_sid: bucket.sid,
        max: bucket.max,
        interval: bucket.intervalSeconds,
      })
    }
  }
}

export function registerRateLimitRoutes(app: FastifyInstance, cx: CompatContext): void {
  const { store, deps } = cx
  const read = cx.auth.require('read')

  const loadRateLimit = async (request: FastifyRequest<{ Params: { serviceSid: string; sid: string } }>) => {
    const service = await loadService(cx, request.params.serviceSid, request)
    const sid = request.params.sid
    const rateLimit = isSid(sid, 'RK')
      ? await store.getRateLimit(service.id, `RK${sid.slice(2).toLowerCase()}`)
      : undefined
    if (!rateLimit) throw notFound(resourcePath(request))
    return rateLimit
  }

  app.post<{ Params: { serviceSid: string } }>(
    '/Services/:serviceSid/RateLimits',
    { onRequest: cx.auth.require('admin', { audit: 'rate_limit.create' }) },
    async (request, reply) => {
      const service = await loadService(cx, request.params.serviceSid, request)
      const p = bodyParams(request)
      const uniqueName = p.string('UniqueName', { required: true, max: 64 })
      if (!UNIQUE_NAME.test(uniqueName)) throw new TwilioError(400, 60209, 'UniqueName format is invalid')
      const description = p.string('Description', { max: 255 }) ?? null
      if ((await store.listRateLimits(service.id)).length >= MAX_RATE_LIMITS_PER_SERVICE) {
        throw new TwilioError(400, 60207, 'Max rate limits per service reached')
      }
      const now = deps.clock.now()
      const rateLimit: RateLimit = {
        sid: randomSid('RK'),
        serviceId: service.id,
        uniqueName,
        description,
        createdAt: now,
        updatedAt: now,
      }
      if ((await store.insertRateLimit(rateLimit)) === 'duplicate') {
        throw new TwilioError(400, 60208, 'Rate limit with that UniqueName already exists')
      }
      return reply.code(201).send(rateLimitJson(renderContext(request), rateLimit))
    },
  )

  app.get<{ Params: { serviceSid: string } }>(
    '/Services/:serviceSid/RateLimits',
    { onRequest: read },
    async (request) => {
      const service = await loadService(cx, request.params.serviceSid, request)
      const size = pageSize(queryParams(request))
      const ctx = renderContext(request)
      const items = (await store.listRateLimits(service.id)).map((r) => rateLimitJson(ctx, r))
      // At most MAX_RATE_LIMITS_PER_SERVICE exist, so one page always holds them all.
      return pageJson(ctx, 'rate_limits', `/v2/Services/${serviceSid(service.id)}/RateLimits`, items, {
        page: 0,
        pageSize: Math.max(size, items.length),
        nextPageToken: null,
      })
    },
  )

  app.get<{ Params: { serviceSid: string; sid: string } }>(
    '/Services/:serviceSid/RateLimits/:sid',
    { onRequest: read },
    async (request) => rateLimitJson(renderContext(request), await loadRateLimit(request)),
  )

  app.post<{ Params: { serviceSid: string; sid: string } }>(
    '/Services/:serviceSid/RateLimits/:sid',
    { onRequest: cx.auth.require('admin', { audit: 'rate_limit.update' }) },
    async (request) => {
      const current = await loadRateLimit(request)
      const p = bodyParams(request)
      const description = p.string('Description', { max: 255 })
      const next: RateLimit = {
        ...current,
        description: description ?? current.description,
        updatedAt: deps.clock.now(),
      }
      await store.updateRateLimit(next)
      return rateLimitJson(renderContext(request), next)
    },
  )

  app.delete<{ Params: { serviceSid: string; sid: string } }>(
    '/Services/:serviceSid/RateLimits/:sid',
    { onRequest: cx.auth.require('admin', { audit: 'rate_limit.delete' }) },
    async (request, reply) => {
      const rateLimit = await loadRateLimit(request)
      if (!(await store.deleteRateLimit(rateLimit.serviceId, rateLimit.sid)))
        throw notFound(resourcePath(request))
      return reply.code(204).send()
    },
  )

  // Buckets.
  type BucketParams = { Params: { serviceSid: string; sid: string; bucketSid: string } }
  const bucketsPath = '/Services/:serviceSid/RateLimits/:sid/Buckets'

  const loadBucket = async (request: FastifyRequest<BucketParams>) => {
    const rateLimit = await loadRateLimit(request)
    const sid = request.params.bucketSid
    const bucket = isSid(sid, 'BL')
      ? await store.getBucket(rateLimit.sid, `BL${sid.slice(2).toLowerCase()}`)
      : undefined
    if (!bucket) throw notFound(resourcePath(request))
    return bucket
  }

  const readBucket = (request: FastifyRequest, required: boolean) => {
    const p = bodyParams(request)
    const max = p.int('Max', 1, 1_000_000)
    const interval = p.int('Interval', 1, 31_536_000)
    if (required && max === undefined) throw invalidParameter('Max', 'is required')
    if (required && interval === undefined) throw invalidParameter('Interval', 'is required')
    return { max, interval }
  }

  app.post<{ Params: { serviceSid: string; sid: string } }>(
    bucketsPath,
    { onRequest: cx.auth.require('admin', { audit: 'rate_limit_bucket.create' }) },
    async (request, reply) => {
      const rateLimit = await loadRateLimit(request)
      const { max, interval } = readBucket(request, true)
      if ((await store.listBuckets(rateLimit.sid)).length >= MAX_BUCKETS_PER_RATE_LIMIT) {
        throw new TwilioError(400, 60210, 'Max Buckets per Rate limit reached')
      }
      const now = deps.clock.now()
      const bucket: RateLimitBucket = {
        sid: randomSid('BL'),
        rateLimitSid: rateLimit.sid,
        serviceId: rateLimit.serviceId,
        max: max!,
        intervalSeconds: interval!,
        createdAt: now,
        updatedAt: now,
      }
      if ((await store.insertBucket(bucket)) === 'duplicate') {
        throw new TwilioError(400, 60211, 'Bucket with the given Interval already exists')
      }
      return reply.code(201).send(bucketJson(renderContext(request), bucket))
    },
  )

  app.get<{ Params: { serviceSid: string; sid: string } }>(
    bucketsPath,
    { onRequest: read },
    async (request) => {
      const rateLimit = await loadRateLimit(request)
      const size = pageSize(queryParams(request))
      const ctx = renderContext(request)
      const items = (await store.listBuckets(rateLimit.sid)).map((b) => bucketJson(ctx, b))
      return pageJson(
        ctx,
        'buckets',
        `/v2/Services/${serviceSid(rateLimit.serviceId)}/RateLimits/${rateLimit.sid}/Buckets`,
        items,
        {
          page: 0,
          pageSize: Math.max(size, items.length),
          nextPageToken: null,
        },
      )
    },
  )

  app.get<BucketParams>(`${bucketsPath}/:bucketSid`, { onRequest: read }, async (request) =>
    bucketJson(renderContext(request), await loadBucket(request)),
  )

  app.post<BucketParams>(
    `${bucketsPath}/:bucketSid`,
    { onRequest: cx.auth.require('admin', { audit: 'rate_limit_bucket.update' }) },
    async (request) => {
      const current = await loadBucket(request)
      const { max, interval } = readBucket(request, false)
      const next: RateLimitBucket = {
        ...current,
        max: max ?? current.max,
        intervalSeconds: interval ?? current.intervalSeconds,
        updatedAt: deps.clock.now(),
      }
      if ((await store.updateBucket(next)) === 'duplicate') {
        throw new TwilioError(400, 60211, 'Bucket with the given Interval already exists')
      }
      return bucketJson(renderContext(request), next)
    },
  )

  app.delete<BucketParams>(
    `${bucketsPath}/:bucketSid`,
    { onRequest: cx.auth.require('admin', { audit: 'rate_limit_bucket.delete' }) },
    async (request, reply) => {
      const bucket = await loadBucket(request)
      if (!(await store.deleteBucket(bucket.rateLimitSid, bucket.sid))) throw notFound(resourcePath(request))
      return reply.code(204).send()
    },
  )
}
