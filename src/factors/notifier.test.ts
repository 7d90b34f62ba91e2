/** RouterNotifier: first route that accepts wins; failures fall through to the next route and are reported. */
import { describe, expect, it } from 'vitest'
import type { Channel } from '../channels/channel.js'
import { type MessageProvider, type OutgoingMessage, ProviderError } from '../delivery/providers/provider.js'
import type { Route } from '../delivery/routing/router.js'
import { RouterNotifier } from './notifier.js'

function provider(id: string, fail: boolean, sent: OutgoingMessage[]): MessageProvider {
  return {
    id,
    type: 'fake',
    channels: ['sms', 'email'],
    async send(msg) {
      if (fail)
        throw new ProviderError({ message: `${id} is down`, retryable: true, outcome: 'provider_error' })
      sent.push(msg)
      return { providerMessageId: `${id}-1` }
    },
  } satisfies MessageProvider
}

function routes(list: Array<{ id: string; provider: MessageProvider; channel: Channel; from?: string }>) {
  return {
    next(channel: Channel, _country: string | null, tried: ReadonlySet<string>): Route | undefined {
      const r = list.find((x) => x.channel === channel && !tried.has(x.id))
      return (
        r && {
          id: r.id,
          provider: r.provider,
          channel: r.channel,
          from: r.from,
          brandAllowed: false,
          cost: 1,
        }
      )
    },
  }
}

describe('RouterNotifier', () => {
  it('sends on the first route that accepts, with the route sender', async () => {
    const sent: OutgoingMessage[] = []
    const notifier = new RouterNotifier(
      routes([
        { id: 'down:sms:*', provider: provider('down', true, sent), channel: 'sms' },
        { id: 'up:sms:*', provider: provider('up', false, sent), channel: 'sms', from: 'ACME' },
      ]),
    )
    const result = await notifier.send({ channel: 'sms', to: '+447700900123', body: 'hello' })
    expect(result).toMatchObject({ status: 'sent', providerId: 'up', providerMessageId: 'up-1' })
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      channel: 'sms',
      to: '+447700900123',
      body: 'hello',
      from: 'ACME',
      locale: 'en',
    })
    expect(sent[0]?.id).toMatch(/^msg_/)
  })

  it('reports failure without throwing when no route takes the notice', async () => {
    const sent: OutgoingMessage[] = []
    const notifier = new RouterNotifier(
      routes([{ id: 'down:sms:*', provider: provider('down', true, sent), channel: 'sms' }]),
    )
    expect(await notifier.send({ channel: 'sms', to: '+447700900123', body: 'x' })).toEqual({
      status: 'failed',
      error: 'down:sms:*: down is down',
    })
    expect(await notifier.send({ channel: 'email', to: 'a@example.com', body: 'x', subject: 's' })).toEqual({
      status: 'failed',
      error: 'no route for the email channel',
    })
  })
})
