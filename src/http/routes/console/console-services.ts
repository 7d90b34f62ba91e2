/**
 * @module GET /console/services (the services a member may see) and GET /console/services/:id
 * (a service's settings, with its fraud guard's mode and per-country daily caps: its own, and the
 * configured ones it falls back to); POST /console/services/:id/fraud changes them (admins; with a
 * reason; audited as `service.update` with the staff member and the service). docs/fraud.md.
 */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../../errors/app-error.js'
import { FRAUD_MODES, type FraudMode } from '../../../fraud/fraud-config.js'
import {
  parseServiceFraudSettings,
  type ServiceFraudSettings,
} from '../../../fraud/service-fraud-settings.js'
import type { Service } from '../../../services/service.js'
import { requireReason } from '../../../support/audit.js'
import { can } from '../../../support/roles.js'
import { fraudSettingsJson } from '../../representations.js'
import {
  actionSession,
  type ConsoleContext,
  type ConsoleRequest,
  formOf,
  pageSession,
  reaches,
} from './console-context.js'
import { csrfField, h, reasonField, sendConsolePage } from './console-layout.js'

const DONE: Record<string, string> = {
  fraud_saved: "The fraud guard's settings for this service were saved; new starts follow them now.",
}

/** `GB=5000, FR=1000` (commas, spaces or new lines between entries). */
function capsText(caps: Readonly<Record<string, number>>): string {
  return Object.entries(caps)
    .map(([c, n]) => `${c}=${n}`)
    .join(', ')
}

/**
 * The caps field as typed: empty is the configured caps (null), `none` no cap at all ({}), else
 * `GB=5000, FR=1000`; checked by the same rules as the API.
 * @throws AppError FRAUD_SETTINGS_INVALID
 */
function capsOf(text: string | undefined): unknown {
  const t = (text ?? '').trim()
  if (t === '') return null
  if (t.toLowerCase() === 'none') return {}
  const caps: Record<string, unknown> = {}
  for (const entry of t.split(/[\s,;]+/).filter(Boolean)) {
    const m = /^([A-Za-z]{2})[=:](\d+)$/.exec(entry)
    if (!m) {
      throw new AppError('FRAUD_SETTINGS_INVALID', {
        message: `"${entry}" is not a cap; write each as COUNTRY=number, for example GB=5000, FR=1000 (empty: the configured caps; "none": no cap).`,
        details: { field: 'country_daily_caps' },
      })
    }
    caps[m[1]!.toUpperCase()] = Number(m[2])
  }
  return caps
}

/** A service of the member's, or the 404 a service that does not exist gets. */
async function serviceFor(cx: ConsoleContext, s: ConsoleRequest, id: string): Promise<Service> {
  // Read from the store, not the few-seconds cache: a change starts from the current settings.
  if (!reaches(s, id)) throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${id}".` })
  return cx.deps.services.load(id)
}

export function registerConsoleServices(app: FastifyInstance, cx: ConsoleContext): void {
  const fraudConfig = cx.deps.config.fraud
  /** What the guard does for a service with these settings: its own, else the configuration's. */
  const effective = (service: Service) => {
    const own = service.fraud ?? null
    const configuredMode: FraudMode = fraudConfig.services[service.id]?.mode ?? fraudConfig.mode
    return {
      own,
      configuredMode,
      mode: own?.mode ?? configuredMode,
      caps: own?.countryDailyCaps ?? fraudConfig.countryDailyCaps,
    }
  }

  app.get('/services', async (request, reply) => {
    const s = await pageSession(request, reply, cx)
    if (!s) return reply
    const services = await cx.deps.services.list({ limit: 100, only: s.principal.services })
    const rows = services
      .map((svc) => {
        const e = effective(svc)
        return `<tr><td><a href="/console/services/${h(encodeURIComponent(svc.id))}">${h(svc.name)}</a><br><code class="muted">${h(svc.id)}</code></td>
<td>${h(e.mode)}${e.own?.mode ? '' : ' <span class="muted">(configured)</span>'}</td><td>${Object.keys(e.caps).length ? h(capsText(e.caps)) : 'none'}${e.own?.countryDailyCaps ? '' : ' <span class="muted">(configured)</span>'}</td></tr>`
      })
      .join('')
    return sendConsolePage(reply, {
      title: 'Services',
      session: s,
      nav: 'services',
      body: `<h1>Services</h1>
<section class="card" aria-label="Services"><div class="table-wrap" tabindex="0" role="region" aria-label="Services table"><table><thead><tr><th scope="col">Service</th><th scope="col">Fraud guard mode</th><th scope="col">Daily caps per country</th></tr></thead>
<tbody>${rows || '<tr><td colspan="3" class="muted">No services.</td></tr>'}</tbody></table></div>
${services.length === 100 ? '<p class="muted">The first 100 services.</p>' : ''}</section>`,
    })
  })

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>(
    '/services/:id',
    async (request, reply) => {
      const s = await pageSession(request, reply, cx)
      if (!s) return reply
      const service = await serviceFor(cx, s, request.params.id)
      const e = effective(service)
      const done = request.query.done ? DONE[request.query.done] : undefined
      const modeOptions = [
        `<option value=""${e.own?.mode ? '' : ' selected'}>The configured mode (${h(e.configuredMode)})</option>`,
        ...FRAUD_MODES.map(
          (m) => `<option value="${m}"${e.own?.mode === m ? ' selected' : ''}>${m}</option>`,
        ),
      ].join('')
      const ownCaps = e.own?.countryDailyCaps
      const form = can(s.principal.role, 'configure')
        ? `<form method="post" action="/console/services/${h(encodeURIComponent(service.id))}/fraud">${csrfField(s)}
<h3>Change</h3>
<label for="fraud-mode">Mode</label><select id="fraud-mode" name="mode">${modeOptions}</select>
<label for="fraud-caps">Daily caps per country</label><input id="fraud-caps" name="country_daily_caps" value="${h(ownCaps ? (Object.keys(ownCaps).length ? capsText(ownCaps) : 'none') : '')}" autocomplete="off" placeholder="GB=5000, FR=1000">
<p class="muted">Empty: the configured caps${Object.keys(fraudConfig.countryDailyCaps).length ? ` (${h(capsText(fraudConfig.countryDailyCaps))})` : ' (none)'}. <code>none</code>: no cap for this service.</p>
${reasonField('fraud')}<button type="submit">Save</button></form>`
        : ''
      return sendConsolePage(reply, {
        title: `Service ${service.name}`,
        session: s,
        nav: 'services',
        body: `${done ? `<div class="notice" role="status">${h(done)}</div>` : ''}<h1>Service <span class="service-name">${h(service.name)}</span> <code class="muted">${h(service.id)}</code></h1>
<section class="card" aria-labelledby="settings-title"><h2 id="settings-title">Settings</h2>
<dl class="facts"><dt>Channels</dt><dd>${h(service.channels.join(', '))}</dd><dt>Code</dt><dd>${h(service.codeLength)} digits, valid ${h(Math.round(service.codeTtlSeconds / 60))} min</dd>
<dt>Checks</dt><dd>${h(service.maxCheckAttempts)} per verification</dd><dt>Sends</dt><dd>${h(service.maxSends)} per verification</dd></dl></section>
<section class="card" aria-labelledby="fraud-title" id="fraud"><h2 id="fraud-title">Fraud guard</h2>
<p class="muted">Enforce refuses starts to a suspect range, country or client IP with FRAUD_SUSPECTED before any SMS; shadow decides and records but sends; off judges nothing (docs/fraud.md).</p>
<dl class="facts"><dt>Mode</dt><dd class="fraud-mode"><strong>${h(e.mode)}</strong> ${e.own?.mode ? "(this service's own)" : '(the configured mode)'}</dd>
<dt>Daily caps per country</dt><dd class="fraud-caps">${Object.keys(e.caps).length ? h(capsText(e.caps)) : 'none'} ${ownCaps ? "(this service's own)" : '(the configured caps)'}</dd></dl>
${form}</section>`,
      })
    },
  )

  app.post<{ Params: { id: string } }>('/services/:id/fraud', async (request, reply) => {
    const s = await actionSession(request, cx, 'configure')
    const service = await serviceFor(cx, s, request.params.id)
    const form = formOf(request)
    const reason = requireReason(form.reason)
    const before: ServiceFraudSettings | null = service.fraud ?? null
    const next = parseServiceFraudSettings(
      { mode: form.mode ? form.mode : null, country_daily_caps: capsOf(form.country_daily_caps) },
      before,
      'fraud',
    )
    const saved = await cx.deps.services.update(service.id, { fraud: next })
    await cx.support.audit.record(s.actor, 'service.update', {
      target: service.id,
      reason,
      serviceId: service.id,
      details: {
        fraud: fraudSettingsJson(saved.fraud),
        before: fraudSettingsJson(before),
        outcome: 'done',
      },
    })
    return reply.redirect(`/console/services/${encodeURIComponent(service.id)}?done=fraud_saved#fraud`, 303)
  })
}
