/**
 * @module resolveWindow(): a report window from a preset (`1h`, `24h`, `7d`, `30d`, ending now)
 * or from explicit `from`/`to` (ISO 8601), with the reasons a window is refused.
 */
import { AppError } from '../errors/app-error.js'
import { ANALYTICS_WINDOWS, type AnalyticsWindow, DAY_MS, HOUR_MS } from './figures.js'

export { ANALYTICS_WINDOWS, type AnalyticsWindow }

export const WINDOW_MS: Record<AnalyticsWindow, number> = {
  '1h': HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
}

export function isAnalyticsWindow(value: string): value is AnalyticsWindow {
  return (ANALYTICS_WINDOWS as readonly string[]).includes(value)
}

/** Longest explicit window: about 400 daily buckets. */
export const MAX_WINDOW_MS = 400 * DAY_MS

/** ISO 8601 date (`2026-01-10`, midnight UTC) or date-time with `Z` or an offset. */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/

function parseInstant(value: string, field: 'from' | 'to'): number {
  const ms = ISO.test(value) ? Date.parse(value) : Number.NaN
  if (!Number.isFinite(ms)) {
    throw new AppError('VALIDATION_FAILED', {
      message: `${field} must be an ISO 8601 date or date-time with a time zone, such as 2026-01-10 or 2026-01-10T09:00:00Z.`,
      details: { field },
    })
  }
  return ms
}

/**
 * `window` alone (default `24h`): the last stretch ending at `now`. `from` (and optionally `to`,
 * default now): that range. Both kinds at once, `from` not before `to`, or a range over 400 days
 * are refused with VALIDATION_FAILED naming the field.
 */
export function resolveWindow(
  q: { window?: string; from?: string; to?: string },
  now: number,
): { from: number; to: number } {
  const custom = q.from !== undefined || q.to !== undefined
  if (custom && q.window !== undefined) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'Give either window (1h, 24h, 7d, 30d) or from/to, not both.',
      details: { field: 'window' },
    })
  }
  if (!custom) {
    const w = q.window ?? '24h'
    if (!isAnalyticsWindow(w)) {
      throw new AppError('VALIDATION_FAILED', {
        message: `window must be one of ${ANALYTICS_WINDOWS.join(', ')} (or use from/to).`,
        details: { field: 'window' },
      })
    }
    return { from: now - WINDOW_MS[w], to: now }
  }
  if (q.from === undefined) {
    throw new AppError('VALIDATION_FAILED', {
      message:
        'to needs a from: give the start of the range too (or use window for the last 1h, 24h, 7d or 30d).',
      details: { field: 'from' },
    })
  }
  const from = parseInstant(q.from, 'from')
  const to = q.to === undefined ? now : parseInstant(q.to, 'to')
  if (from >= to) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'from must be before to.',
      details: { field: 'from' },
    })
  }
  if (to - from > MAX_WINDOW_MS) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'The window is longer than 400 days; choose a shorter from/to range.',
      details: { field: 'from' },
    })
  }
  return { from, to }
}
