/**
 * A new user on the embedded default (simulator on, fraud guard in enforce) tries verigate with the
 * simulator's fictional test numbers (+447700900xxx, one 8-digit range) and never types a code:
 * the guard must not refuse them while the simulator is what routes them (they cost nothing and
 * reach nobody), yet still count and judge them (shadow), and keep refusing real ranges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planFraudDrill } from '../../src/bench/fraud-drill.js'
import { fictionalType } from '../../src/phone/fictional-numbers.js'
import { buildTestApp, createTestService } from '../helpers/test-deps.js'

describe('fraud guard and the simulator fictional numbers (default config)', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  beforeAll(async () => {
    t = await buildTestApp()
    serviceId = (await createTestService(t.deps)).id
  })
  afterAll(async () => t?.close())

  const start = (to: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(),
      payload: { service_id: serviceId, to },
    })

  it('25 starts to simulator test numbers without checks are not refused as FRAUD_SUSPECTED', async () => {
    for (let i = 100; i < 125; i++) {
      const res = await start(`+447700900${i}`)
      expect(res.statusCode, `start ${i - 99}: ${res.body}`).toBe(201)
    }
  })

  it('they are still judged (shadow): the decision enforce would take is recorded and counted', async () => {
    const flagged = await t.deps.db
      .selectFrom('verification_events')
      .select(['data'])
      .where('type', '=', 'created')
      .where('service_id', '=', serviceId)
      .execute()
    const decisions = flagged.map((e) => String(e.data)).filter((d) => d.includes('"flagged"'))
    expect(decisions.length).toBeGreaterThan(0)
    expect(decisions[0]).toContain('simulator_test_number')
    expect(decisions[0]).toContain('+44770090')
    const metrics = await t.deps.metrics.registry.metrics()
    expect(metrics).toMatch(
      /verigate_fraud_decisions_total\{dimension="prefix",outcome="flagged",mode="shadow"\} [1-9]/,
    )
  })

  it('and they do not count against their country: a real GB range is judged on its own traffic', async () => {
    // 25 unentered fictional starts above, matured (long past the typing delay): counted against
    // GB they would make its conversion 0 of 25 and refuse every real GB number.
    t.clock.advance(5 * 60_000)
    for (const to of ['+447911210001', '+447911220001', '+447911230001'])
      expect((await start(to)).statusCode).toBe(201)
  })

  it('a real range walked the same way is still refused', async () => {
    let refused: { statusCode: number; body: string } | undefined
    for (let i = 0; i < 25 && !refused; i++) {
      const res = await start(`+4479112400${String(i).padStart(2, '0')}`)
      if (res.statusCode !== 201) refused = res
    }
    expect(refused?.statusCode).toBe(403)
    expect(refused?.body).toContain('FRAUD_SUSPECTED')
    expect(refused?.body).toContain('+44791124')
  })
})

describe('fictional numbers routed by a real provider are judged like any other', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  beforeAll(async () => {
    t = await buildTestApp({
      config: {
        fraud: { unprovenRangeStarts: 3 },
        providers: [
          {
            type: 'twilio',
            id: 'twilio-main',
            accountSid: 'AC00000000000000000000000000000000',
            authToken: 'test-token-test-token',
            baseUrl: 'http://127.0.0.1:9',
            from: '+15005550006',
          },
        ],
      },
    })
  })
  afterAll(async () => t?.close())

  it('the fourth unentered start to the fictional range is refused', async () => {
    const serviceId = (await createTestService(t.deps)).id
    for (const n of ['301', '302', '303'])
      await t.deps.verifier.start({ serviceId, to: `+447700900${n}`, channel: 'sms' })
    await expect(
      t.deps.verifier.start({ serviceId, to: '+447700900304', channel: 'sms' }),
    ).rejects.toMatchObject({ code: 'FRAUD_SUSPECTED' })
  })
})

describe('the fraud drill cannot become trivially exempt', () => {
  it("walks real ranges, not the simulator's fictional ones", () => {
    const { plan } = planFraudDrill({ url: 'http://unused', key: 'unused', seed: 1 })
    const attack = plan.filter((p) => p.kind === 'attack')
    expect(attack.length).toBe(1000)
    expect(attack.filter((p) => fictionalType(p.to) !== undefined)).toEqual([])
  })
})
