/**
 * @module The provider contract: one suite every `MessageProvider` runs against its vendor's
 * wire-format mock (Hono's shared router cases, Kratos's exported persister tests), so the
 * dispatcher can rely on the same promises from all of them:
 *
 * - an accepted submit answers with the provider's message id;
 * - each error class reads the same everywhere (`CONTRACT_ERROR_READINGS`): throttling is a
 *   retryable `provider_throttled` carrying the vendor's retry hint, outages and timeouts are
 *   retryable `provider_error`, an invalid number is a final `invalid_number`, bad credentials a
 *   final `provider_error`; the vendor's other documented codes map as its table says;
 * - receipts, over HTTP or over the provider's own session, land in the delivery taxonomy under
 *   the id the submit returned, and forged or unsigned HTTP receipts are refused;
 * - a message on a channel the provider does not serve is refused with the one shared error
 *   (`assertServes`), and nothing reaches the vendor;
 * - the attempt key travels in the vendor's idempotency or reference field, where it has one (the
 *   table on `OutgoingMessage.attemptKey`).
 *
 * A case an adapter cannot play is declared with its reason (`{ skip: '...' }`), never left out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Channel } from '../../channels/channel.js'
import type { DeliveryOutcome } from '../outcome.js'
import {
  CHANNEL_UNSUPPORTED,
  type DeliveryReport,
  type InboundRequest,
  type MessageProvider,
  type OutgoingMessage,
  ProviderError,
  type SendResult,
} from './provider.js'

/** The error classes every adapter is put through. */
export const CONTRACT_ERROR_CLASSES = [
  'throttled',
  'outage',
  'timeout',
  'network',
  'invalid_number',
  'auth',
] as const
/** One of `CONTRACT_ERROR_CLASSES`. */
export type ContractErrorClass = (typeof CONTRACT_ERROR_CLASSES)[number]

/** How each class must read, whatever the vendor; the raw code and text travel alongside. */
export const CONTRACT_ERROR_READINGS: Readonly<
  Record<ContractErrorClass, { outcome: DeliveryOutcome; retryable: boolean; rawCode?: string }>
> = {
  throttled: { outcome: 'provider_throttled', retryable: true },
  outage: { outcome: 'provider_error', retryable: true },
  timeout: { outcome: 'provider_error', retryable: true, rawCode: 'TIMEOUT' },
  network: { outcome: 'provider_error', retryable: true },
  invalid_number: { outcome: 'invalid_number', retryable: false },
  auth: { outcome: 'provider_error', retryable: false },
}

/** What an adapter's harness builds for every case: the adapter, wired to a fresh mock. */
export interface ContractFixture {
  readonly provider: MessageProvider
  /** The message each case sends unless the case changes it; on a channel the provider serves. */
  readonly message: OutgoingMessage
  /** Submits the vendor has received so far. */
  submits(): number | Promise<number>
  /** Stops the mock and closes every adapter the harness built. */
  close(): Promise<void>
}

/** How one case is set up, and what the vendor's answer carries beyond the class reading. */
export interface Arrangement {
  /** Changes to the fixture's message (a number the vendor refuses, a scenario number...). */
  readonly message?: Partial<OutgoingMessage>
  /** Sends through this adapter instead, e.g. one built with wrong credentials. */
  readonly provider?: MessageProvider
  /** The vendor's retry hint in ms; the error must carry exactly this (so none when none was given). */
  readonly retryAfterMs?: number
  /** Vendor fields the error must also carry (asymmetric matchers welcome). */
  readonly expect?: Partial<Pick<ProviderError, 'message' | 'rawCode' | 'rawText' | 'httpStatus'>>
}

/** Sets a case up on the harness's mock. */
export type Arrange<F> = (fixture: F) => Arrangement | undefined | Promise<Arrangement | undefined>

/** A declared gap: the case does not apply to this adapter, and why. */
export interface Skip {
  readonly skip: string
}

/** One more of the vendor's documented errors, beyond the classes. */
export interface VendorErrorCase<F> {
  readonly name: string
  readonly arrange: Arrange<F>
  readonly outcome: DeliveryOutcome
  readonly retryable: boolean
}

/** A message whose receipt must read as `outcome`. */
export interface SessionReceiptCase {
  readonly name: string
  readonly outcome: DeliveryOutcome
  /** Changes to the fixture's message (e.g. a scenario number of the simulator). */
  readonly message?: Partial<OutgoingMessage>
  /** Vendor fields the report must also carry (raw status, code...). */
  readonly expect?: Partial<DeliveryReport>
}

/** A receipt the mock sends over HTTP for a sent message. */
export interface HttpReceiptCase<F> extends SessionReceiptCase {
  /** Makes the mock send this receipt; resolves with the request as our endpoint received it. */
  deliver(fixture: F, sent: SentMessage): Promise<InboundRequest>
}

/** A message the provider accepted. */
export interface SentMessage {
  readonly message: OutgoingMessage
  readonly result: SendResult
}

/** How, if at all, the provider reports delivery. */
export type ContractReceipts<F> =
  | {
      readonly via: 'http'
      readonly cases: readonly HttpReceiptCase<F>[]
      /** A receipt for the sent message signed with another key, and one not signed at all. */
      forge(fixture: F, sent: SentMessage): Promise<{ wrongKey: InboundRequest; unsigned: InboundRequest }>
    }
  | {
      readonly via: 'session'
      readonly cases: readonly SessionReceiptCase[]
      /** Reports the provider pushed through `deps.onReceipt`, oldest first. */
      reports(fixture: F): readonly DeliveryReport[]
    }
  | { readonly via: 'none'; readonly reason: string }

/** Where the attempt key travels: the field as the vendor received it, or why there is none. */
export type ContractReference<F> =
  | {
      readonly field: string
      /** The field's value in the vendor's last received submit. */
      read(fixture: F): string | undefined | Promise<string | undefined>
      /** What the adapter makes of the key in that field. @default the key itself */
      expected?(attemptKey: string): string
    }
  | Skip

/** Everything the contract needs to know about one adapter. */
export interface ProviderContract<F extends ContractFixture> {
  /** Adapter type, e.g. `twilio`. */
  readonly type: string
  /** Starts the mock and builds the adapter; called for every case. */
  setup(): Promise<F>
  /** A channel the adapter, as the harness configures it, does not serve. */
  readonly unsupportedChannel: Channel
  readonly errors: { readonly [K in ContractErrorClass]: Arrange<F> | Skip }
  readonly vendorErrors?: readonly VendorErrorCase<F>[]
  readonly receipts: ContractReceipts<F>
  readonly reference: ContractReference<F>
}

const SEND_TIMEOUT_MS = 5000
/** The timeout class's send budget: the mock never answers, so this is how long the case takes. */
const TIMEOUT_CLASS_MS = 300
const RECEIPT_WAIT_MS = 5000

/** Runs the contract for one adapter: call it at the top level of a test file. */
export function runProviderContract<F extends ContractFixture>(contract: ProviderContract<F>): void {
  describe(`${contract.type} provider contract`, () => {
    let fixture: F
    beforeEach(async () => {
      fixture = await contract.setup()
    })
    afterEach(async () => {
      await fixture.close()
    })

    const send = (message: OutgoingMessage, provider = fixture.provider, timeoutMs = SEND_TIMEOUT_MS) =>
      provider.send(message, { signal: AbortSignal.timeout(timeoutMs) })

    it('accepts a submit and answers with the provider message id', async () => {
      const result = await send(fixture.message)
      expect(result.providerMessageId).toEqual(expect.any(String))
      expect(result.providerMessageId).not.toBe('')
      expect(await fixture.submits()).toBe(1)
    })

    it(`refuses ${contract.unsupportedChannel}, a channel it does not serve, with the shared error and sends nothing`, async () => {
      const { provider } = fixture
      expect(provider.channels).not.toContain(contract.unsupportedChannel)
      const err = await refusal(send({ ...fixture.message, channel: contract.unsupportedChannel }))
      expect(err).toMatchObject({
        message: `${provider.type} provider "${provider.id}" does not serve ${contract.unsupportedChannel}`,
        outcome: 'provider_error',
        retryable: false,
        rawCode: CHANNEL_UNSUPPORTED,
      })
      expect(await fixture.submits()).toBe(0)
    })

    describe('error classes', () => {
      for (const errorClass of CONTRACT_ERROR_CLASSES) {
        const arrange = contract.errors[errorClass]
        const reading = CONTRACT_ERROR_READINGS[errorClass]
        const title = `${errorClass}: ${reading.retryable ? 'retryable' : 'final'} ${reading.outcome}`
        if ('skip' in arrange) {
          it.skip(`${title} (does not apply: ${arrange.skip})`, () => {})
          continue
        }
        it(title, async () => {
          const timeoutMs = errorClass === 'timeout' ? TIMEOUT_CLASS_MS : SEND_TIMEOUT_MS
          await expectRefusal(arrange, reading, timeoutMs)
        })
      }
    })

    const vendorErrors = contract.vendorErrors ?? []
    if (vendorErrors.length > 0) {
      describe("the vendor's other documented errors", () => {
        for (const c of vendorErrors) {
          it(`${c.name}: ${c.retryable ? 'retryable' : 'final'} ${c.outcome}`, () =>
            expectRefusal(c.arrange, c, SEND_TIMEOUT_MS))
        }
      })
    }

    async function expectRefusal(
      arrange: Arrange<F>,
      reading: { outcome: DeliveryOutcome; retryable: boolean; rawCode?: string },
      timeoutMs: number,
    ): Promise<void> {
      const a = (await arrange(fixture)) ?? {}
      const err = await refusal(send({ ...fixture.message, ...a.message }, a.provider, timeoutMs))
      expect(err).toMatchObject({
        outcome: reading.outcome,
        retryable: reading.retryable,
        ...(reading.rawCode === undefined ? {} : { rawCode: reading.rawCode }),
        ...a.expect,
      })
      expect(err.retryAfterMs).toBe(a.retryAfterMs)
    }

    describeReceipts(contract, () => fixture, send)

    const reference = contract.reference
    if ('skip' in reference) {
      it.skip(`passes the attempt key to the vendor (no field: ${reference.skip})`, () => {})
    } else {
      it(`passes the attempt key as ${reference.field}`, async () => {
        const message = { ...fixture.message, attemptKey: `${fixture.message.id}:7` }
        await send(message)
        const expected = reference.expected?.(message.attemptKey) ?? message.attemptKey
        expect(await reference.read(fixture)).toBe(expected)
      })
    }
  })
}

function describeReceipts<F extends ContractFixture>(
  contract: ProviderContract<F>,
  fixture: () => F,
  send: (message: OutgoingMessage) => Promise<SendResult>,
): void {
  const receipts = contract.receipts
  describe('receipts', () => {
    if (receipts.via === 'none') {
      it(`expects none and offers no receipt webhook (${receipts.reason})`, () => {
        expect(fixture().provider.receipts).toBeUndefined()
        expect(fixture().provider.reportsDelivery ?? false).toBe(false)
      })
      return
    }

    if (receipts.via === 'session') {
      it('come over its own session, not a webhook', () => {
        expect(fixture().provider.receipts).toBeUndefined()
        expect(fixture().provider.reportsDelivery).toBe(true)
      })
      for (const c of receipts.cases)
        it(`${c.name}: reported as ${c.outcome}`, async () => {
          const message = { ...fixture().message, ...c.message }
          const { providerMessageId } = await send(message)
          const report = await eventually(() =>
            receipts.reports(fixture()).find((r) => r.providerMessageId === providerMessageId),
          )
          expect(report).toMatchObject({
            providerId: fixture().provider.id,
            providerMessageId,
            outcome: c.outcome,
            ...c.expect,
          })
        })
      return
    }

    it('come over HTTP, to the receipt webhook', () => {
      expect(fixture().provider.receipts).toBeDefined()
      expect(fixture().provider.reportsDelivery ?? true).toBe(true)
    })

    for (const c of receipts.cases)
      it(`${c.name}: verified, and parsed as ${c.outcome}`, async () => {
        const f = fixture()
        const webhook = f.provider.receipts!
        const message = { ...f.message, ...c.message }
        const result = await send(message)
        const req = await c.deliver(f, { message, result })
        expect(await webhook.verify(req)).toBe(true)
        const reports = webhook.parse(req)
        expect(reports).toHaveLength(1)
        expect(reports[0]).toMatchObject({
          providerId: f.provider.id,
          providerMessageId: result.providerMessageId,
          outcome: c.outcome,
          ...c.expect,
        })
      })

    it('refuses a receipt signed with another key, and an unsigned one', async () => {
      const f = fixture()
      const webhook = f.provider.receipts!
      const result = await send(f.message)
      const { wrongKey, unsigned } = await receipts.forge(f, { message: f.message, result })
      expect(await webhook.verify(wrongKey)).toBe(false)
      expect(await webhook.verify(unsigned)).toBe(false)
    })
  })
}

async function refusal(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ProviderError)
  return err as ProviderError
}

async function eventually<T>(probe: () => T | undefined): Promise<T> {
  const until = Date.now() + RECEIPT_WAIT_MS
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error(`no receipt within ${RECEIPT_WAIT_MS} ms`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
