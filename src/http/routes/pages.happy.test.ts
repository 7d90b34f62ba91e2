/** The hosted page and the demo's routes: the HTML shell, its language, and the demo's token minting. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, createTestService } from '../../../test/helpers/test-deps.js'
import { PAGE_CSP } from '../web-assets.js'
import { DEMO_SCENARIOS, localeFromAcceptLanguage } from './pages.js'

describe('pages: hosted verification page and demo', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  beforeEach(async () => {
    t = await buildTestApp()
  })
  afterEach(async () => t.close())

  const mint = async (patch: { locale?: string; entityId?: string; allowEnrolment?: boolean } = {}) => {
    const service = await createTestService(t.deps, { name: 'Acme', brandName: 'Acme Wallet' })
    return t.deps.clientSessions.mint({ serviceId: service.id, ...patch })
  }

  it('GET /verify/:token renders the widget for the token, with the strict CSP and no referrer', async () => {
    const { token } = await mint()
    const res = await t.app.inject({ method: 'GET', url: `/verify/${token}` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.headers['content-security-policy']).toBe(PAGE_CSP)
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body).toContain(`<verigate-verify token="${token}" locale="en" autofocus></verigate-verify>`)
    expect(res.body).toContain('<script type="module" src="/assets/widget.js"></script>')
    expect(res.body).toContain('<title>Acme Wallet: verification</title>')
    expect(res.body).not.toMatch(/<script>/)
  })

  it('?mode=enrol opens the authenticator set-up, only for tokens minted with allow_enrolment', async () => {
    const enrolling = await mint({ entityId: 'user-1', allowEnrolment: true })
    const page = await t.app.inject({ method: 'GET', url: `/verify/${enrolling.token}?mode=enrol` })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(
      `<verigate-verify token="${enrolling.token}" locale="en" mode="enrol" autofocus></verigate-verify>`,
    )
    const plain = await mint({ entityId: 'user-1' })
    const refused = await t.app.inject({ method: 'GET', url: `/verify/${plain.token}?mode=enrol` })
    expect(refused.body).toContain(
      `<verigate-verify token="${plain.token}" locale="en" autofocus></verigate-verify>`,
    )
    const bad = await t.app.inject({ method: 'GET', url: `/verify/${plain.token}?mode=admin` })
    expect(bad.statusCode).toBe(400)
  })

  it('takes the language from the session, else from Accept-Language; Arabic pages are right-to-left', async () => {
    const arabic = await mint({ locale: 'ar' })
    const ar = await t.app.inject({
      method: 'GET',
      url: `/verify/${arabic.token}`,
      headers: { 'accept-language': 'de' },
    })
    expect(ar.body).toContain('<html lang="ar">')
    expect(ar.body).toContain('<main dir="rtl">')
    const plain = await mint()
    const de = await t.app.inject({
      method: 'GET',
      url: `/verify/${plain.token}`,
      headers: { 'accept-language': 'xx, de-CH;q=0.9, en;q=0.5' },
    })
    expect(de.body).toContain('<html lang="de">')
    expect(de.body).toContain('locale="de"')
  })

  it('reads Accept-Language by quality and keeps only the widget languages', () => {
    expect(localeFromAcceptLanguage('fr;q=0.4, ja;q=0.8, en;q=0.6')).toBe('ja')
    expect(localeFromAcceptLanguage('pt-BR')).toBe('pt')
    expect(localeFromAcceptLanguage('nl, ko')).toBeUndefined()
    expect(localeFromAcceptLanguage('es;q=0')).toBeUndefined()
    expect(localeFromAcceptLanguage(undefined)).toBeUndefined()
  })

  it('sets api to the public origin when one is configured', async () => {
    await t.close()
    t = await buildTestApp({ config: { publicUrl: 'https://verify.example.com/base/' } })
    const { token } = await mint()
    const res = await t.app.inject({ method: 'GET', url: `/verify/${token}` })
    expect(res.body).toContain(`api="https://verify.example.com"`)
  })

  it('GET /demo: the sign-up page with the widget, the inbox and every scenario', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/demo' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Sign up to CoinHarbor')
    expect(res.body).toContain('src="/assets/widget.js"')
    expect(res.body).toContain('src="/assets/demo.js"')
    for (const s of DEMO_SCENARIOS) expect(res.body).toContain(`id="sc-${s.id}"`)
    expect(DEMO_SCENARIOS.map((s) => s.id)).toEqual([
      'delivered',
      'delay',
      'carrier_block',
      'unreachable',
      'outage',
      'throttling',
      'fixed_line',
    ])
  })

  it('POST /demo/session mints a token for one reused "Demo Exchange" service that falls back to a call', async () => {
    const first = await t.app.inject({
      method: 'POST',
      url: '/demo/session',
      payload: { to: '+447700900123' },
    })
    expect(first.statusCode).toBe(201)
    expect(first.headers['cache-control']).toBe('no-store')
    const a = first.json()
    expect(a.token).toMatch(/^vct_/)
    expect(a.resume_url).toMatch(new RegExp(`/verify/${a.token}$`))
    const second = (await t.app.inject({ method: 'POST', url: '/demo/session' })).json()
    expect(second.service_id).toBe(a.service_id)
    const service = await t.deps.stores.services.get(a.service_id)
    expect(service).toMatchObject({
      name: 'Demo Exchange',
      brandName: 'CoinHarbor',
      channels: ['sms', 'call', 'whatsapp', 'email'],
      fallbackChannels: ['call'],
    })

    const session = await t.app.inject({
      method: 'GET',
      url: '/v1/client/session',
      headers: { authorization: `Bearer ${a.token}` },
    })
    expect(session.statusCode).toBe(200)
    expect(session.json()).toMatchObject({
      prefill: { to: '+447700900123', channel: 'sms' },
      default_country: 'GB',
    })
  })
})
