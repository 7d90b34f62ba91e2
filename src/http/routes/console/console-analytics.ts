/**
 * @module GET /console/analytics (the page the console's charts, web/console/, mount on, with the
 * recent alerts) and GET /console/analytics.json (the report they read), for any signed-in role.
 */
import type { FastifyInstance } from 'fastify'
import { ANALYTICS_WINDOWS, GROUP_BYS, isGroupBy } from '../../../analytics/figures.js'
import type { AlertJson } from '../../../analytics/index.js'
import { resolveWindow } from '../../../analytics/window.js'
import { AppError } from '../../../errors/app-error.js'
import {
  type ConsoleContext,
  type ConsoleRequest,
  pageSession,
  reaches,
  sessionOf,
} from './console-context.js'
import { h, sendConsolePage } from './console-layout.js'
import { timeHtml } from './console-timeline.js'

const pct = (rate: number) => `${Math.round(rate * 1000) / 10}%`

function alertItem(a: AlertJson): string {
  const rate = a.metric === 'delivery_rate' ? 'delivery rate' : 'conversion rate'
  return `<li>${timeHtml(Date.parse(a.opened_at))} <span class="badge ${a.status === 'open' ? 'failed' : 'approved'}">${h(a.status)}</span>
${h(rate)} on ${h(a.dimension)} <strong>${h(a.key)}</strong> fell to ${h(pct(a.recent_rate))} (${h(a.recent_samples)} recent) from ${h(pct(a.baseline_rate))} (${h(a.baseline_samples)} before)${
    a.recovered_at ? `; recovered at ${timeHtml(Date.parse(a.recovered_at))}` : ''
  }</li>`
}

/**
 * Alerts a member limited to services may see: those their services' traffic was part of, naming
 * only their services (as GET /v1/analytics/alerts does for a scoped key).
 */
function alertsFor(s: ConsoleRequest, alerts: readonly AlertJson[]): AlertJson[] {
  const only = s.principal.services
  if (only === null) return [...alerts]
  return alerts
    .map((a) => ({ ...a, service_ids: a.service_ids.filter((id) => only.includes(id)) }))
    .filter((a) => a.service_ids.length > 0)
}

export function registerConsoleAnalytics(app: FastifyInstance, cx: ConsoleContext): void {
  app.get<{ Querystring: { window?: string; group_by?: string } }>('/analytics', async (request, reply) => {
    const s = await pageSession(request, reply, cx)
    if (!s) return reply
    const alerts = alertsFor(s, await cx.deps.analytics.recentAlerts(20))
    // The view the URL names (the charts keep it there as the selection changes); unknown values
    // fall back to the defaults rather than failing the page.
    const windowValue = (ANALYTICS_WINDOWS as readonly string[]).includes(request.query.window ?? '')
      ? request.query.window
      : '24h'
    const groupBy = isGroupBy(request.query.group_by ?? '') ? request.query.group_by : 'country'
    return sendConsolePage(reply, {
      title: 'Analytics',
      session: s,
      nav: 'analytics',
      scripts: ['console.js'],
      body: `<h1>Delivery analytics</h1>
<section id="analytics" data-endpoint="/console/analytics.json" data-window="${h(windowValue)}" data-group-by="${h(groupBy)}"></section>
<section class="card" aria-labelledby="alerts-title"><h2 id="alerts-title">Recent alerts</h2>
${alerts.length ? `<ul class="alerts">${alerts.map(alertItem).join('')}</ul>` : '<p class="muted">No alerts.</p>'}</section>`,
    })
  })

  app.get<{ Querystring: { window?: string; group_by?: string; service_id?: string } }>(
    '/analytics.json',
    async (request, reply) => {
      const s = await sessionOf(request, cx)
      if (!s)
        throw new AppError('CONSOLE_SESSION_INVALID', {
          message: 'Your console session has ended. Sign in again.',
        })
      // The same windows and groupings as GET /v1/analytics/summary, with the same refusals.
      const { from, to } = resolveWindow({ window: request.query.window ?? '24h' }, cx.deps.clock.now())
      const groupBy = request.query.group_by ?? 'country'
      if (!isGroupBy(groupBy)) {
        throw new AppError('VALIDATION_FAILED', {
          message: `group_by must be one of ${GROUP_BYS.join(', ')}.`,
          details: { field: 'group_by' },
        })
      }
      const serviceId =
        typeof request.query.service_id === 'string' && request.query.service_id
          ? request.query.service_id
          : undefined
      // A member limited to services counts their services' traffic only; another service's id
      // answers as one that does not exist.
      if (serviceId !== undefined && !reaches(s, serviceId)) {
        throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${serviceId}".` })
      }
      const serviceIds = s.principal.services ?? undefined
      const report = await cx.deps.analytics.report({ from, to, groupBy, serviceId, serviceIds })
      return reply.header('cache-control', 'no-store').send(report)
    },
  )
}
