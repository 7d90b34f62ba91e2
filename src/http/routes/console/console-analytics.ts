/**
 * @module GET /console/analytics (the page the console's charts, web/console/, mount on, with the
 * recent alerts) and GET /console/analytics.json (the report they read), for any signed-in role.
 */
import type { FastifyInstance } from 'fastify'
import type { AlertJson } from '../../../analytics/index.js'
import { AppError } from '../../../errors/app-error.js'
import { type ConsoleContext, pageSession, sessionOf } from './console-context.js'
import { h, sendConsolePage } from './console-layout.js'

export const ANALYTICS_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const
export type AnalyticsWindow = keyof typeof ANALYTICS_WINDOWS
export const ANALYTICS_GROUPS = ['country', 'provider', 'route', 'channel'] as const
export type AnalyticsGroup = (typeof ANALYTICS_GROUPS)[number]

const pct = (rate: number) => `${Math.round(rate * 1000) / 10}%`

function alertItem(a: AlertJson): string {
  const when = a.opened_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
  const rate = a.metric === 'delivery_rate' ? 'delivery rate' : 'conversion rate'
  return `<li><time datetime="${h(a.opened_at)}">${h(when)}</time> <span class="badge ${a.status === 'open' ? 'failed' : 'approved'}">${h(a.status)}</span>
${h(rate)} on ${h(a.dimension)} <strong>${h(a.key)}</strong> fell to ${h(pct(a.recent_rate))} (${h(a.recent_samples)} recent) from ${h(pct(a.baseline_rate))} (${h(a.baseline_samples)} before)${
    a.recovered_at ? `; recovered at ${h(a.recovered_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}` : ''
  }</li>`
}

export function registerConsoleAnalytics(app: FastifyInstance, cx: ConsoleContext): void {
  app.get('/analytics', async (request, reply) => {
    const s = await pageSession(request, reply, cx)
    if (!s) return reply
    const alerts = await cx.deps.analytics.recentAlerts(20)
    return sendConsolePage(reply, {
      title: 'Analytics',
      session: s,
      nav: 'analytics',
      scripts: ['console.js'],
      body: `<h1>Delivery analytics</h1>
<section id="analytics" data-endpoint="/console/analytics.json" data-window="24h" data-group-by="country"></section>
<section class="card" aria-labelledby="alerts-title"><h2 id="alerts-title">Recent alerts</h2>
${alerts.length ? `<ul class="alerts">${alerts.map(alertItem).join('')}</ul>` : '<p class="muted">No alerts.</p>'}</section>`,
    })
  })

  app.get<{ Querystring: { window?: string; group_by?: string; service_id?: string } }>('/analytics.json', async (request, reply) => {
    const s = await sessionOf(request, cx)
    if (!s) throw new AppError('CONSOLE_SESSION_INVALID', { message: 'Your console session has ended. Sign in again.' })
    const window = request.query.window ?? '24h'
    const groupBy = request.query.group_by ?? 'country'
    if (!Object.hasOwn(ANALYTICS_WINDOWS, window)) {
      throw new AppError('VALIDATION_FAILED', { message: `window must be one of ${Object.keys(ANALYTICS_WINDOWS).join(', ')}.`, details: { field: 'window' } })
    }
    if (!(ANALYTICS_GROUPS as readonly string[]).includes(groupBy)) {
      throw new AppError('VALIDATION_FAILED', { message: `group_by must be one of ${ANALYTICS_GROUPS.join(', ')}.`, details: { field: 'group_by' } })
    }
    const to = cx.deps.clock.now()
    const from = to - ANALYTICS_WINDOWS[window as AnalyticsWindow]
    const serviceId = typeof request.query.service_id === 'string' && request.query.service_id ? request.query.service_id : undefined
    const report = await cx.deps.analytics.report({ from, to, groupBy: groupBy as AnalyticsGroup, serviceId })
    return reply.header('cache-control', 'no-store').send(report)
  })
}
