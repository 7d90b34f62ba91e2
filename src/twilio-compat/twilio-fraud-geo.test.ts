/** Twilio's 60605 (geo permissions) and 60410 (fraud block) through the official SDK. */
import twilio from 'twilio'
import type RequestClient from 'twilio/lib/base/RequestClient.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../test/helpers/test-deps.js'
import { parseToken } from '../auth/api-key.js'
import { twilioAccountSid } from './sids.js'

class VerigateRequestClient extends twilio.RequestClient {
  constructor(private readonly origin: string) {
    super()
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: opts.uri.replace(/^https:\/\/verify\.twilio\.com/, this.origin) })
  }
}

describe('Twilio geo permissions and fraud guard', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let client: twilio.Twilio
  let serviceSid: string

  beforeAll(async () => {
    t = await buildTestApp({
      config: {
        geo: { blockedCountries: ['FR'] },
        limits: { startsPerPrefix: { points: 2, durationSeconds: 600 }, prefixDigits: 11 },
        fraud: { unprovenRangeStarts: 3 },
      },
    })
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const address = t.app.server.address()
    if (!address || typeof address === 'string') throw new Error('no port')
    const keyId = parseToken(t.adminKey)!.id
    client = twilio(twilioAccountSid(keyId), t.adminKey, {
      httpClient: new VerigateRequestClient(`http://127.0.0.1:${address.port}`),
    })
    serviceSid = (await client.verify.v2.services.create({ friendlyName: 'Geo' })).sid
  })
  afterAll(async () => t.close())

  const error = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected an error')
      },
      (e: unknown) => e as InstanceType<typeof twilio.RestException>,
    )

  it('refuses a country outside the geo permissions with 60605', async () => {
    const err = await error(
      client.verify.v2.services(serviceSid).verifications.create({ to: '+33612345678', channel: 'sms' }),
    )
    expect(err).toMatchObject({ status: 403, code: 60605 })
  })

  it('blocks a burst into one number range with 60410 (SMS pumping)', async () => {
    const v = client.verify.v2.services(serviceSid).verifications
    await v.create({ to: '+447700900601', channel: 'sms' })
    await v.create({ to: '+447700900602', channel: 'sms' })
    const err = await error(v.create({ to: '+447700900603', channel: 'sms' }))
    expect(err).toMatchObject({ status: 403, code: 60410 })
    // Another range is not affected.
    await v.create({ to: '+447700900711', channel: 'sms' })
  })

  it('the fraud guard refuses a range walked with no code entered with 60410, saying which range and how to lift it', async () => {
    const other = (await client.verify.v2.services.create({ friendlyName: 'Pumped' })).sid
    const v = client.verify.v2.services(other).verifications
    // Each in its own 11-digit prefix, so the per-prefix velocity limit of this file stays out of it.
    for (const to of ['+447911120010', '+447911120020', '+447911120030'])
      await v.create({ to, channel: 'sms' })
    const err = await error(v.create({ to: '+447911120040', channel: 'sms' }))
    expect(err).toMatchObject({ status: 403, code: 60410 })
    const native = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(),
      payload: {
        service_id: (await t.deps.services.list({ limit: 10 })).find((x) => x.name === 'Pumped')?.id,
        to: '+447911120005',
      },
    })
    expect(native.statusCode).toBe(403)
    expect(native.json().error).toMatchObject({
      code: 'FRAUD_SUSPECTED',
      limit: 'fraud_guard',
      dimension: 'prefix',
      range: '+44791112',
      starts: 3,
      approvals: 0,
    })
    expect(native.json().error.message).toContain('3 codes were sent there since')
    expect(native.json().error.message).toContain('Support can lift this in the console')
  })
})
