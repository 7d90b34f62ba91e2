/**
 * @module Search, the person page (keyed by destination) with the diagnosis on top and the full
 * timeline, the entity page, and the support actions on them (reveal, lift limits, safe list,
 * resend, cancel, account recovery). Every action is a plain form POST, then a redirect.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { CHANNELS, type Channel, isChannel } from '../../../channels/channel.js'
import type { OutboxMessage } from '../../../delivery/outbox.js'
import { AppError } from '../../../errors/app-error.js'
import { requireReason } from '../../../support/audit.js'
import type { PersonFacts, VerificationStory } from '../../../support/person.js'
import { can } from '../../../support/roles.js'
import { classifySearch } from '../../../support/search.js'
import {
  actionSession,
  assertEveryService,
  type ConsoleContext,
  type ConsoleRequest,
  destinationOf,
  formOf,
  pageSession,
  personRef,
  personUrl,
  reaches,
} from './console-context.js'
import { type DiagnosisView, diagnosisHtml, staffLocale } from './console-diagnosis.js'
import { csrfField, h, maskDestination, reasonField, sendConsolePage } from './console-layout.js'
import { timeHtml, timelineHtml } from './console-timeline.js'

/** Service names by id, for the pages that list verifications of several services. */
type ServiceName = (id: string) => string

async function serviceNames(cx: ConsoleContext, ids: Iterable<string>): Promise<ServiceName> {
  const names = new Map<string, string>()
  for (const id of new Set(ids)) {
    const service = await cx.deps.services.get(id).catch(() => undefined)
    if (service) names.set(id, service.name)
  }
  return (id) => names.get(id) ?? id
}

const DONE_MESSAGES: Record<string, string> = {
  limits_lifted: 'The limits on this number were lifted. A new code can be sent now.',
  safe_listed:
    'The number is on the safe list: the fraud guard and the per-number send limit no longer refuse it.',
  safe_list_removed: 'The number was removed from the safe list.',
  resent: 'The code was sent again.',
  canceled: 'The verification was canceled.',
  recovery_requested:
    'An account recovery case was opened; it now needs approval, then its cooling-off period.',
  erased:
    "This person's data was erased: the number or email is replaced by its pseudonym everywhere (docs/privacy.md), and nothing is held for it in clear any more.",
}

/** Hides the destination inside raw texts (event data, provider answers) unless it was revealed. */
function redactor(destination: string, revealed: boolean): (text: string) => string {
  if (revealed) return (t) => t
  const masked = maskDestination(destination)
  const forms = [destination, destination.replace(/^\+/, '')].filter((f) => f.length >= 5)
  return (t) => forms.reduce((acc, f) => acc.split(f).join(masked), t)
}

const CHANNEL_NAMES: Readonly<Record<Channel, string>> = {
  sms: 'SMS',
  call: 'Voice call',
  whatsapp: 'WhatsApp',
  email: 'Email',
  telegram: 'Telegram',
}

const STATUS_NAMES: Readonly<Record<string, string>> = {
  pending: 'Waiting for the code',
  approved: 'Verified',
  canceled: 'Canceled',
  expired: 'Expired',
  failed: 'Failed',
}

/** The messages with routes, provider ids and raw answers: for escalation, so behind a summary. */
function messagesTable(messages: readonly OutboxMessage[], redact: (t: string) => string): string {
  if (messages.length === 0) return ''
  const rows = messages
    .map(
      (
        m,
      ) => `<tr><td>${h(m.sendNumber)}</td><td>${h(CHANNEL_NAMES[m.channel] ?? m.channel)}</td><td><span class="badge ${h(m.status)}">${h(m.status)}</span></td>
<td><code>${h(m.routeId ?? '-')}</code>${m.triedRoutes.length > 1 ? `<br><span class="muted">tried: ${h(m.triedRoutes.join(', '))}</span>` : ''}</td>
<td class="sender">${h(m.sender ?? '-')}</td><td>${h(m.providerId ?? '-')}<br><code>${h(m.providerMessageId ?? '')}</code></td>
<td>${h(m.deliveryOutcome ?? '-')}</td><td>${m.lastErrorCode || m.lastErrorText ? `<code>${h(m.lastErrorCode ?? '')}</code> ${h(redact(m.lastErrorText ?? ''))}` : '-'}</td></tr>`,
    )
    .join('')
  return `<details class="tech messages"><summary>Messages and the provider's answers (${h(messages.length)})</summary><div class="table-wrap" tabindex="0" role="region" aria-label="Messages"><table class="natural"><thead><tr><th scope="col">Send</th><th scope="col">Channel</th><th scope="col">Status</th><th scope="col">Route</th><th scope="col">Sender ID</th><th scope="col">Provider / message id</th><th scope="col">Receipt outcome</th><th scope="col">Raw code / text</th></tr></thead><tbody>${rows}</tbody></table></div></details>`
}

/** Route ids per channel that can reach a country, for the resend form. */
type RoutesFor = (channel: Channel, country: string | null) => readonly string[]

function verificationActions(s: ConsoleRequest, story: VerificationStory, routesFor: RoutesFor): string {
  const v = story.verification
  if (!can(s.principal.role, 'act') || story.diagnosis.status !== 'pending') return ''
  const channels = CHANNELS.filter((c) => c !== 'email' && v.channel !== 'email')
  const options = channels
    .map((c) => `<option value="${c}"${c === v.channel ? ' selected' : ''}>${h(CHANNEL_NAMES[c])}</option>`)
    .join('')
  // Grouped by channel: a route carries one channel, and the server checks the pair.
  const routeOptions = channels
    .map((c) => {
      const ids = routesFor(c, v.country)
      return ids.length
        ? `<optgroup label="${h(CHANNEL_NAMES[c])}">${ids.map((r) => `<option value="${h(r)}">${h(r)}</option>`).join('')}</optgroup>`
        : ''
    })
    .join('')
  const id = h(v.id)
  return `<div class="grid">
${
  v.channel !== 'email'
    ? `<form method="post" action="/console/verifications/${id}/resend" class="card">${csrfField(s)}<h3>Resend</h3>
<label for="channel-${id}">Channel</label><select id="channel-${id}" name="channel">${options}</select>
<label for="route-${id}">Route</label><select id="route-${id}" name="route"><option value="">Any (normal routing and failover)</option>${routeOptions}</select>${reasonField(`resend-${v.id}`)}<button type="submit">Resend the code</button></form>`
    : ''
}
<form method="post" action="/console/verifications/${id}/cancel" class="card">${csrfField(s)}<h3>Cancel</h3>${reasonField(`cancel-${v.id}`)}<button type="submit" class="danger">Cancel this verification</button></form>
</div>`
}

/** How a diagnosis is shown on this page: the reader's language, now, the actions they may take. */
type DiagnosisViewOf = (
  story: VerificationStory | undefined,
  headingId: string,
  title: string,
) => DiagnosisView

function storyHtml(
  s: ConsoleRequest,
  story: VerificationStory,
  redact: (t: string) => string,
  index: number,
  routesFor: RoutesFor,
  serviceName: ServiceName,
  viewOf: DiagnosisViewOf,
): string {
  const v = story.verification
  return `<section class="card" aria-labelledby="v-${h(v.id)}" id="${h(v.id)}">
<h2 id="v-${h(v.id)}">${h(CHANNEL_NAMES[v.channel])} verification <span class="badge ${h(story.diagnosis.status)}">${h(STATUS_NAMES[story.diagnosis.status] ?? story.diagnosis.status)}</span></h2>
<dl class="facts"><dt>Service</dt><dd><span class="service-name">${h(serviceName(v.serviceId))}</span></dd><dt>Started</dt><dd>${timeHtml(v.createdAt)}</dd>
<dt>Codes sent</dt><dd>${h(v.sendCount)} of ${h(v.maxSends)}</dd><dt>Tries used</dt><dd>${h(v.checkAttempts)} of ${h(v.maxCheckAttempts)}</dd>${endHtml(story)}${riskHtml(v.risk)}</dl>
<details class="tech"><summary>Technical detail</summary><p>Verification <code>${h(v.id)}</code> · service <code>${h(v.serviceId)}</code> · channel <code>${h(v.channel)}</code> · status <code>${h(v.status)}</code></p></details>
${index === 0 ? '' : diagnosisHtml(story.diagnosis, viewOf(story, `d-${v.id}`, 'What went wrong'))}
${messagesTable(story.messages, redact)}
${timelineHtml(story.events, { redact, serviceName, label: 'Timeline' })}
${verificationActions(s, story, routesFor)}
</section>`
}

export async function renderPerson(
  reply: FastifyReply,
  cx: ConsoleContext,
  s: ConsoleRequest,
  facts: PersonFacts,
  opts: { revealed?: boolean; done?: string | undefined },
) {
  const serviceName = await serviceNames(cx, [
    ...facts.verifications.map((story) => story.verification.serviceId),
    ...facts.refusals.map((e) => e.serviceId),
  ])
  const revealed = opts.revealed ?? false
  const routesFor: RoutesFor = (channel, country) =>
    cx.deps.router.candidates(channel, country).map((r) => r.id)
  const redact = redactor(facts.destination, revealed)
  const ref = h(personRef(cx, facts.destination))
  const shown = revealed ? facts.destination : maskDestination(facts.destination)
  const mayAct = can(s.principal.role, 'act')
  const latest = facts.verifications[0]
  const now = cx.deps.clock.now()
  const locale = staffLocale(reply.request.headers['accept-language'])
  const everyService = s.principal.services === null
  const viewOf: DiagnosisViewOf = (story, headingId, title) => {
    const v = story?.verification
    return {
      now,
      locale,
      redact,
      headingId,
      title,
      verification: v,
      actions: mayAct
        ? {
            csrf: s.csrf,
            ref: personRef(cx, facts.destination),
            everyService,
            safeListed: facts.safe !== undefined,
            otherChannels: v
              ? CHANNELS.filter((c) => c !== v.channel && c !== 'email' && routesFor(c, v.country).length > 0)
              : [],
          }
        : undefined,
    }
  }
  const verdict = latest
    ? diagnosisHtml(latest.diagnosis, viewOf(latest, 'verdict', 'What went wrong with the latest code'))
    : facts.numberDiagnosis
      ? diagnosisHtml(facts.numberDiagnosis, viewOf(undefined, 'verdict', 'What is wrong with this number'))
      : ''
  const done = opts.done && DONE_MESSAGES[opts.done]
  const actions = mayAct
    ? `<section class="card" aria-labelledby="actions-title"><h2 id="actions-title">Actions</h2><div class="grid">
<form method="post" action="/console/person/lift-limits">${csrfField(s)}<input type="hidden" name="ref" value="${ref}"><h3>Lift limits</h3>
<p class="muted">Clears the send, check and number-range counters for this destination.</p>${reasonField('lift')}<button type="submit">Lift limits</button></form>
<form method="post" action="/console/person/safe-list">${csrfField(s)}<input type="hidden" name="ref" value="${ref}"><input type="hidden" name="op" value="${facts.safe ? 'remove' : 'add'}">
<h3>${facts.safe ? 'Remove from the safe list' : 'Put on the safe list'}</h3><p class="muted">Safe-listed numbers skip the SMS-pumping guard and the per-number send limit.</p>
${reasonField('safe')}<button type="submit"${facts.safe ? ' class="danger"' : ''}>${facts.safe ? 'Remove from the safe list' : 'Add to the safe list'}</button></form>
</div></section>`
    : ''
  const erase = can(s.principal.role, 'erase')
    ? `<section class="card" aria-labelledby="erase-title"><h2 id="erase-title">Erase this person's data</h2>
<form method="post" action="/console/person/erase">${csrfField(s)}<input type="hidden" name="ref" value="${ref}">
<p class="muted">For an erasure request: pending verifications are canceled, and the number or email is replaced by its pseudonym in every table, the audit log and the simulator inbox. Counts in analytics stay. This cannot be undone.</p>
${reasonField('erase')}<button type="submit" class="danger">Erase</button></form></section>`
    : ''
  const reveal =
    !revealed && can(s.principal.role, 'reveal')
      ? `<form method="post" action="/console/person/reveal" class="row">${csrfField(s)}<input type="hidden" name="ref" value="${ref}"><div>${reasonField('reveal')}</div><div style="flex:0 0 auto"><button type="submit">Reveal the number</button></div></form>`
      : ''
  return sendConsolePage(reply, {
    title: `Person ${shown}`,
    session: s,
    nav: 'search',
    body: `${done ? `<div class="notice" role="status">${h(done)}</div>` : ''}
<h1>Person <span class="destination">${h(shown)}</span></h1>
<section class="card" aria-label="Destination">
<dl class="facts"><dt>Destination</dt><dd>${h(shown)}${revealed ? ' <span class="badge">revealed, audited</span>' : ''}</dd>
<dt>Verifications</dt><dd>${h(facts.verifications.length)}${facts.verifications.length === 20 ? ' (newest 20)' : ''}</dd>
<dt>Safe list</dt><dd>${facts.safe ? `<span class="badge safe">safe-listed</span> by ${h(facts.safe.addedBy)} on ${timeHtml(facts.safe.addedAt)}: ${h(facts.safe.reason)}` : 'no'}</dd></dl>
${reveal}
</section>
${facts.safe && verdict ? '<p class="notice">This number is on the safe list: the per-number send limit and the fraud guard do not refuse it, whatever their counters below say.</p>' : ''}
${verdict}
${actions}
${erase}
${facts.refusals.length ? `<section class="card" aria-labelledby="refusals-title"><h2 id="refusals-title">Refused requests</h2><p class="muted">Starts refused before a verification existed: limits and fraud-guard decisions.</p>${timelineHtml(facts.refusals, { redact, serviceName, label: 'Limit hits and fraud decisions' })}</section>` : ''}
${facts.verifications.map((story, i) => storyHtml(s, story, redact, i, routesFor, serviceName, viewOf)).join('\n')}
${facts.verifications.length === 0 ? `<p class="muted">${s.principal.services === null ? 'No verification of this destination is on record.' : 'None of your services has a verification of this destination on record.'}</p>` : ''}`,
  })
}

function searchPage(
  reply: FastifyReply,
  s: ConsoleRequest,
  cx: ConsoleContext,
  opts: { q?: string; error?: string; status?: number },
) {
  return sendConsolePage(reply, {
    title: 'Search',
    session: s,
    nav: 'search',
    status: opts.status,
    body: `<h1>Find a person</h1>
${opts.error ? `<div class="error" role="alert">${h(opts.error)}</div>` : ''}
<form method="post" action="/console/search" class="card" role="search">${csrfField(s)}
<label for="q">Phone number, email, verification id or entity id</label>
<div class="row"><input id="q" name="q" value="${h(opts.q)}" autocomplete="off" placeholder="07700 900123, +44 7700 900123, jane@example.com, ver_..., user-42"><div style="flex:0 0 auto"><button type="submit">Search</button></div></div>
<p class="muted">National numbers are read as ${h(cx.support.config.defaultCountry)} numbers.</p>
</form>`,
  })
}

function entityPage(
  reply: FastifyReply,
  s: ConsoleRequest,
  entityId: string,
  facts: Awaited<ReturnType<ConsoleContext['support']['entity']>>,
  done: string | undefined,
  serviceName: ServiceName,
) {
  const notice = done && DONE_MESSAGES[done]
  const mayAct = can(s.principal.role, 'act')
  const rows = facts
    .map(
      (f) =>
        `<tr><td>${h(serviceName(f.serviceId))} <code class="muted">${h(f.serviceId)}</code></td><td>${h(f.totpFactors)}</td><td>${h(f.passkeys)}</td><td>${h(f.recoveryCodes)}</td><td>${
          f.recoveryCases
            .map((c) => `<code>${h(c.id)}</code> ${h(c.status)} (${timeHtml(c.createdAt)})`)
            .join('<br>') || '-'
        }</td></tr>`,
    )
    .join('')
  const recovery = mayAct
    ? `<section class="card" aria-labelledby="rec-title"><h2 id="rec-title">Start an account recovery</h2>
<p class="muted">Opens a case that resets every sign-in method of this entity after approval and a cooling-off period; the person is told on every contact.</p>
<form method="post" action="/console/entities/recovery">${csrfField(s)}<input type="hidden" name="entity_id" value="${h(entityId)}">
<label for="service_id">Service</label><select id="service_id" name="service_id" required>${facts.map((f) => `<option value="${h(f.serviceId)}">${h(serviceName(f.serviceId))} (${h(f.serviceId)})</option>`).join('')}</select>
<label for="contact_phone">Contact phone for notices (optional)</label><input id="contact_phone" name="phone" autocomplete="off">
<label for="contact_email">Contact email for notices (optional)</label><input id="contact_email" name="email" type="email" autocomplete="off">
${reasonField('recovery')}<button type="submit">Start the recovery</button></form></section>`
    : ''
  return sendConsolePage(reply, {
    title: `Entity ${entityId}`,
    session: s,
    nav: 'search',
    body: `${notice ? `<div class="notice" role="status">${h(notice)}</div>` : ''}<h1>Entity <code>${h(entityId)}</code></h1>
${
  facts.length === 0
    ? '<p class="muted">No service has factors, recovery codes or recovery cases for this entity id.</p>'
    : `<section class="card" aria-label="Factors per service"><div class="table-wrap" tabindex="0" role="region" aria-label="Factors per service table"><table><thead><tr><th scope="col">Service</th><th scope="col">TOTP factors</th><th scope="col">Passkeys</th><th scope="col">Unused recovery codes</th><th scope="col">Recovery cases</th></tr></thead><tbody>${rows}</tbody></table></div></section>${recovery}`
}`,
  })
}

/** A person's page as the reader may see it: a member limited to services gets theirs only. */
function personFor(cx: ConsoleContext, s: ConsoleRequest, destination: string): Promise<PersonFacts> {
  return cx.support.person(destination, s.principal.services)
}

export function registerConsolePerson(app: FastifyInstance, cx: ConsoleContext): void {
  /** A verification of another service is, for a member limited to services, one that does not exist. */
  const assertVerificationOf = async (id: string, s: ConsoleRequest) => {
    if (s.principal.services === null) return
    const v = await cx.deps.verifier.get(id)
    if (!reaches(s, v.serviceId)) {
      throw new AppError('VERIFICATION_NOT_FOUND', { message: `No verification with id "${id}".` })
    }
  }
  const { support, deps } = cx

  app.get('/search', async (request, reply) => {
    const s = await pageSession(request, reply, cx)
    if (!s) return reply
    return searchPage(reply, s, cx, {})
  })

  // A POST, so the number typed never lands in a URL (logs, browser history, referrers).
  app.post('/search', async (request, reply) => {
    const s = await actionSession(request, cx, 'read')
    const q = formOf(request).q ?? ''
    const target = classifySearch(q, support.config.defaultCountry)
    switch (target.kind) {
      case 'invalid':
        return searchPage(reply, s, cx, { q, error: target.message, status: 400 })
      case 'destination':
        return reply.redirect(personUrl(cx, target.destination), 303)
      case 'verification': {
        const v = await deps.verifier.get(target.id).catch(() => undefined)
        // Another service's verification, for a member limited to services, does not exist.
        if (!v || !reaches(s, v.serviceId))
          return searchPage(reply, s, cx, { q, error: `No verification with id ${target.id}.`, status: 404 })
        return reply.redirect(`${personUrl(cx, v.destination)}#${v.id}`, 303)
      }
      case 'entity':
        return reply.redirect(`/console/entity?id=${encodeURIComponent(target.entityId)}`, 303)
    }
  })

  app.get<{ Querystring: { id?: string; done?: string } }>('/entity', async (request, reply) => {
    const s = await pageSession(request, reply, cx)
    if (!s) return reply
    const id = String(request.query.id ?? '').trim()
    if (!id) return searchPage(reply, s, cx, { error: 'Give an entity id.', status: 400 })
    const facts = (await support.entity(id)).filter((f) => reaches(s, f.serviceId))
    const names = await serviceNames(
      cx,
      facts.map((f) => f.serviceId),
    )
    return entityPage(reply, s, id, facts, request.query.done, names)
  })

  app.get<{ Querystring: { ref?: string; done?: string } }>('/person', async (request, reply) => {
    const s = await pageSession(request, reply, cx)
    if (!s) return reply
    const destination = destinationOf(cx, request.query.ref)
    return renderPerson(reply, cx, s, await personFor(cx, s, destination), { done: request.query.done })
  })

  app.post('/person/reveal', async (request, reply) => {
    const s = await actionSession(request, cx, 'reveal')
    const form = formOf(request)
    const destination = destinationOf(cx, form.ref)
    await support.actions.reveal(s.actor, destination, form.reason)
    return renderPerson(reply, cx, s, await personFor(cx, s, destination), { revealed: true })
  })

  app.post('/person/lift-limits', async (request, reply) => {
    const s = await actionSession(request, cx, 'act')
    assertEveryService(s)
    const form = formOf(request)
    const destination = destinationOf(cx, form.ref)
    await support.actions.liftLimits(s.actor, destination, form.reason)
    return reply.redirect(personUrl(cx, destination, 'limits_lifted'), 303)
  })

  app.post('/person/erase', async (request, reply) => {
    const s = await actionSession(request, cx, 'erase')
    assertEveryService(s)
    const form = formOf(request)
    const destination = destinationOf(cx, form.ref)
    await cx.deps.personalData.erase(destination, s.actor, requireReason(form.reason))
    return reply.redirect(personUrl(cx, destination, 'erased'), 303)
  })

  app.post('/person/safe-list', async (request, reply) => {
    const s = await actionSession(request, cx, 'act')
    assertEveryService(s)
    const form = formOf(request)
    const destination = destinationOf(cx, form.ref)
    if (form.op === 'remove') {
      await support.actions.safeListRemove(s.actor, destination, form.reason)
      return reply.redirect(personUrl(cx, destination, 'safe_list_removed'), 303)
    }
    await support.actions.safeListAdd(s.actor, destination, form.reason)
    return reply.redirect(personUrl(cx, destination, 'safe_listed'), 303)
  })

  app.post<{ Params: { id: string } }>('/verifications/:id/resend', async (request, reply) => {
    const s = await actionSession(request, cx, 'act')
    const form = formOf(request)
    let channel: Channel | undefined
    if (form.channel) {
      if (!isChannel(form.channel)) {
        throw new AppError('VALIDATION_FAILED', {
          message: `Unknown channel "${form.channel}"; use ${CHANNELS.join(', ')}.`,
          details: { field: 'channel' },
        })
      }
      channel = form.channel
    }
    await assertVerificationOf(request.params.id, s)
    const v = await support.actions.resend(
      s.actor,
      request.params.id,
      channel,
      form.reason,
      form.route || undefined,
    )
    return reply.redirect(`${personUrl(cx, v.destination, 'resent')}#${v.id}`, 303)
  })

  app.post<{ Params: { id: string } }>('/verifications/:id/cancel', async (request, reply) => {
    const s = await actionSession(request, cx, 'act')
    const form = formOf(request)
    await assertVerificationOf(request.params.id, s)
    const v = await support.actions.cancel(s.actor, request.params.id, form.reason)
    return reply.redirect(`${personUrl(cx, v.destination, 'canceled')}#${v.id}`, 303)
  })

  app.post('/entities/recovery', async (request, reply) => {
    const s = await actionSession(request, cx, 'act')
    const form = formOf(request)
    const entityId = (form.entity_id ?? '').trim()
    const serviceId = (form.service_id ?? '').trim()
    if (!entityId || !serviceId) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'Give the entity id and the service.',
        details: { field: entityId ? 'service_id' : 'entity_id' },
      })
    }
    if (!reaches(s, serviceId)) {
      throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${serviceId}".` })
    }
    let phones: string[] = []
    if (form.phone?.trim()) {
      const target = classifySearch(form.phone, support.config.defaultCountry)
      if (target.kind !== 'destination' || target.destination.includes('@')) {
        throw new AppError('PHONE_NUMBER_INVALID', {
          message: `The contact phone "${form.phone}" is not a phone number. Type it with + and the country code, for example +44 7700 900123.`,
          details: { field: 'phone' },
        })
      }
      phones = [target.destination]
    }
    const emails = form.email?.trim() ? [form.email.trim()] : []
    await support.actions.requestRecovery(s.actor, {
      serviceId,
      entityId,
      reason: form.reason,
      phones,
      emails,
    })
    return reply.redirect(`/console/entity?id=${encodeURIComponent(entityId)}&done=recovery_requested`, 303)
  })
}

/** When the verification ends (pending), ended by its lifetime (expired), or was finished. */
function endHtml(story: VerificationStory): string {
  const v = story.verification
  if (story.diagnosis.status === 'pending') return `<dt>Ends</dt><dd>${timeHtml(v.expiresAt)}</dd>`
  const at = story.diagnosis.status === 'expired' ? v.expiresAt : v.finishedAt
  return at == null ? '' : `<dt>Ended</dt><dd>${timeHtml(at)}</dd>`
}

/** The carrier lookup's risk flag on a verification (a recent SIM swap), or nothing. */
function riskHtml(risk: VerificationStory['verification']['risk']): string {
  if (!risk) return ''
  const when = risk.simSwap.lastSwapAt === null ? '' : `, last swap ${timeHtml(risk.simSwap.lastSwapAt)}`
  return `<dt>Risk</dt><dd class="risk"><span class="badge failed">SIM swapped</span> within the last ${h(risk.simSwap.withinDays)} days per the carrier lookup${when}${risk.carrier ? ` (${h(risk.carrier)})` : ''}</dd>`
}
