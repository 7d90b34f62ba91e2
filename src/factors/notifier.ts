/**
 * @module Notifier: sends a plain informational notice (no code, no verification) straight to a
 * provider, on the first route of the channel that takes it. Used for security notices such as
 * "a reset of your sign-in methods was approved", which must not wait on, or count against, the
 * verification outbox and its limits.
 */

import { randomUUID } from 'node:crypto'
import type { Channel } from '../channels/channel.js'
import type { Route } from '../delivery/routing/router.js'
import { newId } from '../shared/ids.js'
import { withTimeoutSignal } from '../shared/timeout-signal.js'

/** One notice to one destination. */
export interface Notice {
  readonly channel: Extract<Channel, 'sms' | 'email'>
  /** E.164 number, or an email address for `email`. */
  readonly to: string
  readonly body: string
  /** Email subject. */
  readonly subject?: string | undefined
}

export type NoticeResult =
  | {
      readonly status: 'sent'
      readonly providerId: string
      readonly providerMessageId: string
      readonly messageId: string
    }
  | { readonly status: 'failed'; readonly error: string }

export interface Notifier {
  /** Never throws: a notice that could not be handed over comes back as `failed` with the reason. */
  send(notice: Notice): Promise<NoticeResult>
}

/** What the notifier needs from the router (`Router.next`). */
export interface NoticeRoutes {
  next(channel: Channel, country: string | null, tried: ReadonlySet<string>): Route | undefined
}

export interface RouterNotifierConfig {
  /** Per provider call. @default 10000 */
  readonly sendTimeoutMs?: number
  /** @default 'en' */
  readonly locale?: string
}

/**
 * Tries the channel's routes in the router's order (healthy ones first) until one accepts the
 * notice. There are no retries later: a notice is best effort and its outcome is for the caller
 * to record.
 */
export class RouterNotifier implements Notifier {
  constructor(
    private readonly routes: NoticeRoutes,
    private readonly config: RouterNotifierConfig = {},
  ) {}

  async send(notice: Notice): Promise<NoticeResult> {
    const tried = new Set<string>()
    const errors: string[] = []
    for (
      let route = this.routes.next(notice.channel, null, tried);
      route;
      route = this.routes.next(notice.channel, null, tried)
    ) {
      tried.add(route.id)
      const messageId = newId('message')
      try {
        const result = await withTimeoutSignal(this.config.sendTimeoutMs ?? 10_000, (deadline) =>
          route.provider.send(
            {
              id: messageId,
              attemptKey: randomUUID(),
              channel: notice.channel,
              to: notice.to,
              from: route.from,
              body: notice.body,
              subject: notice.subject,
              locale: this.config.locale ?? 'en',
            },
            deadline,
          ),
        )
        return {
          status: 'sent',
          providerId: route.provider.id,
          providerMessageId: result.providerMessageId,
          messageId,
        }
      } catch (err) {
        errors.push(`${route.id}: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
    return {
      status: 'failed',
      error: errors.length > 0 ? errors.join('; ') : `no route for the ${notice.channel} channel`,
    }
  }
}
