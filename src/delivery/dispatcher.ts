/**
 * @module The outbox dispatcher: claims due sends and moves each through the delivery state machine
 * of docs/delivery.md. It walks a send's routes (failover), falls back to the service's next channel,
 * retries what is only passing (a busy or down provider) with capped backoff for the code's whole
 * life, and gives up only when nothing can deliver any more. A hand-over without a receipt in time
 * is *unconfirmed*, not failed: the same code may go out on the next route or channel while the
 * first message stays open, and a late receipt still marks it delivered. Every decision reads the
 * one outcome table (`classification.ts`). At-least-once: a send whose worker died mid-send is
 * claimed again when its lease runs out. One verification keeps one code through every hop.
 */

import type { Logger } from 'pino'
import type { Channel } from '../channels/channel.js'
import type { EventJournal } from '../events/event-journal.js'
import type { NewVerificationEvent } from '../events/verification-event.js'
import type { LimitRule, RateLimiter } from '../ratelimit/rate-limiter.js'
import type { Service, ServiceLookup } from '../services/service.js'
import type { Clock } from '../shared/clock.js'
import { extend } from '../shared/extend.js'
import { maskPhone } from '../shared/mask.js'
import { PollLoop } from '../shared/poll-loop.js'
import { withTimeoutSignal } from '../shared/timeout-signal.js'
import { inSpan, SPANS, tagVerification, VERIFICATION_ID } from '../shared/tracing.js'
import { classify } from './classification.js'
import type { CodeSource, CodeToSend } from './code-source.js'
import type { DispatcherConfig } from './dispatcher-config.js'
import type { FreshSends } from './fresh-sends.js'
import type { DeliveryPlan, Hop, OutboxMessage, OutboxStore } from './outbox.js'
import type { DeliveryOutcome } from './outcome.js'
import { type DeliveryReport, ProviderError, type SendResult } from './providers/provider.js'
import type { RouteHealth } from './routing/route-health.js'
import { healthKeys, type Route, Router } from './routing/router.js'
import type { RoutingConfig } from './routing/routing-config.js'
import { renderCodeMessage } from './templates/verification-code.js'

export interface DispatcherDeps {
  readonly outbox: OutboxStore
  /** The codes to send: the verification domain answers, so delivery never reads verifications. */
  readonly codes: CodeSource
  /** Where receipt events that change no message are recorded. */
  readonly journal: EventJournal
  readonly services: ServiceLookup
  readonly router: Router
  readonly health: RouteHealth
  readonly limiter: RateLimiter
  readonly clock: Clock
  readonly logger: Logger
  readonly config: DispatcherConfig
  readonly routing: RoutingConfig
  /** Called with every event the dispatcher records (metrics, live status streams). */
  readonly onEvent?: (event: NewVerificationEvent) => void
}

/** `available_at` of a sent message whose provider sends no receipts: never claimed again. */
const NO_RECEIPT_EXPECTED = 8_640_000_000_000_000

/**
 * Looks for a receipt's hand-over again after these waits (it can arrive before the submit answer is
 * stored), then holds it in the database until the hand-over appears.
 */
const RECEIPT_LOOKUP_RETRY_MS = [50, 250, 1_000]

/** How often a worker applies held receipts whose hand-over has been recorded since. */
const HELD_RECEIPT_SWEEP_MS = 1_000
const HELD_RECEIPT_BATCH = 200
/** A held receipt whose hand-over never appears (the provider's duplicate, a stray) is forgotten after this. */
const HELD_RECEIPT_KEEP_MS = 24 * 3_600_000

/** Waits before retrying a receipt that could not be stored (the database was away). */
const RECEIPT_STORE_RETRY_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000]

/**
 * The channels a send may move through, in order, when the service names none: a landline or a
 * filtered SMS gets a call (the route must exist); a code sent by call or email stays there.
 * A service opts out with `fallback_channels: []`.
 */
const DEFAULT_FALLBACK: Readonly<Record<Channel, readonly Channel[]>> = {
  sms: ['sms', 'call'],
  whatsapp: ['whatsapp', 'sms', 'call'],
  // A number without Telegram is known at once (checkSendAbility), so SMS follows with no wait.
  telegram: ['telegram', 'sms', 'call'],
  call: ['call'],
  email: ['email'],
}

/** What one claim of a send knows while it decides. */
/**
 * A submit that did not hand the message over. `unanswered`: no answer came (a timeout, a dropped
 * connection), so the provider may have taken it.
 */
type SubmitRefusal = ProviderError & { providerId?: string; unanswered?: boolean }

interface Attempt {
  readonly msg: OutboxMessage
  readonly code: CodeToSend
  readonly service: Service | undefined
  readonly events: NewVerificationEvent[]
  readonly tried: Set<string>
  ruledOut: Set<Channel>
  channel: Channel
  hops: number
  plan: DeliveryPlan
  /** The failure that decided the last step (for a give-up's reason). */
  lastError: (ProviderError & { providerId?: string }) | undefined
  /** A passing failure (busy or down) happened this round: worth another round later. */
  passing: boolean
  /** The longest Retry-After a provider asked for this round. */
  retryAfterMs: number
  /** Why the send leaves its channel, when no provider error says it (a receipt timeout). */
  leaving: string | undefined
}

export class Dispatcher implements FreshSends {
  private readonly loop: PollLoop
  private readonly inFlight = new Set<Promise<void>>()
  private heldSweptAt = 0
  /** A drain stopped at `config.concurrency`: the next send to finish kicks another. */
  private saturated = false

  constructor(private readonly deps: DispatcherDeps) {
    this.loop = new PollLoop({
      intervalMs: deps.config.pollIntervalMs,
      drain: () => this.drain(),
      onError: (err, failures) => {
        if (failures === 1)
          deps.logger.error({ err }, 'outbox drain failed; retrying with backoff until it works')
        else deps.logger.debug({ err, failures }, 'outbox drain failed again')
      },
      onRecovered: (failures) => deps.logger.warn({ failures }, 'outbox drain works again'),
    })
  }

  start(): void {
    this.loop.start()
  }

  /** Asks for a drain soon; many kicks in one tick make one drain. */
  kick(): void {
    this.loop.kick()
  }

  /** Stops claiming and waits for messages already being sent. */
  async stop(): Promise<void> {
    await this.loop.stop()
    // Taken in the last turn and not yet sent: sent now, before the database closes, rather than
    // left to a claim when their lease runs out.
    this.sendTaken()
    await Promise.allSettled([...this.inFlight])
  }

  leaseFor(now: number): number | undefined {
    if (!this.loop.running || this.inFlight.size >= this.deps.config.concurrency) return undefined
    return now + this.deps.config.leaseMs
  }

  take(message: OutboxMessage, code: CodeToSend): void {
    // Sent in the next turn, all taken in this one together: the start's own turn (its COMMIT
    // woke many starts at once) stays short, as it was when a drain sent them.
    this.taken.push({ message, code })
    if (this.taken.length === 1) setImmediate(this.sendTaken)
  }

  private readonly taken: Array<{ message: OutboxMessage; code: CodeToSend }> = []

  private readonly sendTaken = (): void => {
    // Not refused at the concurrency: each message is already claimed, and another worker would
    // only get it when its lease runs out. leaseFor stops offering once the dispatcher is full, so
    // this goes over by at most the starts that were committing at that moment.
    for (const { message, code } of this.taken.splice(0)) this.track(message, this.process(message, code))
    // A start just committed, so the database answers again: a drain slowed down by an outage
    // runs now, not at its next slow tick (up to 5 s), and sends what the outage held up.
    if (this.loop.failing) this.kick()
  }

  private track(msg: OutboxMessage, sending: Promise<void>): void {
    const p = sending
      .catch((err: unknown) => this.deps.logger.error({ err, messageId: msg.id }, 'outbox message failed'))
      .finally(() => {
        this.inFlight.delete(p)
        if (this.saturated) {
          this.saturated = false
          this.kick()
        }
      })
    this.inFlight.add(p)
  }

  private async drain(): Promise<void> {
    const { outbox, clock, config } = this.deps
    if (clock.now() - this.heldSweptAt >= HELD_RECEIPT_SWEEP_MS) {
      this.heldSweptAt = clock.now()
      // Receipts that came before their hand-over was recorded (a worker that died between the
      // provider's answer and the write, whose send was repeated and deduplicated by the provider).
      for (const report of await outbox.takeMatchedHeldReceipts(HELD_RECEIPT_BATCH))
        this.acceptReceipt(report)
    }
    for (;;) {
      if (!this.loop.running) return
      const room = config.concurrency - this.inFlight.size
      if (room <= 0) {
        // Full: the first send to finish asks for the next drain.
        this.saturated = true
        return
      }
      const limit = Math.min(config.batchSize, room)
      const batch = await outbox.claimDue(clock.now(), config.leaseMs, limit)
      if (batch.length === 0) return
      for (const msg of batch) this.track(msg, this.process(msg))
      if (batch.length < limit) return
    }
  }

  private event(
    msg: Pick<OutboxMessage, 'verificationId' | 'serviceId' | 'destination'>,
    type: NewVerificationEvent['type'],
    at: number,
    data: Record<string, unknown>,
  ): NewVerificationEvent {
    return {
      verificationId: msg.verificationId,
      serviceId: msg.serviceId,
      destination: msg.destination,
      type,
      at,
      data,
    }
  }

  private emit(events: readonly NewVerificationEvent[]) {
    if (this.deps.onEvent) for (const e of events) this.deps.onEvent(e)
  }

  private recordHealth(routeId: string, country: string | null, ok: boolean): void {
    for (const key of healthKeys(routeId, country)) this.deps.health.record(key, ok)
  }

  /** `known`: the code, when the message was handed over with it (`take`); read otherwise. */
  private process(msg: OutboxMessage, known?: CodeToSend): Promise<void> {
    return inSpan(
      SPANS.outboxClaim,
      { [VERIFICATION_ID]: msg.verificationId, 'verigate.message_id': msg.id, 'verigate.hops': msg.hops },
      () => this.processUntraced(msg, known),
      // The worker's own trace: a drain kicked from inside a request must not hang its sends under it.
      { root: true },
    )
  }

  private async processUntraced(msg: OutboxMessage, known?: CodeToSend): Promise<void> {
    const { outbox, codes, services, clock } = this.deps
    const now = clock.now()
    const code = known && now < known.expiresAt ? known : await codes.codeToSend(msg.verificationId, now)
    if (!code) {
      // Approved, canceled or expired: nothing more is sent, and open hand-overs are no longer awaited.
      if (msg.hops > 0) await outbox.markExpired(msg.id, now)
      else await outbox.markCanceled(msg.id, now)
      return
    }
    if (msg.plan.waiting) {
      // A waiting send claimed before its code's end (another worker's clock): wait on.
      await outbox.markWaiting(msg.id, now, code.expiresAt, msg.plan, [])
      return
    }
    const a: Attempt = {
      msg,
      code,
      service: await services.get(code.serviceId),
      events: [],
      tried: new Set(msg.triedRoutes),
      ruledOut: new Set(msg.plan.ruledOut ?? []),
      channel: msg.channel,
      hops: msg.hops,
      plan: msg.plan,
      lastError: undefined,
      passing: false,
      retryAfterMs: 0,
      leaving: undefined,
    }
    if (msg.providerMessageId !== null && msg.routeId !== null) {
      // Claimed while awaiting its receipt: the receipt is overdue. The hand-over is unconfirmed,
      // not failed; it stays open while the code goes out on the next route or channel.
      await outbox.settleHop(
        { providerId: msg.providerId ?? '', providerMessageId: msg.providerMessageId },
        'unconfirmed',
        null,
        now,
      )
      this.recordHealth(msg.routeId, code.country, false)
      a.events.push(
        this.event(msg, 'receipt_timeout', now, {
          message_id: msg.id,
          route: msg.routeId,
          provider_message_id: msg.providerMessageId,
          waited_ms: msg.sentAt === null ? null : now - msg.sentAt,
        }),
      )
      a.leaving = 'receipt_timeout'
    }
    const verdict = msg.plan.verdict
    if (verdict) {
      // A failed receipt moved this send back: act on its verdict now, for the channel it was on.
      a.plan = extend(a.plan, { verdict: null, verdictChannel: null })
      a.lastError = new ProviderError({
        message: msg.lastErrorText ?? `Delivery failed: ${verdict}`,
        retryable: false,
        outcome: verdict,
        rawCode: msg.lastErrorCode ?? undefined,
        rawText: msg.lastErrorText ?? undefined,
      })
      if (this.ruleOut(a, verdict, msg.plan.verdictChannel ?? a.channel) === 'destination')
        return this.settle(a)
    }
    await this.advance(a)
  }

  /**
   * Applies a failure's classification to the attempt. Returns what it ruled out; `destination`
   * means nothing can reach the number any more.
   */
  private ruleOut(
    a: Attempt,
    outcome: DeliveryOutcome,
    channel: Channel,
    routeId?: string,
  ): 'route' | 'channel' | 'destination' {
    const cls = classify(outcome)
    if (cls.rulesOut === 'destination') {
      for (const c of this.channelOrder(a)) a.ruledOut.add(c)
      return 'destination'
    }
    if (cls.rulesOut === 'channel') {
      a.ruledOut.add(channel)
      // A landline takes no text on any text channel.
      if (outcome === 'not_mobile') for (const c of ['sms', 'whatsapp'] as const) a.ruledOut.add(c)
      return 'channel'
    }
    if (routeId) a.tried.add(routeId)
    return 'route'
  }

  /** The order of channels this send may use, starting with the verification's own. */
  private channelOrder(a: Attempt): Channel[] {
    const configured = a.service?.fallbackChannels
    const list = configured == null ? DEFAULT_FALLBACK[a.code.startChannel] : configured
    return [...new Set([a.code.startChannel, ...list])]
  }

  /** The next channel this round that is allowed, not ruled out, and has an untried route. */
  private nextChannel(a: Attempt): Channel | undefined {
    const order = this.channelOrder(a)
    const from = order.indexOf(a.channel)
    for (const channel of order.slice(from + 1)) {
      if (channel === 'email' || a.code.startChannel === 'email') continue // a phone is not an inbox
      if (a.ruledOut.has(channel)) continue
      if (a.service && !a.service.channels.includes(channel)) continue
      if (this.deps.router.candidates(channel, a.code.country).some((r) => !a.tried.has(r.id))) return channel
    }
    return undefined
  }

  /** Tries routes and channels until a hand-over, a scheduled retry, a wait, or a give-up. */
  private async advance(a: Attempt): Promise<void> {
    const { routing, clock } = this.deps
    for (;;) {
      const route = a.ruledOut.has(a.channel) ? undefined : this.pickRoute(a)
      if (!route) {
        const next = this.nextChannel(a)
        if (next) {
          a.events.push(
            this.event(a.msg, 'channel_fallback', clock.now(), {
              message_id: a.msg.id,
              from_channel: a.channel,
              to_channel: next,
              reason: a.leaving ?? a.lastError?.outcome ?? 'no_route',
            }),
          )
          a.channel = next
          continue
        }
        return this.settle(a)
      }
      a.tried.add(route.id)
      if ((a.plan.handovers ?? 0) >= routing.maxHops) {
        a.lastError = new ProviderError({
          message: `Stopped after ${a.plan.handovers} hand-overs (routing.maxHops)`,
          retryable: false,
          outcome: 'provider_error',
          rawCode: 'MAX_HOPS',
        })
        a.passing = false
        for (const c of this.channelOrder(a)) a.ruledOut.add(c)
        return this.settle(a)
      }
      const spendRule = {
        name: 'spend-svc',
        points: routing.spendCapPerServicePerDay,
        durationSeconds: 86_400,
      }
      if (route.cost > 0) {
        const spend = await this.deps.limiter.consume(spendRule, a.code.serviceId, route.cost)
        if (!spend.allowed) {
          const now = clock.now()
          a.events.push(
            this.event(a.msg, 'gave_up', now, {
              message_id: a.msg.id,
              reason: 'spend_cap',
              retry_after_ms: spend.retryAfterMs,
            }),
          )
          await this.deps.outbox.markFailed(
            a.msg.id,
            now,
            { providerId: null, code: 'SPEND_CAP', text: 'service daily spend cap reached' },
            a.events,
          )
          this.emit(a.events)
          return
        }
      }
      a.hops += 1
      const sent = await this.sendOn(route, a)
      if (sent === true) return
      // The cap counts messages that went out. A provider that answered with a refusal (Telegram's
      // checkSendAbility for a number without Telegram, a rejected number, bad credentials) sent
      // nothing, so its charge is given back; one that did not answer may have sent, so it stays.
      if (route.cost > 0 && !sent.unanswered) await this.refundSpend(spendRule, a, route.cost)
      a.lastError = sent
      const cls = classify(sent.outcome)
      // Passing trouble (busy, down) is worth another round; a refusal the adapter calls final
      // (bad credentials, a sender the provider rejects) rules the route out for good.
      const passing = cls.retryable && sent.retryable
      if (passing) {
        a.passing = true
        a.retryAfterMs = Math.max(a.retryAfterMs, sent.retryAfterMs ?? 0)
      }
      a.leaving = undefined
      if (sent.outcome === 'provider_throttled' && passing && (await this.retryThrottled(a, route, sent)))
        return
      a.plan = extend(a.plan, { retryRoute: null, retries: 0 })
      if (this.ruleOut(a, sent.outcome, a.channel, route.id) === 'destination') return this.settle(a)
    }
  }

  /** Gives a charge back to the service's spend cap; a store failure only costs the refund. */
  private async refundSpend(rule: LimitRule, a: Attempt, cost: number): Promise<void> {
    try {
      await this.deps.limiter.refund(rule, a.code.serviceId, cost)
    } catch (err) {
      this.deps.logger.warn({ messageId: a.msg.id, err }, 'spend cap refund failed')
    }
  }

  /** The route to try now: a throttled route's retry first, else the next untried healthy route. */
  private pickRoute(a: Attempt): Route | undefined {
    const { router } = this.deps
    const retry = a.plan.retryRoute
    if (retry) {
      const again = router.candidates(a.channel, a.code.country).find((r) => r.id === retry)
      if (again) return again
    }
    return router.next(a.channel, a.code.country, a.tried)
  }

  /**
   * A throttled route is up but busy: the same route again after its Retry-After (or the backoff),
   * a few times, before the next route or channel. True when a retry was scheduled.
   */
  private async retryThrottled(a: Attempt, route: Route, err: ProviderError): Promise<boolean> {
    const { config, clock } = this.deps
    const retries = a.plan.retryRoute === route.id ? (a.plan.retries ?? 0) : 0
    const wait = err.retryAfterMs ?? this.backoff(retries)
    if (retries >= config.throttleRetries || wait > config.throttleMaxWaitMs) return false
    const now = clock.now()
    const at = now + wait
    if (at >= a.code.expiresAt) return false
    a.tried.delete(route.id)
    a.plan = extend(a.plan, { retryRoute: route.id, retries: retries + 1 })
    this.markRetry(a, at)
    await this.deps.outbox.requeue(
      a.msg.id,
      now,
      { availableAt: at, channel: a.channel, triedRoutes: [...a.tried], hops: a.hops, plan: this.planOf(a) },
      this.errorInfo(err),
      a.events,
    )
    this.emit(a.events)
    return true
  }

  /** Full jitter over an exponential backoff, capped. */
  private backoff(round: number): number {
    const { backoffBaseMs, backoffMaxMs } = this.deps.config
    const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.max(0, round))
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2))
  }

  /** Marks the last refused submit as not final, with when the next try is. */
  private markRetry(a: Attempt, at: number): void {
    const last = a.events.at(-1)
    if (last?.type === 'submit_failed') {
      a.events[a.events.length - 1] = {
        ...last,
        data: extend(last.data, { final: false, next_attempt_at: at }),
      }
    }
  }

  private planOf(a: Attempt): DeliveryPlan {
    return extend(a.plan, { ruledOut: [...a.ruledOut] })
  }

  /**
   * Nothing more to try this round. Another round later while providers are only down; a wait
   * while a hand-over is still open (it may yet be delivered); a give-up only when nothing can
   * deliver any more.
   */
  private async settle(a: Attempt): Promise<void> {
    const { outbox, clock } = this.deps
    const now = clock.now()
    const hops = a.msg.hops > 0 || a.plan.handovers ? await outbox.listHops(a.msg.id) : []
    const open = hops.filter((h: Hop) => h.state === 'submitted' || h.state === 'unconfirmed')
    const everyChannelOut = this.channelOrder(a).every((c) => a.ruledOut.has(c))
    if (a.passing && !everyChannelOut) {
      // Providers are only busy or down: every route again after a backoff, for the code's life.
      const rounds = a.plan.rounds ?? 0
      const at = now + Math.max(this.backoff(rounds), a.retryAfterMs)
      if (at < a.code.expiresAt) {
        this.markRetry(a, at)
        a.plan = extend(a.plan, { rounds: rounds + 1, retryRoute: null, retries: 0 })
        await outbox.requeue(
          a.msg.id,
          now,
          {
            availableAt: at,
            channel: a.code.startChannel,
            triedRoutes: [],
            hops: a.hops,
            plan: this.planOf(a),
          },
          a.lastError ? this.errorInfo(a.lastError) : { providerId: null, code: null, text: null },
          a.events,
        )
        this.emit(a.events)
        return
      }
    }
    if (open.length > 0 || (a.passing && !everyChannelOut)) {
      // A hand-over may still be delivered (or the code ends while providers are down): no
      // give-up, no failure told to anyone; the send waits for a receipt until the code's end.
      this.markRetry(a, a.code.expiresAt)
      await outbox.markWaiting(a.msg.id, now, a.code.expiresAt, this.planOf(a), a.events)
      this.emit(a.events)
      return
    }
    const reason = a.lastError?.outcome ?? 'no_route'
    const last = a.events.at(-1)
    if (last?.type === 'submit_failed')
      a.events[a.events.length - 1] = { ...last, data: extend(last.data, { final: true }) }
    a.events.push(
      this.event(a.msg, 'gave_up', now, {
        message_id: a.msg.id,
        reason,
        hops: a.hops,
        channel: a.channel,
        message: a.lastError?.message ?? `No provider is configured for the ${a.channel} channel.`,
      }),
    )
    await outbox.markFailed(
      a.msg.id,
      now,
      a.lastError
        ? this.errorInfo(a.lastError)
        : { providerId: null, code: 'NO_ROUTE', text: 'no route for channel' },
      a.events,
    )
    this.emit(a.events)
  }

  private errorInfo(e: ProviderError & { providerId?: string }) {
    return { providerId: e.providerId ?? null, code: e.rawCode ?? null, text: e.rawText ?? e.message }
  }

  /** One submit on one route. True when handed over; the provider's error otherwise. */
  private sendOn(route: Route, a: Attempt): Promise<true | SubmitRefusal> {
    return inSpan(
      SPANS.providerSubmit,
      { [VERIFICATION_ID]: a.msg.verificationId, 'verigate.route': route.id, 'verigate.channel': a.channel },
      async (span) => {
        const result = await this.sendOnUntraced(route, a)
        span.setAttribute('verigate.handed_over', result === true)
        return result
      },
    )
  }

  private async sendOnUntraced(route: Route, a: Attempt): Promise<true | SubmitRefusal> {
    const { outbox, clock, config, routing } = this.deps
    const { msg, code: v, service, channel } = a
    const rendered = renderCodeMessage({
      code: v.code,
      brand: service?.brandName ?? service?.name ?? 'verigate',
      minutes: Math.max(1, Math.round((service?.codeTtlSeconds ?? 600) / 60)),
      locale: v.locale,
      channel,
      template: service?.messageTemplate,
      webotpDomain: service?.webotpDomain,
      androidAppHash: service?.androidAppHash,
      transaction: v.transaction,
    })
    const from = Router.sender(route, service?.brandName ?? service?.name)
    const startedAt = clock.now()
    let result: SendResult
    try {
      result = await withTimeoutSignal(config.sendTimeoutMs, (deadline) =>
        route.provider.send(
          {
            id: msg.id,
            attemptKey: `${msg.id}:${a.hops}`,
            channel,
            to: msg.destination,
            from,
            body: rendered.body,
            subject: rendered.subject,
            locale: rendered.locale,
            code: v.code,
            codeExpiresAt: v.expiresAt,
            serviceId: v.serviceId,
            oneTap: channel === 'whatsapp' ? (service?.whatsappOneTap ?? undefined) : undefined,
          },
          deadline,
        ),
      )
    } catch (err) {
      const refusal = this.refused(err, route, a, startedAt)
      // No answer (a timeout, a dropped connection): the provider may have taken the message. The
      // next attempt reuses this attempt key, so a provider that deduplicates by it answers with
      // the message it took instead of sending the code a second time.
      const unanswered =
        !(err instanceof ProviderError) || err.rawCode === 'TIMEOUT' || err.rawCode === 'NETWORK'
      if (unanswered) a.hops -= 1
      return Object.assign(refusal, { unanswered })
    }
    // Handed over. Recording it is the first thing done, before anything that can wait: a worker
    // that dies before this write commits leaves the send `sending`, and it goes out again when its
    // lease ends, with the same attempt key, which a provider that deduplicates by it answers
    // without sending twice. A failure to record is ours, not the provider's: it is thrown, never
    // taken for a refusal (that would move on to a new attempt key and send the code twice).
    const now = clock.now()
    a.events.push(
      this.event(msg, 'handed_to_provider', now, {
        message_id: msg.id,
        send_number: msg.sendNumber,
        attempt: msg.attempts,
        hop: a.hops,
        channel,
        route: route.id,
        provider: route.provider.id,
        provider_type: route.provider.type,
        provider_message_id: result.providerMessageId,
        from: from ?? null,
        raw_status: result.rawStatus ?? null,
        segments: result.segments ?? null,
        ...(result.note ? { note: result.note } : {}),
        latency_ms: now - startedAt,
        queued_ms: now - msg.createdAt,
      }),
    )
    a.plan = extend(a.plan, { handovers: (a.plan.handovers ?? 0) + 1, retryRoute: null, retries: 0 })
    await outbox.markSent(
      msg.id,
      now,
      {
        providerId: route.provider.id,
        providerMessageId: result.providerMessageId,
        routeId: route.id,
        sender: from ?? null,
        channel,
        country: v.country,
        triedRoutes: [...a.tried],
        hops: a.hops,
        plan: this.planOf(a),
        // Without receipts there is nothing to wait for; a deadline would re-send a delivered code.
        receiptDeadline:
          (route.provider.reportsDelivery ?? route.provider.receipts !== undefined)
            ? now + routing.receiptTimeoutMs
            : NO_RECEIPT_EXPECTED,
      },
      a.events,
    )
    this.emit(a.events)
    this.recordHealth(route.id, v.country, true)
    return true
  }

  /** A submit the provider refused or did not answer: the event, the route's health, the error. */
  private refused(
    err: unknown,
    route: Route,
    a: Attempt,
    startedAt: number,
  ): ProviderError & { providerId?: string } {
    const { clock, logger } = this.deps
    const { msg, code: v, channel } = a
    const now = clock.now()
    const timeout = (err as Error)?.name === 'TimeoutError'
    const pe =
      err instanceof ProviderError
        ? err
        : new ProviderError({
            message: timeout ? 'Provider did not answer in time' : String((err as Error)?.message ?? err),
            retryable: true,
            outcome: 'provider_error',
            rawCode: timeout ? 'TIMEOUT' : undefined,
            cause: err,
          })
    const cls = classify(pe.outcome)
    // Only the route's own troubles count against its health; a number that does not exist
    // says nothing about the route.
    if (cls.level === 'route') this.recordHealth(route.id, v.country, false)
    a.events.push(
      this.event(msg, 'submit_failed', now, {
        message_id: msg.id,
        attempt: msg.attempts,
        hop: a.hops,
        channel,
        route: route.id,
        provider: route.provider.id,
        outcome: pe.outcome,
        raw_code: pe.rawCode ?? null,
        raw_text: pe.rawText ?? pe.message,
        http_status: pe.httpStatus ?? null,
        retryable: pe.retryable,
        ...(pe.retryAfterMs !== undefined ? { retry_after_ms: pe.retryAfterMs } : {}),
        latency_ms: now - startedAt,
      }),
    )
    logger.warn(
      {
        messageId: msg.id,
        to: maskPhone(msg.destination),
        route: route.id,
        outcome: pe.outcome,
        rawCode: pe.rawCode,
      },
      'provider refused message',
    )
    return Object.assign(pe, { providerId: route.provider.id })
  }

  /**
   * Records a delivery receipt on the hand-over it belongs to. A delivered receipt marks the send
   * delivered whichever hop it was (a late one included); a failed one on the current hop moves the
   * send on, on an earlier hop it is a fact (and lets a waiting send decide again). Returns false
   * when no hand-over matches (yet): a receipt can arrive before the submit answer is stored, so
   * callers retry.
   */
  handleReceipt(report: DeliveryReport): Promise<boolean> {
    return inSpan(
      SPANS.receipt,
      { 'verigate.provider': report.providerId, 'verigate.outcome': report.outcome },
      () => this.handleReceiptUntraced(report),
    )
  }

  private async handleReceiptUntraced(report: DeliveryReport): Promise<boolean> {
    const { outbox, health, clock } = this.deps
    const found = await outbox.findByProviderMessageId(report.providerId, report.providerMessageId)
    if (!found) return false
    const { message: msg, hop } = found
    tagVerification(msg.verificationId)
    const current = msg.providerMessageId === report.providerMessageId && msg.status === 'sent'
    const type =
      report.outcome === 'delivered'
        ? 'delivered'
        : report.outcome === 'pending'
          ? 'delivery_pending'
          : 'delivery_failed'
    const events = [
      this.event(msg, type, report.at, {
        message_id: msg.id,
        route: hop.routeId,
        channel: hop.channel,
        provider: report.providerId,
        provider_message_id: report.providerMessageId,
        outcome: report.outcome,
        raw_status: report.rawStatus ?? null,
        raw_code: report.rawCode ?? null,
        raw_text: report.rawText ?? null,
        since_sent_ms: report.at - hop.sentAt,
        current_hop: current,
        // Delivered after its receipt timeout moved the code on: late, not lost.
        ...(hop.state === 'unconfirmed' ? { late: true } : {}),
      }),
    ]
    if (report.outcome === 'pending') {
      await this.deps.journal.appendEvents(events)
    } else if (report.outcome === 'delivered') {
      for (const key of healthKeys(hop.routeId, hop.country)) {
        health.record(key, true)
        health.recordReceiptLatency(key, report.at - hop.sentAt)
      }
      await outbox.markDelivered(msg.id, report.at, hop, events)
    } else {
      const cls = classify(report.outcome)
      if (cls.level === 'route')
        for (const key of healthKeys(hop.routeId, hop.country)) health.record(key, false)
      await outbox.settleHop(hop, 'failed', report.outcome, clock.now())
      const waiting = msg.status === 'unconfirmed'
      if (current || waiting) {
        // The next claim decides: the next route or channel, a wait for another open hop, or a
        // give-up when nothing is left.
        const now = clock.now()
        await outbox.requeue(
          msg.id,
          now,
          {
            availableAt: now,
            channel: msg.channel,
            triedRoutes: msg.triedRoutes,
            hops: msg.hops,
            plan: extend(msg.plan, { waiting: false, verdict: report.outcome, verdictChannel: hop.channel }),
            outcome: report.outcome,
          },
          { providerId: report.providerId, code: report.rawCode ?? null, text: report.rawText ?? null },
          events,
        )
        this.kick()
      } else {
        // A late verdict on an earlier hop while the send is busy elsewhere: keep the fact.
        await this.deps.journal.appendEvents(events)
      }
    }
    this.emit(events)
    return true
  }

  /**
   * Receipt intake with the retry described at `handleReceipt`, and retried while it cannot be
   * stored (a database outage), so a receipt is not lost and its message is not re-sent needlessly.
   * A receipt whose hand-over is still unknown after a short wait is held in the database: its
   * worker may have died before recording the hand-over, and the repeated send (deduplicated by a
   * provider that takes the attempt key) records it later; the dispatcher's sweep then applies it.
   */
  /**
   * A receipt a provider posted to us: stored (applied to its hand-over, or held until the
   * hand-over is recorded) before the provider gets its answer, so a process that dies after
   * answering loses nothing. A failure to store is thrown: the provider is answered 503 and sends
   * the receipt again, as every receipt-posting provider does on a non-2xx answer.
   */
  async takeReceipt(report: DeliveryReport): Promise<void> {
    const { outbox, clock } = this.deps
    if (await this.handleReceipt(report)) return
    // A fast provider may answer before our write of the hand-over commits: a short wait first,
    // then the database holds it and a worker applies it once the hand-over is there.
    for (const wait of RECEIPT_LOOKUP_RETRY_MS.slice(0, 2)) {
      await new Promise((resolve) => setTimeout(resolve, wait))
      if (await this.handleReceipt(report)) return
    }
    await outbox.holdReceipt(report, clock.now(), HELD_RECEIPT_KEEP_MS)
  }

  acceptReceipt(report: DeliveryReport): void {
    const { outbox, clock, logger } = this.deps
    const attempt = (i: number, failures: number) => {
      const retry = (err: unknown) => {
        const delay = RECEIPT_STORE_RETRY_MS[failures]
        if (delay === undefined) {
          logger.error({ err, provider: report.providerId }, 'receipt handling failed')
          return
        }
        logger.debug({ err, retryInMs: delay }, 'receipt not stored yet; retrying')
        setTimeout(() => attempt(i, failures + 1), delay).unref()
      }
      if (i >= RECEIPT_LOOKUP_RETRY_MS.length) {
        outbox.holdReceipt(report, clock.now(), HELD_RECEIPT_KEEP_MS).then(() => {
          logger.info(
            { provider: report.providerId, providerMessageId: report.providerMessageId },
            'receipt for a hand-over not recorded yet: held until it is',
          )
        }, retry)
        return
      }
      this.handleReceipt(report)
        .then((found) => {
          if (!found) setTimeout(() => attempt(i + 1, failures), RECEIPT_LOOKUP_RETRY_MS[i]).unref()
        })
        .catch(retry)
    }
    attempt(0, 0)
  }
}
