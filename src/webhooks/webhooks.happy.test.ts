/**
 * Webhooks end to end: a real local receiver gets signed events for a full verification flow, and
 * the signature checks out with the exact snippet from docs/webhooks.md.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, codeFromInbox, eventually } from '../../test/helpers/test-deps.js'
import { type MockServer, startWebhookReceiver } from '../../test/mocks/mock-server.js'

type DocVerifier = (
  rawBody: string,
  header: string | undefined,
  secret: string,
  toleranceSeconds?: number,
  nowSeconds?: number,
) => boolean

/** Loads the copy-paste snippet from docs/webhooks.md as a module, exactly as written. */
async function loadDocSnippet(): Promise<DocVerifier> {
  const doc = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8')
  const snippet = doc.match(/```js\n([\s\S]*?)```/)?.[1]
  if (!snippet) throw new Error('no ```js block in docs/webhooks.md')
  const file = join(mkdtempSync(join(tmpdir(), 'verigate-doc-')), 'verify.mjs')
  writeFileSync(file, snippet)
  const mod = (await import(pathToFileURL(file).href)) as { verifyVerigateSignature: DocVerifier }
  return mod.verifyVerigateSignature
}

describe('webhooks: happy path', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let receiver: MockServer
  let verifyDoc: DocVerifier
  beforeAll(async () => {
    receiver = await startWebhookReceiver()
    verifyDoc = await loadDocSnippet()
    t = await buildTestApp({ config: { webhooks: { pollIntervalMs: 20 } } })
    t.deps.dispatcher.start()
    t.deps.webhookWorker.start()
  })
  afterAll(async () => {
    await t.close()
    await receiver.close()
  })

  it('sends signed started, delivered and approved events for a full flow', async () => {
    const svc = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Hooked' },
    })
    const serviceId = svc.json().id as string
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/services/${serviceId}/webhook`,
      headers: t.auth(),
      payload: { url: `${receiver.url}/hooks/verigate` },
    })
    expect(put.statusCode).toBe(201)
    const secret = put.json().secret as string
    expect(secret).toMatch(/^whsec_/)
    expect(put.json().events).toEqual([
      'verification.started',
      'verification.delivered',
      'verification.failed',
      'verification.approved',
      'verification.expired',
    ])

    const started = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(t.verifyKey),
      payload: { service_id: serviceId, to: '+44 7700 900456', channel: 'sms' },
    })
    const id = started.json().id as string
    await eventually(() => codeFromInbox(t.deps, '+447700900456'))
    await eventually(() =>
      receiver.requests.some((r) => r.headers['verigate-event-type'] === 'verification.delivered'),
    )
    const code = codeFromInbox(t.deps, '+447700900456')!
    const checked = await t.app.inject({
      method: 'POST',
      url: `/v1/verifications/${id}/check`,
      headers: t.auth(t.verifyKey),
      payload: { code },
    })
    expect(checked.json().status).toBe('approved')
    await eventually(() =>
      receiver.requests.some((r) => r.headers['verigate-event-type'] === 'verification.approved'),
    )

    const bodies = receiver.requests.map((r) => JSON.parse(r.rawBody))
    expect(bodies.map((b) => b.type)).toEqual([
      'verification.started',
      'verification.delivered',
      'verification.approved',
    ])
    for (const r of receiver.requests) {
      expect(r.method).toBe('POST')
      expect(r.path).toBe('/hooks/verigate')
      expect(r.headers['content-type']).toBe('application/json')
      const header = r.headers['verigate-signature']
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
      const nowSeconds = Math.floor(t.clock.now() / 1000)
      expect(verifyDoc(r.rawBody, header, secret, 300, nowSeconds)).toBe(true)
      expect(verifyDoc(r.rawBody, header, 'whsec_wrong', 300, nowSeconds)).toBe(false)
      expect(verifyDoc(`${r.rawBody} `, header, secret, 300, nowSeconds)).toBe(false)
      expect(verifyDoc(r.rawBody, header, secret, 300, nowSeconds + 301)).toBe(false)
      expect(r.headers['verigate-event-id']).toBe(JSON.parse(r.rawBody).id)
    }
    const approved = bodies[2]
    expect(approved).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: 'verification.approved',
      created_at: new Date(t.clock.now()).toISOString(),
      data: {
        verification_id: id,
        service_id: serviceId,
        to_masked: '+44******0456',
        channel: 'sms',
        status: 'approved',
      },
    })
    expect(receiver.requests.map((r) => r.rawBody).join('')).not.toContain('7700900456')

    // The receiver answers before the worker records the attempt: wait for the last one to settle.
    const listed = await eventually(async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: `/v1/services/${serviceId}/webhook`,
        headers: t.auth(t.readKey),
      })
      return r.json().deliveries.every((d: { status: string }) => d.status === 'delivered') ? r : undefined
    })
    expect(listed.statusCode).toBe(200)
    expect(listed.json().secret).toBeUndefined()
    expect(
      listed.json().deliveries.map((d: { status: string; attempts: number }) => [d.status, d.attempts]),
    ).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
    ])
  })

  it('sends verification.failed with the reason when the carrier says the number is not in service', async () => {
    const svc = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Doomed' },
    })
    const serviceId = svc.json().id as string
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/services/${serviceId}/webhook`,
      headers: t.auth(),
      payload: { url: `${receiver.url}/failed`, events: ['verification.failed'] },
    })
    const secret = put.json().secret as string
    const started = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(t.verifyKey),
      payload: { service_id: serviceId, to: '+447700900005', channel: 'sms' },
    })
    const hit = await eventually(() => receiver.requests.find((r) => r.path === '/failed'))
    const body = JSON.parse(hit.rawBody)
    expect(body).toMatchObject({
      type: 'verification.failed',
      data: {
        verification_id: started.json().id,
        service_id: serviceId,
        channel: 'sms',
        status: 'pending',
        reason: 'unknown_subscriber',
      },
    })
    expect(
      verifyDoc(
        hit.rawBody,
        hit.headers['verigate-signature'],
        secret,
        300,
        Math.floor(t.clock.now() / 1000),
      ),
    ).toBe(true)
  })

  it('sends only the chosen events, keeps the secret on update, rotates it, and stops after DELETE', async () => {
    const svc = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Picky' },
    })
    const serviceId = svc.json().id as string
    const url = `${receiver.url}/picky`
    const first = await t.app.inject({
      method: 'PUT',
      url: `/v1/services/${serviceId}/webhook`,
      headers: t.auth(),
      payload: { url },
    })
    const updated = await t.app.inject({
      method: 'PUT',
      url: `/v1/services/${serviceId}/webhook`,
      headers: t.auth(),
      payload: { url, events: ['verification.approved'] },
    })
    expect(updated.statusCode).toBe(200)
    expect(updated.json().secret).toBeUndefined()
    const rotated = await t.app.inject({
      method: 'POST',
      url: `/v1/services/${serviceId}/webhook/rotate-secret`,
      headers: t.auth(),
    })
    expect(rotated.statusCode).toBe(200)
    const secret = rotated.json().secret as string
    expect(secret).not.toBe(first.json().secret)

    const started = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(t.verifyKey),
      payload: { service_id: serviceId, to: '+44 7700 900789', channel: 'sms' },
    })
    const id = started.json().id as string
    const code = await eventually(() => codeFromInbox(t.deps, '+447700900789'))
    await t.app.inject({
      method: 'POST',
      url: `/v1/verifications/${id}/check`,
      headers: t.auth(t.verifyKey),
      payload: { code },
    })
    const hit = await eventually(() => receiver.requests.find((r) => r.path === '/picky'))
    expect(JSON.parse(hit.rawBody).type).toBe('verification.approved')
    expect(
      verifyDoc(
        hit.rawBody,
        hit.headers['verigate-signature'],
        secret,
        300,
        Math.floor(t.clock.now() / 1000),
      ),
    ).toBe(true)
    expect(receiver.requests.filter((r) => r.path === '/picky')).toHaveLength(1)

    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/v1/services/${serviceId}/webhook`,
      headers: t.auth(),
    })
    expect(removed.statusCode).toBe(204)
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/v1/services/${serviceId}/webhook`,
      headers: t.auth(),
    })
    expect(again.statusCode).toBe(404)
    expect(again.json().error.code).toBe('WEBHOOK_NOT_FOUND')
  })
})
