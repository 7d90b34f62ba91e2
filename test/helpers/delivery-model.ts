/**
 * The delivery model of docs/delivery.md as data: for every carrier simulator scenario and routing
 * setup, what must happen (events, message state, the page's delivery state, webhooks). The
 * server-side model test and the browser one both read it.
 */
import type { SimulatorScenario } from '../../src/simulator/scenarios.js'

export type Setup = 'one route' | 'two routes' | 'sms -> call'
export const SETUPS: Record<Setup, Record<string, unknown>> = {
  'one route': { routing: { routes: [{ provider: 'simulator', channel: 'sms' }] } },
  'two routes': {
    providers: [{ type: 'simulator', id: 'backup', channels: ['sms'] }],
    routing: {
      routes: [
        { provider: 'simulator', channel: 'sms' },
        { provider: 'backup', channel: 'sms' },
      ],
    },
  },
  'sms -> call': {
    routing: {
      routes: [
        { provider: 'simulator', channel: 'sms' },
        { provider: 'simulator', channel: 'call' },
      ],
    },
  },
}

export interface Expected {
  /** The event types, in order (the part before the end state settles). */
  readonly events: readonly string[]
  /** The message's status in the API. */
  readonly message: string
  /** The page's delivery state, and the channel it names. */
  readonly page: readonly [state: string, channel: string]
  /** Webhooks sent (verification.*), in order. */
  readonly webhooks: readonly string[]
}

const delivered = (channel = 'sms'): Expected => ({
  events: ['created', 'send_requested', 'handed_to_provider', 'delivered'],
  message: 'delivered',
  page: ['delivered', channel],
  webhooks: ['verification.started', 'verification.delivered'],
})
const STARTED = ['verification.started']
const FAILED = ['verification.started', 'verification.failed']

/** What each scenario must give in each setup (the late SMS arrives 1.5 s in; receipts are awaited 0.5 s). */
export const MODEL: Record<SimulatorScenario, Record<Setup, Expected>> = {
  delivered: { 'one route': delivered(), 'two routes': delivered(), 'sms -> call': delivered() },
  // On SMS these behave as any mobile; they differ on Telegram and in carrier lookups.
  no_telegram: { 'one route': delivered(), 'two routes': delivered(), 'sms -> call': delivered() },
  sim_swapped: { 'one route': delivered(), 'two routes': delivered(), 'sms -> call': delivered() },
  voip: { 'one route': delivered(), 'two routes': delivered(), 'sms -> call': delivered() },
  delivered_late: {
    // Observation 1: unconfirmed is not failed; the late SMS is delivered, never given up.
    'one route': {
      events: ['created', 'send_requested', 'handed_to_provider', 'receipt_timeout', 'delivered'],
      message: 'delivered',
      page: ['delivered', 'sms'],
      webhooks: ['verification.started', 'verification.delivered'],
    },
    'two routes': {
      events: [
        'created',
        'send_requested',
        'handed_to_provider',
        'receipt_timeout',
        'handed_to_provider',
        'receipt_timeout',
        'delivered',
        'delivered',
      ],
      message: 'delivered',
      page: ['delivered', 'sms'],
      webhooks: ['verification.started', 'verification.delivered'],
    },
    'sms -> call': {
      events: [
        'created',
        'send_requested',
        'handed_to_provider',
        'receipt_timeout',
        'channel_fallback',
        'handed_to_provider',
        'receipt_timeout',
        'delivered',
        'delivered',
      ],
      message: 'delivered',
      // The SMS arrived first: "delivered by SMS", not by the call placed meanwhile.
      page: ['delivered', 'sms'],
      webhooks: ['verification.started', 'verification.delivered'],
    },
  },
  carrier_blocked: {
    'one route': {
      events: ['created', 'send_requested', 'handed_to_provider', 'delivery_failed', 'gave_up'],
      message: 'failed',
      page: ['failed', 'sms'],
      webhooks: FAILED,
    },
    'two routes': {
      events: [
        'created',
        'send_requested',
        'handed_to_provider',
        'delivery_failed',
        'handed_to_provider',
        'delivery_failed',
        'gave_up',
      ],
      message: 'failed',
      page: ['failed', 'sms'],
      webhooks: FAILED,
    },
    'sms -> call': {
      events: [
        'created',
        'send_requested',
        'handed_to_provider',
        'delivery_failed',
        'channel_fallback',
        'handed_to_provider',
        'delivered',
      ],
      message: 'delivered',
      page: ['delivered', 'call'],
      webhooks: ['verification.started', 'verification.delivered'],
    },
  },
  unreachable: {
    // A handset that is off: the channel is out (another SMS route would not reach it either).
    'one route': {
      events: ['created', 'send_requested', 'handed_to_provider', 'delivery_failed', 'gave_up'],
      message: 'failed',
      page: ['failed', 'sms'],
      webhooks: FAILED,
    },
    'two routes': {
      events: ['created', 'send_requested', 'handed_to_provider', 'delivery_failed', 'gave_up'],
      message: 'failed',
      page: ['failed', 'sms'],
      webhooks: FAILED,
    },
    'sms -> call': {
      events: [
        'created',
        'send_requested',
        'handed_to_provider',
        'delivery_failed',
        'channel_fallback',
        'handed_to_provider',
        'delivery_failed',
        'gave_up',
      ],
      message: 'failed',
      page: ['failed', 'call'],
      webhooks: FAILED,
    },
  },
  unknown_subscriber: Object.fromEntries(
    (['one route', 'two routes', 'sms -> call'] as const).map((setup) => [
      setup,
      {
        // Nothing can reach a number that does not exist: given up at once, on any setup.
        events: ['created', 'send_requested', 'handed_to_provider', 'delivery_failed', 'gave_up'],
        message: 'failed',
        page: ['failed', 'sms'],
        webhooks: FAILED,
      },
    ]),
  ) as unknown as Record<Setup, Expected>,
  provider_outage: {
    // Observation 3: the provider is down; verigate keeps trying for the code's life and says so.
    'one route': {
      events: ['created', 'send_requested', 'submit_failed'],
      message: 'queued',
      page: ['retrying', 'sms'],
      webhooks: STARTED,
    },
    'two routes': {
      events: ['created', 'send_requested', 'submit_failed', 'submit_failed'],
      message: 'queued',
      page: ['retrying', 'sms'],
      webhooks: STARTED,
    },
    'sms -> call': {
      events: ['created', 'send_requested', 'submit_failed', 'channel_fallback', 'submit_failed'],
      message: 'queued',
      // Nothing was handed over on the call: the page never says "we called you".
      page: ['retrying', 'sms'],
      webhooks: STARTED,
    },
  },
  provider_throttled: Object.fromEntries(
    (['one route', 'two routes', 'sms -> call'] as const).map((setup) => [
      setup,
      {
        // Observation 2: two 429s are retried on the same route, never a switch to a call.
        events: [
          'created',
          'send_requested',
          'submit_failed',
          'submit_failed',
          'handed_to_provider',
          'delivered',
        ],
        message: 'delivered',
        page: ['delivered', 'sms'],
        webhooks: ['verification.started', 'verification.delivered'],
      },
    ]),
  ) as unknown as Record<Setup, Expected>,
  fixed_line: {
    'one route': {
      events: ['created', 'send_requested', 'submit_failed', 'gave_up'],
      message: 'failed',
      page: ['failed', 'sms'],
      webhooks: FAILED,
    },
    // A landline takes no text on any SMS route.
    'two routes': {
      events: ['created', 'send_requested', 'submit_failed', 'gave_up'],
      message: 'failed',
      page: ['failed', 'sms'],
      webhooks: FAILED,
    },
    // Observation 8: fallback is on by default, so a landline gets the code by a call.
    'sms -> call': {
      events: [
        'created',
        'send_requested',
        'submit_failed',
        'channel_fallback',
        'handed_to_provider',
        'delivered',
      ],
      message: 'delivered',
      page: ['delivered', 'call'],
      webhooks: ['verification.started', 'verification.delivered'],
    },
  },
}

/** A number per scenario; the simulator is switched so each behaves as its scenario. */
export const NUMBERS: Record<SimulatorScenario, string> = {
  delivered: '+447700900501',
  delivered_late: '+447700900502',
  carrier_blocked: '+447700900503',
  unreachable: '+447700900504',
  unknown_subscriber: '+447700900505',
  provider_outage: '+447700900506',
  provider_throttled: '+447700900507',
  fixed_line: '+447700900508',
  no_telegram: '+447700900509',
  sim_swapped: '+447700900510',
  voip: '+447700900511',
}
