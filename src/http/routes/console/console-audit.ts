/** @module GET /console/audit: the audit log, newest first, filtered by actor, action, target and dates. */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../../errors/app-error.js'
import { AUDIT_ACTIONS, type AuditAction, isAuditAction } from '../../../support/audit.js'
import { classifySearch } from '../../../support/search.js'
import { type ConsoleContext, pageSession } from './console-context.js'
import { h, isoTime, maskDestination, sendConsolePage } from './console-layout.js'

const PAGE_SIZE = 100

/** What each action means, in the words support staff use; the code stays beside it (and in filters). */
const ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  'console.login': 'Signed in to the console',
  'console.login_failed': 'Failed to sign in',
  'console.logout': 'Signed out',
  'console.forbidden': 'Tried an action their role does not allow',
  'number.reveal': 'Revealed a full phone number',
  'limit.lift': 'Lifted a limit',
  'fraud.lift': 'Lifted a fraud-guard block',
  'verification.resend': 'Resent a code',
  'verification.cancel': 'Cancelled a verification',
  'safe_list.add': 'Put a number on the safe list',
  'safe_list.remove': 'Took a number off the safe list',
  'recovery.request': 'Asked for an account recovery',
  'staff.add': 'Added a staff member',
  'staff.role': 'Changed a staff member’s role',
  'staff.disable': 'Disabled a staff member',
  'staff.enable': 'Enabled a staff member',
  'api_key.create': 'Created an API key',
  'api_key.revoke': 'Revoked an API key',
  'service.create': 'Created a service',
  'service.update': 'Changed a service’s settings',
  'service.delete': 'Deleted a service',
  'service.return_url_secret_read': 'Read a service’s return-URL secret',
  'webhook.set': 'Set a webhook endpoint',
  'webhook.delete': 'Removed a webhook endpoint',
  'webhook.rotate_secret': 'Rotated a webhook signing secret',
  'recovery.approve': 'Approved an account recovery',
  'recovery.cancel': 'Cancelled an account recovery',
  'recovery.complete': 'Completed an account recovery',
  'rate_limit.create': 'Created a rate limit',
  'rate_limit.update': 'Changed a rate limit',
  'rate_limit.delete': 'Deleted a rate limit',
  'rate_limit_bucket.create': 'Created a rate-limit bucket',
  'rate_limit_bucket.update': 'Changed a rate-limit bucket',
  'rate_limit_bucket.delete': 'Deleted a rate-limit bucket',
  'subject.export': 'Exported a person’s data',
  'subject.erase': 'Erased a person’s data',
  'retention.sweep': 'Pseudonymised data past its retention',
}

/** One detail's value: a list of plain values comma-separated; anything nested stays JSON. */
function detailValue(v: unknown): string {
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return v.map(String).join(', ')
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)
}

/** An entry's details as "name: value" lines, not one line of JSON. */
function detailLines(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${detailValue(v)}`)
    .join('\n')
}

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
<td class="actor">${h(e.actor)} <span class="badge">${h(e.actorRole)}</span></td><td>${
          isAuditAction(e.action) ? `${h(ACTION_LABELS[e.action])}<br>` : ''
        }<code class="muted">${h(e.action)}</code>${
          outcome
            ? ` <span class="badge ${outcome === 'done' ? 'approved' : 'failed'}">${h(String(outcome))}</span>`
            : ''
        }</td><td><code>${h(showTarget(e.target))}</code></td><td class="reason">${h(e.reason ?? '')}</td><td><pre>${h(detailLines(rest))}</pre></td><td>${h(e.ip ?? '')}</td></tr>`
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
<div><label for="f-action">Action</label><select id="f-action" name="action"><option value="">Any</option>${AUDIT_ACTIONS.map((a) => `<option value="${a}"${sel(a)}>${h(ACTION_LABELS[a])}</option>`).join('')}</select></div>
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
