/**
 * @module Withdraws messages whose code is no longer useful: when a verification ends (approved,
 * canceled, expired), every hand-over to a provider that can revoke (Telegram Gateway's
 * revokeVerificationMessage) is revoked, so a code that no longer works does not sit unread in the
 * person's chat. Best effort: a failed revocation is logged and counted, never retried into a loop.
 */

import type { Logger } from 'pino'
import type { NewVerificationEvent } from '../events/verification-event.js'
import { withTimeoutSignal } from '../shared/timeout-signal.js'
import type { OutboxStore } from './outbox.js'
import type { MessageProvider } from './providers/provider.js'

/** The event types after which a verification's code is no longer accepted. */
const ENDINGS: ReadonlySet<NewVerificationEvent['type']> = new Set(['approved', 'canceled', 'expired'])

const REVOKE_TIMEOUT_MS = 5000

export class Revoker {
  private readonly inFlight = new Set<Promise<void>>()
  /** Revocations that failed (vendor refused or unreachable), for tests and metrics. */
  failures = 0

  constructor(
    private readonly deps: {
      readonly outbox: Pick<OutboxStore, 'listForVerification' | 'listHops'>
      readonly provider: (id: string) => MessageProvider | undefined
      /**
       * Whether any configured provider can revoke, known once at startup: without one, an ending
       * verification would read its messages and hand-overs (two queries per check) for nothing.
       * @default true
       */
      readonly anyRevocable?: boolean
      readonly logger: Logger
    },
  ) {}

  /** Event listener: starts the revocations of an ending verification, without waiting for them. */
  onEvent(event: NewVerificationEvent): void {
    if (!ENDINGS.has(event.type) || event.verificationId === null || this.deps.anyRevocable === false) return
    const p: Promise<void> = this.revokeAll(event.verificationId)
      .then(() => undefined)
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'revocation failed'))
      .finally(() => this.inFlight.delete(p))
    this.inFlight.add(p)
  }

  /** Revokes every revocable hand-over of the verification. */
  async revokeAll(verificationId: string): Promise<number> {
    let revoked = 0
    for (const message of await this.deps.outbox.listForVerification(verificationId)) {
      for (const hop of await this.deps.outbox.listHops(message.id)) {
        const provider = this.deps.provider(hop.providerId)
        if (!provider?.revoke || hop.state === 'failed') continue
        try {
          await withTimeoutSignal(REVOKE_TIMEOUT_MS, (deadline) =>
            provider.revoke!(hop.providerMessageId, deadline),
          )
          revoked += 1
        } catch (err) {
          this.failures += 1
          this.deps.logger.warn(
            { err, provider: hop.providerId, providerMessageId: hop.providerMessageId },
            'provider refused to revoke a message',
          )
        }
      }
    }
    return revoked
  }

  /** Waits for revocations under way (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight])
  }
}
