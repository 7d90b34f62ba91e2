/**
 * The hosted page's way back to the app: the service's allowed origins (set through the native
 * API), the signed result on the redirect, refusals, the language switch and `ui_locales`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'
import { verifyReturnResult } from '../../client/return-url.js'
import { KyselyClientSessionStore } from '../../storage/client-session-store.js'

describe('hosted page: return_url, language and ui_locales', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  beforeEach(async () => {
    t = await buildTestApp()
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Acme', brand_name: 'Acme Wallet', return_url_origins: ['https://app.example.com/'] },
    })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json().return_url_origins).toEqual(['https://app.example.com'])
    serviceId = created.json().id
  })
  afterEach(async () => t.close())

  const mint = async (body: Record<string, unknown> = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/client-tokens',
      headers: t.auth(t.verifyKey),
      payload: { service_id: serviceId, ...body },
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { session_id: string; token: string }
  }
  const secret = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/services/${serviceId}/return-url-secret`,
      headers: t.auth(),
    })
    expect(res.statusCode).toBe(200)
    return res.json().secret as string
  }

  it('return_url_origins must be https origins (http only for localhost), nothing more', async () => {
    for (const bad of ['http://app.example.com', 'https://app.example.com/path', 'javascript:alert(1)']) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/v1/services/${serviceId}`,
        headers: t.auth(),
        payload: { return_url_origins: [bad] },
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'return_url_origins',
      })
    }
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/v1/services/${serviceId}`,
      headers: t.auth(),
      payload: { return_url_origins: ['http://localhost:3000', 'https://app.example.com'] },
    })
    expect(ok.json().return_url_origins).toEqual(['http://localhost:3000', 'https://app.example.com'])
    // The secret is for admins only.
    const read = await t.app.inject({
      method: 'GET',
      url: `/v1/services/${serviceId}/return-url-secret`,
      headers: t.auth(t.readKey),
    })
    expect(read.statusCode).toBe(403)
    expect(await secret()).toMatch(/^vgrs_[A-Za-z0-9_-]{43}$/)
  })

  it('an allowed return_url: the page links back, and the redirect carries a result the app can verify', async () => {
    const { token, session_id } = await mint()
    const returnUrl = 'https://app.example.com/signup/phone?step=2#top'
    const page = await t.app.inject({
      method: 'GET',
      url: `/verify/${token}?return_url=${encodeURIComponent(returnUrl)}&state=xyz-123`,
    })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('>Back to Acme Wallet</a>')
    expect(page.body).not.toContain('RETURN_URL_NOT_ALLOWED')

    const back = await t.app.inject({
      method: 'GET',
      url: `/verify/${token}/return?return_url=${encodeURIComponent(returnUrl)}&state=xyz-123`,
    })
    expect(back.statusCode).toBe(303)
    expect(back.headers['referrer-policy']).toBe('no-referrer')
    const target = new URL(String(back.headers.location))
    expect(`${target.origin}${target.pathname}${target.hash}`).toBe(
      'https://app.example.com/signup/phone#top',
    )
    expect(target.searchParams.get('step')).toBe('2')
    const result = verifyReturnResult(await secret(), target.searchParams)
    expect(result).toMatchObject({ sessionId: session_id, status: 'not_approved', state: 'xyz-123' })

    // Once approved, the same way back says so; a forged status fails the signature.
    await new KyselyClientSessionStore(t.deps.db).setResult(session_id, 'sms', t.deps.clock.now())
    const after = await t.app.inject({
      method: 'GET',
      url: `/verify/${token}/return?return_url=${encodeURIComponent(returnUrl)}&state=xyz-123`,
    })
    const approved = new URL(String(after.headers.location)).searchParams
    expect(verifyReturnResult(await secret(), approved)).toMatchObject({ status: 'approved' })
    const forged = new URLSearchParams(target.searchParams)
    forged.set('verigate_status', 'approved')
    expect(verifyReturnResult(await secret(), forged)).toBeUndefined()
    expect(verifyReturnResult('vgrs_someone-else', approved)).toBeUndefined()
  })

  it('refuses a return_url on another origin: no link on the page, 400 on the way back', async () => {
    const { token } = await mint()
    const evil = encodeURIComponent('https://evil.example.net/collect')
    const page = await t.app.inject({ method: 'GET', url: `/verify/${token}?return_url=${evil}` })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('data-error-code="RETURN_URL_NOT_ALLOWED"')
    expect(page.body).toContain('an address Acme Wallet has not allowed')
    expect(page.body).not.toContain('Back to Acme Wallet')
    const back = await t.app.inject({ method: 'GET', url: `/verify/${token}/return?return_url=${evil}` })
    expect(back.statusCode).toBe(400)
    expect(back.headers['x-error-code']).toBe('RETURN_URL_NOT_ALLOWED')
    expect(back.headers.location).toBeUndefined()
    const unknown = await t.app.inject({
      method: 'GET',
      url: `/verify/vct_nope/return?return_url=${encodeURIComponent('https://app.example.com/')}`,
    })
    expect(unknown.statusCode).toBe(401)
    expect(unknown.headers.location).toBeUndefined()
  })

  it('ui_locales picks the first language verigate speaks; ?lang= on the page wins; the footer is translated', async () => {
    const { token } = await mint({ ui_locales: 'nl-BE es-MX en' })
    const es = await t.app.inject({ method: 'GET', url: `/verify/${token}` })
    expect(es.body).toContain('<html lang="es">')
    expect(es.body).toContain('Protegido por verigate')
    expect(es.body).toContain('<option value="es" lang="es" selected>Español</option>')
    const fr = await t.app.inject({ method: 'GET', url: `/verify/${token}?lang=fr` })
    expect(fr.body).toContain('<html lang="fr">')
    expect(fr.body).toContain('locale="fr"')
    expect(fr.body).toContain('Sécurisé par verigate')
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/client-tokens',
      headers: t.auth(t.verifyKey),
      payload: { service_id: serviceId, ui_locales: 'es;q=1' },
    })
    expect(bad.statusCode).toBe(400)
  })
})
