/** @module AWS SNS adapter against a local SNS Query API mock that verifies SigV4. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SnsMock, startSnsMock } from '../../../test/mocks/sns-mock.js'
import { ManualClock, systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import type { OutgoingMessage } from './provider.js'
import { ProviderError } from './provider.js'
import { signV4, sns } from './sns.js'
import { SnsConfigSchema } from './sns-config.js'

const REGION = 'eu-west-1'
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

let mock: SnsMock

beforeAll(async () => {
  mock = await startSnsMock({ region: REGION, accessKeyId: KEY_ID, secretAccessKey: SECRET })
})
afterAll(async () => {
  await mock.close()
})

const msg = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+447700900123',
  body: 'Your code is 123456 & more',
  locale: 'en',
  ...over,
})

function adapter(over: Record<string, unknown> = {}, clock = systemClock) {
  const config = SnsConfigSchema.parse({
    type: 'sns',
    region: REGION,
    accessKeyId: KEY_ID,
    secretAccessKey: SECRET,
    baseUrl: mock.url,
    from: 'VERIGATE',
    ...over,
  })
  return sns(config, { fetch: globalFetch, clock, onReceipt: () => {} })
}

const send = (p: ReturnType<typeof adapter>, m = msg(), timeoutMs = 5000) =>
  p.send(m, { signal: AbortSignal.timeout(timeoutMs) })

async function sendError(p: ReturnType<typeof adapter>, m = msg()): Promise<ProviderError> {
  const err = await send(p, m).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(ProviderError)
  return err as ProviderError
}

describe('sns send', () => {
  it('publishes a SigV4-signed transactional SMS and returns the MessageId', async () => {
    const result = await send(adapter())
    const req = mock.requests.at(-1)!
    expect(req.path).toBe('/')
    expect(req.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${KEY_ID}/\\d{8}/${REGION}/sns/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$`,
      ),
    )
    expect(req.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/)
    const published = mock.published.at(-1)!
    expect(published).toMatchObject({
      phoneNumber: '+447700900123',
      message: 'Your code is 123456 & more',
      attributes: { 'AWS.SNS.SMS.SMSType': 'Transactional', 'AWS.SNS.SMS.SenderID': 'VERIGATE' },
    })
    expect(result).toEqual({ providerMessageId: published.messageId, rawStatus: 'Published' })
  })

  it('sends an origination number, max price and session token when configured', async () => {
    await send(adapter({ from: '+15550001111', maxPriceUsd: 0.05, sessionToken: 'session-token' }))
    const req = mock.requests.at(-1)!
    expect(req.headers['x-amz-security-token']).toBe('session-token')
    expect(req.headers.authorization).toContain(
      'SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,',
    )
    expect(mock.published.at(-1)!.attributes).toEqual({
      'AWS.SNS.SMS.SMSType': 'Transactional',
      'AWS.MM.SMS.OriginationNumber': '+15550001111',
      'AWS.SNS.SMS.MaxPrice': '0.05000',
    })
  })

  it('reproduces the signature of the AWS SigV4 documentation example (IAM ListUsers)', () => {
    const headers = signV4({
      method: 'GET',
      url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
      body: '',
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
      region: 'us-east-1',
      service: 'iam',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      now: Date.UTC(2015, 7, 30, 12, 36, 0),
    })
    expect(headers['x-amz-date']).toBe('20150830T123600Z')
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    )
  })

  it('gets RequestExpired for a clock 20 minutes off (retryable: the next attempt signs afresh)', async () => {
    const err = await sendError(adapter({}, new ManualClock(Date.now() - 20 * 60_000)))
    expect(err).toMatchObject({ outcome: 'provider_error', retryable: true, rawCode: 'RequestExpired' })
  })

  it('has no receipt webhook: SNS reports delivery only to CloudWatch Logs', () => {
    expect('receipts' in adapter()).toBe(false)
  })
})
