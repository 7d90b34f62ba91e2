/**
 * @module Overload protection by @fastify/under-pressure: while the event loop lags or memory is
 * past its threshold (`overload` settings), requests are refused at once with 503
 * `SERVER_OVERLOADED` and `Retry-After` in the usual error envelope, rather than queued to be
 * answered too late. Liveness, readiness and metrics still answer: a busy process must not be
 * restarted, `/readyz` reports the overload (503) so a load balancer drains this instance, and
 * operators keep their figures.
 */
import underPressure, {
  TYPE_EVENT_LOOP_DELAY,
  TYPE_HEAP_USED_BYTES,
  TYPE_RSS_BYTES,
} from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors/app-error.js'
import type { OverloadConfig } from '../health/overload-config.js'

/** Routes that answer even under pressure. */
const ALWAYS_ANSWERED = new Set(['/livez', '/healthz', '/readyz', '/metrics'])

/** What `/readyz` shows: whether this instance is overloaded, and the figures it judged by. */
export interface OverloadState {
  readonly overloaded: boolean
  readonly eventLoopDelayMs: number
  readonly heapUsedBytes: number
  readonly rssBytes: number
}

const REASONS: Record<string, string> = {
  [TYPE_EVENT_LOOP_DELAY]: 'event_loop_delay',
  [TYPE_HEAP_USED_BYTES]: 'heap_used',
  [TYPE_RSS_BYTES]: 'rss',
}

/** The refusal, shared by every route and /readyz. */
export function overloadedError(config: OverloadConfig, reason: string): AppError {
  return new AppError('SERVER_OVERLOADED', {
    message: `This server is overloaded (${reason.replaceAll('_', ' ')} past its threshold). Retry in ${config.retryAfterSeconds} s.`,
    details: { reason, retry_after: config.retryAfterSeconds },
    headers: { 'retry-after': String(config.retryAfterSeconds) },
  })
}

/** The overload state as /readyz reads it. */
export interface OverloadMonitor {
  state(): OverloadState
  /** The refusal for a state that is overloaded (which threshold, when to retry). */
  refusal(state: OverloadState): AppError
}

const NEVER: OverloadState = { overloaded: false, eventLoopDelayMs: 0, heapUsedBytes: 0, rssBytes: 0 }

/** For an app without overload protection (every threshold 0). */
export const NO_OVERLOAD_MONITOR: OverloadMonitor = {
  state: () => NEVER,
  refusal: () => new AppError('SERVER_OVERLOADED'),
}

/** Registers the plugin app-wide (before the routes). */
export async function registerOverloadProtection(
  app: FastifyInstance,
  config: OverloadConfig,
): Promise<OverloadMonitor> {
  const checking = config.maxEventLoopDelayMs > 0 || config.maxHeapUsedBytes > 0 || config.maxRssBytes > 0
  if (!checking) return NO_OVERLOAD_MONITOR
  // The first samples measure start-up (migrations, module loading), not load: event-loop delay
  // counts from two samples after the app is ready.
  let readyAt = Number.POSITIVE_INFINITY
  app.addHook('onReady', async () => {
    readyAt = Date.now()
  })
  const warmingUp = () => Date.now() < readyAt + 2 * config.sampleIntervalMs
  await app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.maxHeapUsedBytes,
    maxRssBytes: config.maxRssBytes,
    sampleInterval: config.sampleIntervalMs,
    retryAfter: config.retryAfterSeconds,
    pressureHandler: async (request, _reply, type) => {
      if (ALWAYS_ANSWERED.has(request.routeOptions.url ?? '')) return
      if (type === TYPE_EVENT_LOOP_DELAY && warmingUp()) return
      throw overloadedError(config, REASONS[type] ?? type)
    },
  })
  return {
    state() {
      const usage = app.memoryUsage()
      const memory =
        (config.maxHeapUsedBytes > 0 && usage.heapUsed > config.maxHeapUsedBytes) ||
        (config.maxRssBytes > 0 && usage.rssBytes > config.maxRssBytes)
      return {
        overloaded: memory || (app.isUnderPressure() && !warmingUp()),
        eventLoopDelayMs: Math.round(usage.eventLoopDelay),
        heapUsedBytes: usage.heapUsed,
        rssBytes: usage.rssBytes,
      }
    },
    refusal: (state) => overloadedError(config, overloadReason(state, config)),
  }
}

/** Which threshold the state is past. */
function overloadReason(state: OverloadState, config: OverloadConfig): string {
  if (config.maxEventLoopDelayMs > 0 && state.eventLoopDelayMs > config.maxEventLoopDelayMs)
    return 'event_loop_delay'
  if (config.maxHeapUsedBytes > 0 && state.heapUsedBytes > config.maxHeapUsedBytes) return 'heap_used'
  return 'rss'
}
