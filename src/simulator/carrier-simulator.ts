/**
 * @module The built-in carrier simulator: a provider like any other, backed by a fake carrier
 * network. It accepts or refuses submits, then sends delivery receipts back through the same path
 * a real provider's would take, and puts delivered messages in the phone inbox.
 */
import { randomUUID } from 'node:crypto'
import type { Channel } from '../channels/channel.js'
import { CHANNELS } from '../channels/channel.js'
import type {
  DeliveryReport,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  SendResult,
} from '../delivery/providers/provider.js'
import { assertServes, ProviderError } from '../delivery/providers/provider.js'
import type { PhoneInbox } from './phone-inbox.js'
import { type SimulatorScenario, scenarioFor } from './scenarios.js'

export interface CarrierSimulatorConfig {
  readonly id?: string
  /** Receipt delay for normal numbers. 0 = receipt on the next tick (benchmarks). */
  readonly deliveryDelayMs: number
  readonly longDelayMs: number
  /** Sender shown in the inbox when the route names none. */
  readonly defaultSender?: string
  /** Channels this instance serves. @default all */
  readonly channels?: readonly Channel[]
  /** Every submit fails with 503 (a provider that is down). */
  readonly outage?: boolean
  /** Every accepted message is then blocked by the carrier (failed receipt). */
  readonly carrierBlocks?: boolean
  /** Accepts messages but never delivers nor sends a receipt. */
  readonly silent?: boolean
}

export interface CarrierSimulator extends MessageProvider {
  readonly inbox: PhoneInbox
  /** Per-number scenario switches (shared with the simulator SMSC). */
  readonly overrides: ReadonlyMap<string, SimulatorScenario>
  /** Makes a number behave as a scenario (the demo's switch); `undefined` restores the default. */
  setScenario(number: string, scenario: SimulatorScenario | undefined): void
  scenarioOf(number: string): SimulatorScenario
}

export function carrierSimulator(
  config: CarrierSimulatorConfig,
  deps: ProviderDeps & { inbox: PhoneInbox },
): CarrierSimulator {
  const overrides = new Map<string, SimulatorScenario>()
  const throttledSubmits = new Map<string, number>()
  const timers = new Set<NodeJS.Timeout>()
  const id = config.id ?? 'simulator'

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    t.unref()
    timers.add(t)
  }

  const receipt = (
    providerMessageId: string,
    r: Omit<DeliveryReport, 'providerId' | 'providerMessageId' | 'at'>,
  ) => deps.onReceipt({ providerId: id, providerMessageId, at: deps.clock.now(), ...r })

  const deliver = (msg: OutgoingMessage, providerMessageId: string, delay: number) =>
    later(delay, () => {
      deps.inbox.add({
        id: providerMessageId,
        to: msg.to,
        from: msg.from ?? config.defaultSender ?? 'VERIGATE',
        channel: msg.channel,
        body: msg.body,
        subject: msg.subject,
        receivedAt: deps.clock.now(),
      })
      receipt(providerMessageId, {
        outcome: 'delivered',
        rawStatus: 'DELIVRD',
        rawCode: '000',
        rawText: 'Delivered to handset',
      })
    })

  const identity = { id, type: 'simulator', channels: config.channels ?? CHANNELS } as const

  return {
    ...identity,
    // Receipts come back through `deps.onReceipt`, like an SMSC session's.
    reportsDelivery: true,
    defaultSender: config.defaultSender ?? 'VERIGATE',
    inbox: deps.inbox,
    overrides,
    setScenario(number, scenario) {
      if (scenario === undefined) overrides.delete(number)
      else overrides.set(number, scenario)
    },
    scenarioOf: (number) => scenarioFor(number, overrides),

    async send(msg: OutgoingMessage): Promise<SendResult> {
      assertServes(identity, msg.channel)
      const scenario = msg.channel === 'email' ? 'delivered' : scenarioFor(msg.to, overrides)
      const fail = (
        status: number,
        outcome: ProviderError['outcome'],
        code: string,
        text: string,
        retryable: boolean,
      ) =>
        new ProviderError({
          message: text,
          retryable,
          outcome,
          rawCode: code,
          rawText: text,
          httpStatus: status,
        })

      if (config.outage || scenario === 'provider_outage')
        throw fail(503, 'provider_error', '503', 'Service Unavailable: carrier gateway down', true)
      if (scenario === 'provider_throttled') {
        const n = (throttledSubmits.get(msg.id) ?? 0) + 1
        throttledSubmits.set(msg.id, n)
        if (n <= 2)
          throw fail(429, 'provider_throttled', '429', 'Too Many Requests: throughput limit exceeded', true)
        throttledSubmits.delete(msg.id)
      }
      if (scenario === 'fixed_line' && isTextChannel(msg.channel)) {
        throw fail(
          400,
          'not_mobile',
          'NOT_MOBILE',
          'Destination is a landline and cannot receive text messages',
          false,
        )
      }
      if (msg.channel === 'telegram' && (scenario === 'no_telegram' || scenario === 'fixed_line')) {
        // As Telegram Gateway's checkSendAbility: refused at once, nothing sent, nothing charged.
        throw fail(400, 'no_account', 'PHONE_NUMBER_NOT_FOUND', 'This number has no Telegram account', false)
      }
      const providerMessageId = `SM${randomUUID().replaceAll('-', '')}`
      if (config.silent) return { providerMessageId, rawStatus: 'ACCEPTD', segments: 1 }
      // Carriers' spam filters act on messages, not calls: a blocked number still takes a voice call.
      const effective = scenario === 'carrier_blocked' && !isTextChannel(msg.channel) ? 'delivered' : scenario
      switch (config.carrierBlocks ? 'carrier_blocked' : effective) {
        case 'delivered_late':
          deliver(msg, providerMessageId, config.longDelayMs)
          break
        case 'carrier_blocked':
          later(config.deliveryDelayMs, () =>
            receipt(providerMessageId, {
              outcome: 'carrier_blocked',
              rawStatus: 'UNDELIV',
              rawCode: '045',
              rawText: 'Message filtered by carrier: sender not allowed / suspected spam',
            }),
          )
          break
        case 'unreachable':
          later(config.deliveryDelayMs, () =>
            receipt(providerMessageId, {
              outcome: 'unreachable',
              rawStatus: 'UNDELIV',
              rawCode: '027',
              rawText: 'Absent subscriber: handset off or out of coverage',
            }),
          )
          break
        case 'unknown_subscriber':
          later(config.deliveryDelayMs, () =>
            receipt(providerMessageId, {
              outcome: 'unknown_subscriber',
              rawStatus: 'UNDELIV',
              rawCode: '001',
              rawText: 'Unknown subscriber: number not in service',
            }),
          )
          break
        default:
          deliver(msg, providerMessageId, config.deliveryDelayMs)
      }
      return { providerMessageId, rawStatus: 'ACCEPTD', segments: 1 }
    },

    async close() {
      for (const t of timers) clearTimeout(t)
      timers.clear()
    },
  }
}

function isTextChannel(channel: Channel): boolean {
  return channel === 'sms' || channel === 'whatsapp'
}
