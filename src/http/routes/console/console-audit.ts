/** @module GET /console/audit: the audit log, newest first, filtered by actor, action, target and dates. */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../../errors/app-error.js'
import { AUDIT_ACTIONS } from '../../../support/audit.js'
import { classifySearch } from '../../../support/search.js'
import { type ConsoleContext, pageSession } from './console-context.js'
import { h, isoTime, maskDestination, sendConsolePage } from './console-layout.js'

const PAGE_SIZE = 100

interface AuditQuery {
  actor?: string
  action?: string
  target?: string
  from?: string
  to?: string
  before?: string
}

/** `2026-12-04` (a whole UTC day) or a full ISO time; undefined when empty. */
function parseDate(value: string | undefined, field: string, endOfDay: boolean): number | undefined {
  if (!value) return undefined
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? Date.parse(`${value}T00:00:00Z`) + (endOfDay ? 86_400_000 : 0)
    : Date.parse(value)
  if (!Number.isFinite(ms)) {
    throw new AppError('VALIDATION_FAILED', {
      message: `"${value}" is not a date; use YYYY-MM-DD.`,
      details: { field },
    })
  }
  return ms
}

/** A number typed in any format filters by its E.164 form (as targets are stored); anything else as typed. */
function targetFilter(target: string | undefined, defaultCountry: string): string | undefined {
  if (!target) return undefined
  const t = classifySearch(target, defaultCountry)
  return t.kind === 'destination' ? t.destination : target
}

/** Phone numbers in targets are masked like everywhere else in the console. */
function showTarget(target: string | null): string {
  if (!target) return '-'
  return /^\+\d{6,}$/.test(target) || target.includes('@') ? maskDestination(target) : target
}

export function registerConsoleAudit(app: FastifyInstance, cx: ConsoleContext): void {
  app.get<{ Querystring: AuditQuery }>('/audit', async (request, reply) => {
    const s = await pageSession(request, reply, cx)
    if (!s) return reply
    const q = request.query
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)
    const before = str(q.before)
    const entries = await cx.support.audit.list({
      actor: str(q.actor),
      action: str(q.action),
      target: targetFilter(str(q.target), cx.support.config.defaultCountry),
      from: parseDate(str(q.from), 'from', false),
      to: parseDate(str(q.to), 'to', true),
      beforeId: before && /^\d+$/.test(before) ? Number(before) : undefined,
      // A member limited to services reads their services' entries and their own actions.
      visibleTo:
        s.principal.services === null ? undefined : { services: s.principal.services, actor: s.actor.name },
      limit: PAGE_SIZE,
    })
    const rows = entries
      .map((e) => {
        const { outcome, ...rest } = e.details as { outcome?: unknown } & Record<string, unknown>
        return `<tr data-action="${h(e.action)}"><td><time datetime="${h(new Date(e.at).toISOString())}">${h(isoTime(e.at))}</time></td>
<td class="actor">${h(e.actor)} <span class="badge">${h(e.actorRole)}</span></td><td><code>${h(e.action)}</code>${
          outcome
            ? ` <span class="badge ${outcome === 'done' ? 'approved' : 'failed'}">${h(String(outcome))}</span>`
            : ''
        }</td><td><code>${h(showTarget(e.target))}</code></td><td class="reason">${h(e.reason ?? '')}</td><td><pre>${h(Object.keys(rest).length ? JSON.stringify(rest) : '')}</pre></td><td>${h(e.ip ?? '')}</td></tr>`
      })
      .join('')
    const sel = (a: string) => (q.action === a ? ' selected' : '')
    const last = entries.at(-1)
    const nextParams = new URLSearchParams(
      Object.entries({ ...q, before: last ? String(last.id) : '' }).filter(
        ([, v]) => typeof v === 'string' && v !== '',
      ) as [string, string][],
    )
    return sendConsolePage(reply, {
      title: 'Audit log',
      session: s,
      nav: 'audit',
      body: `<h1>Audit log</h1>
<form method="get" action="/console/audit" class="card" aria-label="Filters"><div class="row">
<div><label for="f-actor">Who</label><input id="f-actor" name="actor" value="${h(q.actor)}" placeholder="jane@example.com or api-key key_..."></div>
<div><label for="f-action">Action</label><select id="f-action" name="action"><option value="">Any</option>${AUDIT_ACTIONS.map((a) => `<option${sel(a)}>${a}</option>`).join('')}</select></div>
<div><label for="f-target">Target</label><input id="f-target" name="target" value="${h(q.target)}" placeholder="+447700900123, ver_..., stf_..."></div>
<div><label for="f-from">From</label><input id="f-from" name="from" type="date" value="${h(q.from)}"></div>
<div><label for="f-to">To</label><input id="f-to" name="to" type="date" value="${h(q.to)}"></div>
<div style="flex:0 0 auto"><button type="submit">Filter</button></div></div></form>
<section class="card" aria-label="Entries"><div class="table-wrap" tabindex="0" role="region" aria-label="Audit entries table"><table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Target</th><th scope="col">Why</th><th scope="col">Details</th><th scope="col">IP</th></tr></thead>
<tbody>${rows || '<tr><td colspan="7" class="muted">No entries match.</td></tr>'}</tbody></table></div>
${entries.length === PAGE_SIZE ? `<p><a href="/console/audit?${h(nextParams.toString())}">Older entries</a></p>` : ''}</section>`,
    })
  })
}
