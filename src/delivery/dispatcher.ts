/**
 * @module The outbox dispatcher: claims due messages, renders them, hands them to a provider and
 * records every attempt; takes delivery receipts back. At-least-once: a message whose worker died
 * mid-send is claimed again when its lease runs out.
 */
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import type { Keyring } from '../secrets/keyring.js'
import type { ServiceDirectory } from '../services/service-directory.js'
import type { Clock } from '../shared/clock.js'
import { maskPhone } from '../shared/mask.js'
import { openCode } from '../verification/code.js'
import type { VerificationStore } from '../verification/store.js'
import type { NewVerificationEvent } from '../verification/verification.js'
import type { OutboxMessage, OutboxStore } from './outbox.js'
import type { ProviderRegistry } from './provider-registry.js'
import { type DeliveryReport, ProviderError } from './providers/provider.js'
import { renderCodeMessage } from './templates/verification-code.js'

export interface DispatcherDeps {
  readonly outbox: OutboxStore
  readonly verifications: VerificationStore
  readonly services: ServiceDirectory
  readonly providers: ProviderRegistry
  readonly keyring: Keyring
  readonly clock: Clock
  readonly logger: Logger
  readonly config: Config['dispatcher']
  /** Called after each settled message or receipt (metrics, live status streams). */
  readonly onEvent?: (event: NewVerificationEvent) => void
}

export class Dispatcher {
  private timer: NodeJS.Timeout | undefined
  private draining: Promise<void> | undefined
  private again = false
  private stopped = true
  private readonly inFlight = new Set<Promise<void>>()

  constructor(private readonly deps: DispatcherDeps) {}

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    const tick = () => {
      this.kick()
      this.timer = setTimeout(tick, this.deps.config.pollIntervalMs)
      this.timer.unref()
    }
    tick()
  }

  /** Asks for a drain soon; many kicks in one tick make one drain. */
  kick(): void {
    if (this.stopped) return
    if (this.draining) {
      this.again = true
      return
    }
    this.draining = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .catch((err: unknown) => this.deps.logger.error({ err }, 'outbox drain failed'))
      .finally(() => {
        this.draining = undefined
        if (this.again) {
          this.again = false
          this.kick()
        }
      })
  }

  /** Stops claiming and waits for messages already being sent. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.draining
    await Promise.allSettled([...this.inFlight])
  }

  private async drain(): Promise<void> {
    const { outbox, clock, config } = this.deps
    for (;;) {
      if (this.stopped) return
      const batch = await outbox.claimDue(clock.now(), config.leaseMs, config.batchSize)
      if (batch.length === 0) return
      for (const msg of batch) {
        const p = this.process(msg)
          .catch((err: unknown) => this.deps.logger.error({ err, messageId: msg.id }, 'outbox message failed'))
          .finally(() => this.inFlight.delete(p))
        this.inFlight.add(p)
      }
      if (batch.length < config.batchSize) return
    }
  }

  private event(msg: OutboxMessage, type: NewVerificationEvent['type'], at: number, data: Record<string, unknown>) {
    const e: NewVerificationEvent = {
      verificationId: msg.verificationId,
      serviceId: msg.serviceId,
      destination: msg.destination,
      type,
      at,
      data,
    }
    return e
  }

  private emit(events: readonly NewVerificationEvent[]) {
    if (this.deps.onEvent) for (const e of events) this.deps.onEvent(e)
  }

  private async process(msg: OutboxMessage): Promise<void> {
    const { outbox, verifications, services, providers, keyring, clock, config, logger } = this.deps
    const v = await verifications.get(msg.verificationId)
    if (v?.status !== 'pending' || !v.codeCiphertext || clock.now() >= v.expiresAt) {
      // Approved, canceled or expired before this message left: sending it would only confuse.
      await outbox.markCanceled(msg.id, clock.now())
      return
    }
    const service = await services.get(v.serviceId)
    const route = providers.pick(msg.channel, msg.destination, msg.attempts)
    if (!route) {
      const now = clock.now()
      const events = [
        this.event(msg, 'submit_failed', now, {
          message_id: msg.id,
          attempt: msg.attempts,
          outcome: 'provider_error',
          reason: `No provider is configured for the ${msg.channel} channel.`,
          final: true,
        }),
      ]
      await outbox.markFailed(msg.id, now, { providerId: null, code: 'NO_ROUTE', text: 'no provider for channel' }, events)
      this.emit(events)
      return
    }
    const code = openCode(keyring, v.id, v.codeCiphertext)
    const rendered = renderCodeMessage({
      code,
      brand: service?.brandName ?? service?.name ?? 'verigate',
      minutes: Math.max(1, Math.round((service?.codeTtlSeconds ?? 600) / 60)),
      locale: v.locale,
      channel: msg.channel,
      template: service?.messageTemplate,
      webotpDomain: service?.webotpDomain,
    })
    const provider = route.provider
    const startedAt = clock.now()
    try {
      const result = await provider.send(
        {
          id: msg.id,
          attemptKey: `${msg.id}:${msg.attempts}`,
          channel: msg.channel,
          to: msg.destination,
          from: route.from,
          body: rendered.body,
          subject: rendered.subject,
          locale: rendered.locale,
        },
        { signal: AbortSignal.timeout(config.sendTimeoutMs) },
      )
      const now = clock.now()
      const events = [
        this.event(msg, 'handed_to_provider', now, {
          message_id: msg.id,
          send_number: msg.sendNumber,
          attempt: msg.attempts,
          channel: msg.channel,
          provider: provider.id,
          provider_type: provider.type,
          provider_message_id: result.providerMessageId,
          from: route.from ?? null,
          raw_status: result.rawStatus ?? null,
          segments: result.segments ?? null,
          latency_ms: now - startedAt,
          queued_ms: now - msg.createdAt,
        }),
      ]
      await outbox.markSent(msg.id, now, { providerId: provider.id, providerMessageId: result.providerMessageId }, events)
      this.emit(events)
    } catch (err) {
      const now = clock.now()
      const pe =
        err instanceof ProviderError
          ? err
          : new ProviderError({
              message: (err as Error)?.name === 'TimeoutError' ? 'Provider did not answer in time' : String((err as Error)?.message ?? err),
              retryable: true,
              outcome: 'provider_error',
              rawCode: (err as Error)?.name === 'TimeoutError' ? 'TIMEOUT' : undefined,
              cause: err,
            })
      const final = !pe.retryable || msg.attempts >= config.maxAttempts
      const backoff = Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** (msg.attempts - 1))
      // Full jitter: retries from many messages failing together spread out instead of stampeding.
      const nextAt = now + Math.round(backoff / 2 + Math.random() * (backoff / 2))
      const events = [
        this.event(msg, 'submit_failed', now, {
          message_id: msg.id,
          attempt: msg.attempts,
          provider: provider.id,
          outcome: pe.outcome,
          raw_code: pe.rawCode ?? null,
          raw_text: pe.rawText ?? pe.message,
          http_status: pe.httpStatus ?? null,
          retryable: pe.retryable,
          final,
          next_attempt_at: final ? null : nextAt,
        }),
      ]
      const info = { providerId: provider.id, code: pe.rawCode ?? null, text: pe.rawText ?? pe.message }
      if (final) await outbox.markFailed(msg.id, now, info, events)
      else await outbox.markRetry(msg.id, now, nextAt, info, events)
      this.emit(events)
      logger.warn(
        { messageId: msg.id, to: maskPhone(msg.destination), provider: provider.id, outcome: pe.outcome, rawCode: pe.rawCode, final },
        'provider refused message',
      )
    }
  }

  /**
   * Records a delivery receipt. Returns false when no message matches (yet): a receipt can arrive
   * before the submit answer is stored, so callers retry a few times before dropping it.
   */
  async handleReceipt(report: DeliveryReport): Promise<boolean> {
    const { outbox } = this.deps
    const msg = await outbox.findByProviderMessageId(report.providerId, report.providerMessageId)
    if (!msg) return false
    const type = report.outcome === 'delivered' ? 'delivered' : report.outcome === 'pending' ? 'delivery_pending' : 'delivery_failed'
    const events = [
      this.event(msg, type, report.at, {
        message_id: msg.id,
        provider: report.providerId,
        provider_message_id: report.providerMessageId,
        outcome: report.outcome,
        raw_status: report.rawStatus ?? null,
        raw_code: report.rawCode ?? null,
        raw_text: report.rawText ?? null,
        since_sent_ms: msg.sentAt === null ? null : report.at - msg.sentAt,
      }),
    ]
    await outbox.recordDelivery(msg.id, report.outcome, report.at, events)
    this.emit(events)
    return true
  }

  /** Receipt intake with the retry described at `handleReceipt`. */
  acceptReceipt(report: DeliveryReport): void {
    const delays = [50, 250, 1000, 3000]
    const attempt = (i: number) => {
      this.handleReceipt(report)
        .then((found) => {
          if (found) return
          const delay = delays[i]
          if (delay === undefined) {
            this.deps.logger.warn({ provider: report.providerId, providerMessageId: report.providerMessageId }, 'receipt for unknown message dropped')
            return
          }
          setTimeout(() => attempt(i + 1), delay).unref()
        })
        .catch((err: unknown) => this.deps.logger.error({ err }, 'receipt handling failed'))
    }
    attempt(0)
  }
}
