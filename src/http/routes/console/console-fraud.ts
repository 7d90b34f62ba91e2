/**
 * @module GET /console/fraud: the fraud guard's live blocks (which range, country or client IP,
 * its figures, since when, until when) and lifts; POST /console/fraud/lift lifts a block with a
 * reason (support and admins; audited as `fraud.lift`). docs/fraud.md.
 */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../../errors/app-error.js'
import type { FraudMark } from '../../../fraud/fraud-store.js'
import { can } from '../../../support/roles.js'
import {
  actionSession,
  type ConsoleContext,
  type ConsoleRequest,
  formOf,
  pageSession,
  reaches,
} from './console-context.js'
import { csrfField, h, reasonField, sendConsolePage } from './console-layout.js'
import { timeHtml } from './console-timeline.js'

const pct = (r: number | null | undefined) => (r == null ? 'n/a' : `${Math.round(r * 1000) / 10}%`)

const WHAT: Record<FraudMark['dimension'], string> = {
  prefix: 'Number range',
  country: 'Country',
  ip: 'Client IP',
  service: 'Service',
}

function figures(m: FraudMark): string {
  const e = m.evidence
  if (!e) return ''
  return e.rule === 'unproven_burst'
    ? `${h(e.starts)} codes sent, none entered`
    : `${h(e.approvals)} of ${h(e.starts)} codes entered: conversion ${h(pct(e.conversion))} against ${h(pct(e.baseline))} expected (${h(e.baselineFrom)})`
}

function row(s: ConsoleRequest, m: FraudMark, i: number): string {
  const lift =
    m.kind === 'block' && can(s.principal.role, 'act')
      ? `<form method="post" action="/console/fraud/lift">${csrfField(s)}<input type="hidden" name="key" value="${h(m.key)}">${reasonField(`fraud-${i}`)}<button type="submit">Lift this block</button></form>`
      : m.kind === 'lift'
        ? `<p class="muted">Lifted by ${h(m.by)}: ${h(m.reason)}</p>`
        : ''
  return `<tr><td><span class="badge ${m.kind === 'block' ? 'failed' : 'approved'}">${h(m.kind === 'block' ? 'blocked' : 'lifted')}</span></td>
<td>${h(WHAT[m.dimension])} <strong><code>${h(m.value)}</code></strong><br><span class="muted">service <code>${h(m.serviceId)}</code></span></td>
<td>${figures(m)}</td><td>${timeHtml(m.since)}</td><td>${timeHtml(m.until)}</td><td>${lift}</td></tr>`
}

export function registerConsoleFraud(app: FastifyInstance, cx: ConsoleContext): void {
  app.get<{ Querystring: { done?: string } }>('/fraud', async (request, reply) => {
    const s = await pageSession(request, reply, cx)
    if (!s) return reply
    const marks = (await cx.support.fraudMarks()).filter((m) => reaches(s, m.serviceId))
    const done =
      request.query.done === 'lifted'
        ? '<div class="notice" role="status"><p>The block was lifted. New starts go ahead again; the audit log has your reason.</p></div>'
        : ''
    return sendConsolePage(reply, {
      title: 'Fraud guard',
      session: s,
      nav: 'fraud',
      body: `<h1>Fraud guard</h1>${done}
<p class="muted">Ranges, countries and client IPs whose conversion fell far below their baseline, refused with FRAUD_SUSPECTED before any SMS is sent (docs/fraud.md). Lift a block only when the traffic is known to be genuine (a customer's campaign, a carrier's range of real users).</p>
${
  marks.length
    ? `<table><thead><tr><th>State</th><th>What</th><th>Figures</th><th>Since</th><th>Until</th><th></th></tr></thead><tbody>${marks.map((m, i) => row(s, m, i)).join('')}</tbody></table>`
    : '<p>No blocks.</p>'
}`,
    })
  })

  app.post('/fraud/lift', async (request, reply) => {
    const s = await actionSession(request, cx, 'act')
    const form = formOf(request)
    const key = String(form.key ?? '')
    // Keys are `dimension|service|value`: another service's block, for a member limited to
    // services, is one that does not exist.
    const serviceId = key.split('|')[1] ?? ''
    if (!reaches(s, serviceId)) {
      throw new AppError('FRAUD_BLOCK_NOT_FOUND', {
        message: 'There is no live fraud block on this key. Reload the Fraud guard page.',
      })
    }
    await cx.support.actions.liftFraudBlock(s.actor, key, form.reason)
    return reply.redirect('/console/fraud?done=lifted', 303)
  })
}
