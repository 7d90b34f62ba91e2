/**
 * @module GET /v1/analytics/summary (conversion, delivery rate, timings and a time series over a
 * window, per country, provider, route or channel) and GET /v1/analytics/alerts (recent rate-drop
 * alerts). Read scope. Definitions in docs/analytics.md.
 */
import type { FastifyInstance } from 'fastify'
import type { AlertJson } from '../../analytics/alert.js'
import { ALERT_DIMENSIONS, ALERT_KINDS, ALERT_STATUSES } from '../../analytics/alert.js'
import { type AnalyticsReport, GROUP_BYS, type GroupBy } from '../../analytics/figures.js'
import { ANALYTICS_WINDOWS, resolveWindow } from '../../analytics/window.js'
import { AppError } from '../../errors/app-error.js'
import { type ApiKeyAuth, serviceFilterOf, servicesOf } from '../auth.js'
import type { HttpContext } from '../http-context.js'

/** The response of GET /v1/analytics/summary. */
export type AnalyticsSummaryResponse = AnalyticsReport

/** The response of GET /v1/analytics/alerts. */
export interface AnalyticsAlertsResponse {
  readonly data: AlertJson[]
}

const nullableNumber = { type: ['number', 'null'] } as const
const percentiles = {
  type: 'object',
  properties: { p50: nullableNumber, p90: nullableNumber },
} as const
const figureProperties = {
  started: { type: 'integer' },
  verified: { type: 'integer' },
  conversion_rate: nullableNumber,
  messages_sent: { type: 'integer' },
  messages_handed_over: { type: 'integer' },
  messages_delivered: { type: 'integer' },
  messages_failed: { type: 'integer' },
  messages_pending: { type: 'integer' },
  delivery_rate: nullableNumber,
  sends_per_verification: nullableNumber,
  time_to_delivery_ms: percentiles,
  time_to_verify_ms: percentiles,
} as const

const summarySchema = {
  type: 'object',
  properties: {
    window: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } },
    group_by: { type: 'string', enum: GROUP_BYS },
    totals: { type: 'object', properties: figureProperties },
    groups: {
      type: 'array',
      items: { type: 'object', properties: { key: { type: 'string' }, ...figureProperties } },
    },
    series: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: { type: 'string' },
          started: { type: 'integer' },
          verified: { type: 'integer' },
          sent: { type: 'integer' },
          delivered: { type: 'integer' },
        },
      },
    },
  },
} as const

const alertSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ALERT_KINDS },
    dimension: { type: 'string', enum: ALERT_DIMENSIONS },
    key: { type: 'string' },
    status: { type: 'string', enum: ALERT_STATUSES },
    metric: { type: 'string', enum: ['delivery_rate', 'conversion_rate'] },
    baseline_rate: { type: 'number' },
    baseline_samples: { type: 'integer' },
    recent_rate: { type: 'number' },
    recent_samples: { type: 'integer' },
    recovered_rate: nullableNumber,
    service_ids: { type: 'array', items: { type: 'string' } },
    opened_at: { type: 'string' },
    recovered_at: { type: ['string', 'null'] },
  },
} as const

interface SummaryQuery {
  window?: string
  from?: string
  to?: string
  group_by?: GroupBy
  service_id?: string
}

function checkChoice(field: string, value: string | undefined, allowed: readonly string[], hint = ''): void {
  if (value !== undefined && !allowed.includes(value)) {
    throw new AppError('VALIDATION_FAILED', {
      message: `${field} must be one of ${allowed.join(', ')}${hint}.`,
      details: { field },
    })
  }
}

export function registerAnalyticsRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  const read = auth.require('read')

  app.get<{ Querystring: SummaryQuery }>(
    '/v1/analytics/summary',
    {
      onRequest: read,
      attachValidation: true,
      schema: {
        tags: ['analytics'],
        summary:
          'Conversion, delivery rate, time to delivery/verify and sends per verification over a window, with a time series',
        description:
          'A window is a cohort: verifications created and messages queued in it, with outcomes counted up to its end. ' +
          'Use `window` (ending now) or `from`/`to` (ISO 8601). Series buckets are hourly up to 48 h, daily beyond. See docs/analytics.md.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            window: {
              type: 'string',
              enum: ANALYTICS_WINDOWS,
              description: 'Preset ending now. @default 24h',
            },
            from: {
              type: 'string',
              maxLength: 40,
              description: 'Start (inclusive), ISO 8601; instead of window.',
            },
            to: { type: 'string', maxLength: 40, description: 'End (exclusive), ISO 8601. @default now' },
            group_by: { type: 'string', enum: GROUP_BYS, description: '@default none' },
            service_id: {
              type: 'string',
              minLength: 1,
              maxLength: 64,
              description: 'Only this service. @default every service',
            },
          },
        },
        response: { 200: summarySchema },
      },
    },
    async (request): Promise<AnalyticsSummaryResponse> => {
      const q = request.query
      if (request.validationError) {
        // Name the allowed values (the schema's own message only says "one of the allowed values").
        checkChoice('window', q.window, ANALYTICS_WINDOWS, ' (or use from/to)')
        checkChoice('group_by', q.group_by, GROUP_BYS)
        throw request.validationError
      }
      const { from, to } = resolveWindow(q, deps.clock.now())
      // A key limited to services reads its own service's figures only.
      const serviceId = serviceFilterOf(request, q.service_id)
      if (serviceId !== undefined && !(await deps.services.get(serviceId))) {
        throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${serviceId}".` })
      }
      return deps.analytics.report({ from, to, groupBy: q.group_by ?? 'none', serviceId })
    },
  )

  app.get<{ Querystring: { limit?: string } }>(
    '/v1/analytics/alerts',
    {
      onRequest: read,
      schema: {
        tags: ['analytics'],
        summary: 'Recent rate-drop alerts (open and recovered), newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'string', pattern: '^[0-9]{1,3}$', description: '1-500. @default 50' },
          },
        },
        response: { 200: { type: 'object', properties: { data: { type: 'array', items: alertSchema } } } },
      },
    },
    async (request): Promise<AnalyticsAlertsResponse> => {
      const limit = request.query.limit === undefined ? 50 : Number(request.query.limit)
      if (limit < 1 || limit > 500) {
        throw new AppError('VALIDATION_FAILED', {
          message: 'limit must be between 1 and 500.',
          details: { field: 'limit' },
        })
      }
      const alerts = await deps.analytics.recentAlerts(limit)
      const only = servicesOf(request)
      if (only === null) return { data: alerts }
      // Alerts are per country, route or channel across services: a key limited to services sees
      // those its services were part of, naming only its own.
      return {
        data: alerts
          .map((a) => ({ ...a, service_ids: a.service_ids.filter((id) => only.includes(id)) }))
          .filter((a) => a.service_ids.length > 0),
      }
    },
  )
}
