/**
 * @module The outbox dispatcher: claims due messages, walks their routes (failover), falls back to
 * the service's next channel when a channel has no route left, and takes delivery receipts back.
 * At-least-once: a message whose worker died mid-send is claimed again when its lease runs out.
 * One verification keeps one code through every hop.
 */
import type { Logger } from 'pino'
import type { Channel } from '../channels/channel.js'
import type { EventJournal } from '../events/event-journal.js'
import type { NewVerificationEvent } from '../events/verification-event.js'
import type { RateLimiter } from '../ratelimit/rate-limiter.js'
import type { Service, ServiceLookup } from '../services/service.js'
import type { Clock } from '../shared/clock.js'
import { maskPhone } from '../shared/mask.js'
import { PollLoop } from '../shared/poll-loop.js'
import type { CodeSource, CodeToSend } from './code-source.js'
import type { DispatcherConfig } from './dispatcher-config.js'
import type { OutboxMessage, OutboxStore } from './outbox.js'
import { type DeliveryOutcome, REROUTABLE_OUTCOMES } from './outcome.js'
import { type DeliveryReport, ProviderError } from './providers/provider.js'
import type { RouteHealth } from './routing/route-health.js'
import type { Route, Router } from './routing/router.js'
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

/** Failures that say the destination itself cannot be reached on this channel: no other route helps. */
const DESTINATION_FINAL: ReadonlySet<DeliveryOutcome> = new Set(['invalid_number', 'unknown_subscriber'])
/** Failures that say this channel cannot reach the destination, but another channel might. */
const CHANNEL_FINAL: ReadonlySet<DeliveryOutcome> = new Set(['not_mobile', 'opted_out'])
/** `available_at` of a sent message whose provider sends no receipts: never claimed again. */
const NO_RECEIPT_EXPECTED = 8_640_000_000_000_000

/** Waits before retrying a receipt that could not be stored (the database was away). */
const RECEIPT_STORE_RETRY_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000]

/** Transient failures worth retrying on the same routes after a backoff, when no route is left. */
const TRANSIENT: ReadonlySet<DeliveryOutcome> = new Set(['provider_error', 'provider_throttled'])

export class Dispatcher {
  private readonly loop: PollLoop
  private readonly inFlight = new Set<Promise<void>>()

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
    await Promise.allSettled([...this.inFlight])
  }

  private async drain(): Promise<void> {
    const { outbox, clock, config } = this.deps
    for (;;) {
      if (!this.loop.running) return
      const batch = await outbox.claimDue(clock.now(), config.leaseMs, config.batchSize)
      if (batch.length === 0) return
      for (const msg of batch) {
        const p = this.process(msg)
          .catch((err: unknown) =>
            this.deps.logger.error({ err, messageId: msg.id }, 'outbox message failed'),
          )
          .finally(() => this.inFlight.delete(p))
        this.inFlight.add(p)
      }
      if (batch.length < config.batchSize) return
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

  /** The next channel of the service's fallback list that can reach this destination and has a route. */
  private fallbackChannel(
    service: Service | undefined,
    v: CodeToSend,
    current: Channel,
  ): Channel | undefined {
    const list = service?.fallbackChannels ?? []
    const from = list.indexOf(current)
    const rest = from >= 0 ? list.slice(from + 1) : list.filter((c) => c !== v.startChannel)
    for (const channel of rest) {
      if (channel === current || channel === 'email' || v.startChannel === 'email') continue // a phone is not an inbox
      if (!service?.channels.includes(channel)) continue
      if (this.deps.router.candidates(channel, v.country).length > 0) return channel
    }
    return undefined
  }

  private async process(msg: OutboxMessage): Promise<void> {
    const { outbox, codes, services, router, health, clock, routing, config } = this.deps
    const v = await codes.codeToSend(msg.verificationId, clock.now())
    if (!v) {
      // Approved, canceled or expired before this message left: sending it would only confuse.
      await outbox.markCanceled(msg.id, clock.now())
      return
    }
    const service = await services.get(v.serviceId)
    const events: NewVerificationEvent[] = []
    const tried = new Set(msg.triedRoutes)
    let channel = msg.channel
    let hops = msg.hops
    let lastError: ProviderError | undefined

    if (msg.providerMessageId !== null && msg.routeId !== null) {
      // Claimed while awaiting its receipt: the receipt is overdue.
      health.record(msg.routeId, false)
      events.push(
        this.event(msg, 'receipt_timeout', clock.now(), {
          message_id: msg.id,
          route: msg.routeId,
          provider_message_id: msg.providerMessageId,
          waited_ms: msg.sentAt === null ? null : clock.now() - msg.sentAt,
        }),
      )
      lastError = new ProviderError({
        message: 'No delivery receipt in time',
        retryable: true,
        outcome: 'expired',
        rawCode: 'RECEIPT_TIMEOUT',
      })
    }

    const failedBefore = msg.deliveryOutcome
    if (!lastError && failedBefore && failedBefore !== 'pending' && failedBefore !== 'delivered') {
      // Re-queued by a failed receipt: if no route is left, that failure is the reason to report.
      lastError = new ProviderError({
        message: msg.lastErrorText ?? `Delivery failed: ${failedBefore}`,
        retryable: false,
        outcome: failedBefore,
        rawCode: msg.lastErrorCode ?? undefined,
        rawText: msg.lastErrorText ?? undefined,
      })
    }
    const { code } = v
    for (;;) {
      const route = router.next(channel, v.country, tried)
      if (!route) {
        const next =
          lastError && DESTINATION_FINAL.has(lastError.outcome)
            ? undefined
            : this.fallbackChannel(service, v, channel)
        if (next) {
          events.push(
            this.event(msg, 'channel_fallback', clock.now(), {
              message_id: msg.id,
              from_channel: channel,
              to_channel: next,
              reason: lastError?.outcome ?? 'no_route',
            }),
          )
          channel = next
          continue
        }
        const now = clock.now()
        if (
          lastError &&
          TRANSIENT.has(lastError.outcome) &&
          msg.attempts < config.maxAttempts &&
          hops < routing.maxHops
        ) {
          // Every route failed for a passing reason (outage, throttling): try them all again later.
          const backoff = Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** (msg.attempts - 1))
          const nextAt = now + Math.round(backoff / 2 + Math.random() * (backoff / 2)) // full jitter
          const last = events.at(-1)
          if (last?.type === 'submit_failed')
            events[events.length - 1] = {
              ...last,
              data: { ...last.data, final: false, next_attempt_at: nextAt },
            }
          await outbox.requeue(
            msg.id,
            now,
            { availableAt: nextAt, channel: msg.channel, triedRoutes: [], hops },
            this.errorInfo(lastError),
            events,
          )
        } else {
          const reason = !lastError ? 'no_route' : lastError.outcome
          const last = events.at(-1)
          if (last?.type === 'submit_failed')
            events[events.length - 1] = { ...last, data: { ...last.data, final: true } }
          events.push(
            this.event(msg, 'gave_up', now, {
              message_id: msg.id,
              reason,
              hops,
              channel,
              message: lastError?.message ?? `No provider is configured for the ${channel} channel.`,
            }),
          )
          await outbox.markFailed(
            msg.id,
            now,
            lastError
              ? this.errorInfo(lastError)
              : { providerId: null, code: 'NO_ROUTE', text: 'no route for channel' },
            events,
          )
        }
        this.emit(events)
        return
      }
      tried.add(route.id)
      if (hops >= routing.maxHops) {
        lastError = new ProviderError({
          message: `Stopped after ${hops} hops (routing.maxHops)`,
          retryable: false,
          outcome: 'provider_error',
          rawCode: 'MAX_HOPS',
        })
        tried.clear()
        for (const r of router.candidates(channel, v.country)) tried.add(r.id)
        continue
      }
      if (route.cost > 0) {
        const spend = await this.deps.limiter.consume(
          { name: 'spend-svc', points: routing.spendCapPerServicePerDay, durationSeconds: 86_400 },
          v.serviceId,
          route.cost,
        )
        if (!spend.allowed) {
          const now = clock.now()
          events.push(
            this.event(msg, 'gave_up', now, {
              message_id: msg.id,
              reason: 'spend_cap',
              retry_after_ms: spend.retryAfterMs,
            }),
          )
          await outbox.markFailed(
            msg.id,
            now,
            { providerId: null, code: 'SPEND_CAP', text: 'service daily spend cap reached' },
            events,
          )
          this.emit(events)
          return
        }
      }
      hops += 1
      const sent = await this.sendOn(route, msg, v, service, code, channel, hops, tried, events)
      if (sent === true) return
      lastError = sent
      if (DESTINATION_FINAL.has(sent.outcome)) {
        for (const r of router.candidates(channel, v.country)) tried.add(r.id)
        // A number that does not exist on SMS does not exist for a call either.
        const now = clock.now()
        events.push(
          this.event(msg, 'gave_up', now, {
            message_id: msg.id,
            reason: sent.outcome,
            hops,
            channel,
            message: sent.message,
          }),
        )
        await outbox.markFailed(msg.id, now, this.errorInfo(sent), events)
        this.emit(events)
        return
      }
      if (CHANNEL_FINAL.has(sent.outcome))
        for (const r of router.candidates(channel, v.country)) tried.add(r.id)
    }
  }

  private errorInfo(e: ProviderError & { providerId?: string }) {
    return { providerId: e.providerId ?? null, code: e.rawCode ?? null, text: e.rawText ?? e.message }
  }

  /** One submit on one route. True when handed over; the provider's error otherwise. */
  private async sendOn(
    route: Route,
    msg: OutboxMessage,
    v: CodeToSend,
    service: Service | undefined,
    code: string,
    channel: Channel,
    hops: number,
    tried: ReadonlySet<string>,
    events: NewVerificationEvent[],
  ): Promise<true | (ProviderError & { providerId?: string })> {
    const { outbox, health, clock, config, routing, logger } = this.deps
    const rendered = renderCodeMessage({
      code,
      brand: service?.brandName ?? service?.name ?? 'verigate',
      minutes: Math.max(1, Math.round((service?.codeTtlSeconds ?? 600) / 60)),
      locale: v.locale,
      channel,
      template: service?.messageTemplate,
      webotpDomain: service?.webotpDomain,
      androidAppHash: service?.androidAppHash,
    })
    const startedAt = clock.now()
    try {
      const result = await route.provider.send(
        {
          id: msg.id,
          attemptKey: `${msg.id}:${hops}`,
          channel,
          to: msg.destination,
          from: route.from,
          body: rendered.body,
          subject: rendered.subject,
          locale: rendered.locale,
        },
        { signal: AbortSignal.timeout(config.sendTimeoutMs) },
      )
      const now = clock.now()
      health.record(route.id, true)
      events.push(
        this.event(msg, 'handed_to_provider', now, {
          message_id: msg.id,
          send_number: msg.sendNumber,
          attempt: msg.attempts,
          hop: hops,
          channel,
          route: route.id,
          provider: route.provider.id,
          provider_type: route.provider.type,
          provider_message_id: result.providerMessageId,
          from: route.from ?? null,
          raw_status: result.rawStatus ?? null,
          segments: result.segments ?? null,
          latency_ms: now - startedAt,
          queued_ms: now - msg.createdAt,
        }),
      )
      await outbox.markSent(
        msg.id,
        now,
        {
          providerId: route.provider.id,
          providerMessageId: result.providerMessageId,
          routeId: route.id,
          sender: route.from ?? null,
          channel,
          triedRoutes: [...tried],
          hops,
          // Without receipts there is nothing to wait for; a deadline would re-send a delivered code.
          receiptDeadline:
            (route.provider.reportsDelivery ?? route.provider.receipts !== undefined)
              ? now + routing.receiptTimeoutMs
              : NO_RECEIPT_EXPECTED,
        },
        events,
      )
      this.emit(events)
      return true
    } catch (err) {
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
      health.record(route.id, false)
      events.push(
        this.event(msg, 'submit_failed', now, {
          message_id: msg.id,
          attempt: msg.attempts,
          hop: hops,
          channel,
          route: route.id,
          provider: route.provider.id,
          outcome: pe.outcome,
          raw_code: pe.rawCode ?? null,
          raw_text: pe.rawText ?? pe.message,
          http_status: pe.httpStatus ?? null,
          retryable: pe.retryable,
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
  }

  /**
   * Records a delivery receipt, and re-routes on a failed one. Returns false when no message
   * matches (yet): a receipt can arrive before the submit answer is stored, so callers retry.
   */
  async handleReceipt(report: DeliveryReport): Promise<boolean> {
    const { outbox, health, clock } = this.deps
    const found = await outbox.findByProviderMessageId(report.providerId, report.providerMessageId)
    if (!found) return false
    const { message: msg, routeId, sentAt } = found
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
        route: routeId,
        provider: report.providerId,
        provider_message_id: report.providerMessageId,
        outcome: report.outcome,
        raw_status: report.rawStatus ?? null,
        raw_code: report.rawCode ?? null,
        raw_text: report.rawText ?? null,
        since_sent_ms: report.at - sentAt,
        current_hop: current,
      }),
    ]
    if (report.outcome === 'pending') {
      await this.deps.journal.appendEvents(events)
    } else if (report.outcome === 'delivered') {
      health.record(routeId, true)
      health.recordReceiptLatency(routeId, report.at - sentAt)
      if (msg.status === 'delivered') await this.deps.journal.appendEvents(events)
      else await outbox.markDelivered(msg.id, report.at, events)
    } else {
      if (REROUTABLE_OUTCOMES.has(report.outcome)) health.record(routeId, false)
      if (!current) {
        // A late verdict on an earlier hop: the message has moved on; keep the fact.
        await this.deps.journal.appendEvents(events)
      } else if (DESTINATION_FINAL.has(report.outcome)) {
        const now = clock.now()
        events.push(
          this.event(msg, 'gave_up', now, {
            message_id: msg.id,
            reason: report.outcome,
            hops: msg.hops,
            channel: msg.channel,
          }),
        )
        await outbox.markFailed(
          msg.id,
          now,
          { providerId: report.providerId, code: report.rawCode ?? null, text: report.rawText ?? null },
          events,
        )
      } else {
        // Blocked, unreachable, expired...: the same code goes out again on the next route (or channel).
        const now = clock.now()
        await outbox.requeue(
          msg.id,
          now,
          {
            availableAt: now,
            channel: msg.channel,
            triedRoutes: msg.triedRoutes,
            hops: msg.hops,
            outcome: report.outcome,
          },
          { providerId: report.providerId, code: report.rawCode ?? null, text: report.rawText ?? null },
          events,
        )
        this.kick()
      }
    }
    this.emit(events)
    return true
  }

  /**
   * Receipt intake with the retry described at `handleReceipt`, and retried while it cannot be
   * stored (a database outage), so a receipt is not lost and its message is not re-sent needlessly.
   */
  acceptReceipt(report: DeliveryReport): void {
    const delays = [50, 250, 1000, 3000]
    const attempt = (i: number, failures: number) => {
      this.handleReceipt(report)
        .then((found) => {
          if (found) return
          const delay = delays[i]
          if (delay === undefined) {
            this.deps.logger.warn(
              { provider: report.providerId, providerMessageId: report.providerMessageId },
              'receipt for unknown message dropped',
            )
            return
          }
          setTimeout(() => attempt(i + 1, failures), delay).unref()
        })
        .catch((err: unknown) => {
          const delay = RECEIPT_STORE_RETRY_MS[failures]
          if (delay === undefined) {
            this.deps.logger.error({ err, provider: report.providerId }, 'receipt handling failed')
            return
          }
          this.deps.logger.debug({ err, retryInMs: delay }, 'receipt not stored yet; retrying')
          setTimeout(() => attempt(i, failures + 1), delay).unref()
        })
    }
    attempt(0, 0)
  }
}
