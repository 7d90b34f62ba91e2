/**
 * @module The end user's pages: the hosted verification page (hosted-page.ts) and the demo (`GET /demo`,
 * `POST /demo/session`), a fictional exchange's sign-up beside the simulator's phone inbox. The
 * demo runs only where the carrier simulator does and never in production.
 */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../errors/app-error.js'
import type { Service } from '../../services/service.js'
import type { SimulatorScenario } from '../../simulator/scenarios.js'
import type { HttpContext } from '../http-context.js'
import { escapeHtml, sendPage } from '../web-assets.js'
import { resumeUrl } from './client-tokens.js'
import { registerHostedPage } from './hosted-page.js'

export { localeFromAcceptLanguage } from './hosted-page.js'

/** One scenario of the demo's switch: what the simulated network does, in one line. */
export interface DemoScenario {
  readonly id:
    | 'delivered'
    | 'delay'
    | 'carrier_block'
    | 'unreachable'
    | 'outage'
    | 'throttling'
    | 'fixed_line'
  readonly label: string
  /** What the simulator is set to for the number (`null`: the number's default). */
  readonly scenario: SimulatorScenario | null
  readonly explanation: string
  /** A number of its own (the landline); otherwise the demo's mobile number. */
  readonly number?: string
}

export const DEMO_MOBILE = '+447700900123'
export const DEMO_LANDLINE = '+442079460001'

export const DEMO_SCENARIOS: readonly DemoScenario[] = [
  {
    id: 'delivered',
    label: 'Delivered',
    scenario: 'delivered',
    explanation: 'The SMS arrives within a second or two.',
  },
  {
    id: 'delay',
    label: 'Delay',
    scenario: 'delivered_late',
    explanation:
      'The carrier accepts the SMS but holds it for about 45 seconds: the status shows it was handed over and when to expect it.',
  },
  {
    id: 'carrier_block',
    label: 'Carrier block',
    scenario: 'carrier_blocked',
    explanation:
      "The carrier's spam filter drops text messages: verigate sees the failed receipt and calls with the same code.",
  },
  {
    id: 'unreachable',
    label: 'Unreachable',
    scenario: 'unreachable',
    explanation:
      'The phone is off or out of coverage: the SMS fails, the voice call too, and the help panel says what to do.',
  },
  {
    id: 'outage',
    label: 'Provider outage',
    scenario: 'provider_outage',
    explanation:
      'The SMS provider is down (HTTP 503 on every try): verigate keeps trying for as long as the code lives, says so, and never calls it a failure.',
  },
  {
    id: 'throttling',
    label: 'Throttling',
    scenario: 'provider_throttled',
    explanation:
      'The provider refuses the first two tries (HTTP 429); verigate backs off and the third goes through.',
  },
  {
    id: 'fixed_line',
    label: 'Fixed line',
    scenario: null,
    number: DEMO_LANDLINE,
    explanation: 'A landline number: the widget warns before sending an SMS and offers a voice call instead.',
  },
]

const DEMO_SERVICE_NAME = 'Demo Exchange'
/** The demo service's id per app context (one per app instance; found again by name after a restart). */
const demoServices = new WeakMap<object, Promise<Service>>()

/** Creates the demo's service on first use, or finds the one a previous run created. */
export function demoService(deps: HttpContext): Promise<Service> {
  let found = demoServices.get(deps)
  if (!found) {
    found = findOrCreateDemoService(deps)
    found.catch(() => demoServices.delete(deps))
    demoServices.set(deps, found)
  }
  return found
}

async function findOrCreateDemoService(deps: HttpContext): Promise<Service> {
  const found = await deps.services.findByName(DEMO_SERVICE_NAME)
  if (found) return found
  return deps.services.create({
    name: DEMO_SERVICE_NAME,
    brandName: 'CoinHarbor',
    codeLength: 6,
    codeTtlSeconds: 600,
    maxCheckAttempts: 5,
    maxSends: 5,
    channels: ['sms', 'call', 'whatsapp', 'email'],
    fallbackChannels: ['call'],
    defaultLocale: 'en',
  })
}

function demoEnabled(deps: HttpContext): boolean {
  return deps.simulator !== undefined && deps.config.env !== 'production'
}

function requireDemo(deps: HttpContext): void {
  if (!demoEnabled(deps)) {
    throw new AppError('SIMULATOR_DISABLED', {
      message:
        'The demo runs only with the carrier simulator on, outside production: start verigate with VERIGATE_ENV other than production (the simulator is then on by default).',
    })
  }
}

export function registerPageRoutes(app: FastifyInstance, deps: HttpContext): void {
  registerHostedPage(app, deps)

  app.get('/demo', { schema: { hide: true } }, async (_request, reply) => {
    requireDemo(deps)
    return sendPage(reply, {
      title: 'Sign up to CoinHarbor (verigate demo)',
      lang: 'en',
      css: DEMO_CSS,
      scripts: ['widget.js', 'demo.js'],
      body: demoBody(),
    })
  })

  app.post<{ Body: { to?: string; locale?: string; restart?: boolean } | null }>(
    '/demo/session',
    {
      schema: {
        hide: true,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            to: { type: 'string', minLength: 1, maxLength: 64 },
            locale: { type: 'string', pattern: '^[a-z]{2}$' },
            /** "Restart the sign-up": the number's pending code is canceled, so the next Send sends anew. */
            restart: { type: 'boolean' },
          },
        },
      },
    },
    async (request, reply) => {
      requireDemo(deps)
      const service = await demoService(deps)
      let canceled = false
      const to = request.body?.to
      if (request.body?.restart && to) {
        // Otherwise a restart would pick up the pending verification, send nothing and show its old
        // timeline (issue 12, observation 7).
        const pending = await deps.verifier.findPending(service.id, to, 'GB')
        if (pending) {
          await deps.verifier.cancel(pending.id, service.id)
          canceled = true
        }
      }
      const { session, token } = await deps.clientSessions.mint({
        serviceId: service.id,
        to: request.body?.to,
        channel: 'sms',
        locale: request.body?.locale,
        defaultCountry: 'GB',
        ttlSeconds: 1800,
      })
      reply.header('cache-control', 'no-store')
      return reply.code(201).send({
        session_id: session.id,
        token,
        expires_at: new Date(session.expiresAt).toISOString(),
        resume_url: resumeUrl(deps, request, token),
        service_id: service.id,
        canceled_pending: canceled,
      })
    },
  )
}

const DEMO_CSS = `
body{margin:0;background:#f3f4f6;color:#1c1e21;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header{background:#0f2a44;color:#fff;padding:12px 20px;display:flex;align-items:center;gap:10px}
header .logo{font-size:22px} header strong{font-size:18px} header .tag{margin-inline-start:auto;font-size:13px;background:#fff;color:#0f2a44;border-radius:999px;padding:2px 10px}
main{display:grid;grid-template-columns:minmax(0,480px) minmax(0,1fr);gap:20px;padding:20px;max-width:1100px;margin:0 auto}
@media (max-width:800px){main{grid-template-columns:minmax(0,1fr);padding:12px}}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:0 0 8px}
.card{background:#fff;border-radius:12px;padding:16px;border:1px solid #d5d8dc;margin-bottom:16px}
.lead{color:#4d5158;margin:0 0 14px}
.welcome{border-left:4px solid #146c2e}
fieldset{border:none;padding:0;margin:8px 0} legend{font-weight:600;margin-bottom:4px}
.scenario{display:grid;grid-template-columns:auto 1fr;gap:0 8px;padding:6px 0;border-bottom:1px solid #eceef1}
.scenario input{margin-top:5px;width:18px;height:18px} .scenario label{font-weight:600} .scenario p{grid-column:2;margin:0;color:#4d5158;font-size:14px}
label.num{display:block;font-weight:600;margin-bottom:4px}
input.num{font:inherit;width:100%;box-sizing:border-box;min-height:40px;padding:6px 8px;border:1px solid #8a8f98;border-radius:8px}
button{font:inherit;min-height:40px;padding:6px 14px;border-radius:8px;border:1px solid #0b57d0;background:#fff;color:#0b57d0;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #b45309;outline-offset:2px}
#scenario-status{min-height:1.5em;font-size:14px;color:#146c2e;margin:6px 0}
.inbox{list-style:none;margin:0;padding:0}
.inbox li{background:#e8f0fe;border-radius:12px;padding:8px 12px;margin:8px 0}
.inbox .meta{display:flex;flex-wrap:wrap;justify-content:space-between;gap:6px;font-size:13px;color:#3c4043}
.inbox .from{font-weight:700;color:#1c1e21}
.inbox .body{white-space:pre-wrap;overflow-wrap:anywhere;margin-top:2px}
.empty{color:#4d5158}
.sms-banner{position:fixed;top:8px;inset-inline:8px;max-width:480px;margin:0 auto;z-index:10;display:flex;align-items:center;gap:10px;background:#1c1e21;color:#fff;border-radius:14px;padding:10px 12px;box-shadow:0 6px 24px #0005}
.sms-banner[hidden]{display:none}
.sms-banner .what{flex:1;min-width:0;overflow-wrap:anywhere}
.sms-banner strong{font-variant-numeric:tabular-nums;letter-spacing:.05em}
.sms-banner a{color:#fff;font-weight:600}
.sms-banner button{background:transparent;color:#fff;border-color:#fff8;min-height:36px;padding:4px 10px}
.sms-banner a:focus-visible,.sms-banner button:focus-visible{outline:3px solid #f5a623}
`

function demoBody(): string {
  const scenarios = DEMO_SCENARIOS.map(
    (s, i) => `<div class="scenario">
<input type="radio" name="scenario" id="sc-${s.id}" value="${s.id}" data-scenario="${s.scenario ?? ''}" data-number="${s.number ?? ''}"${i === 0 ? ' checked' : ''} aria-describedby="sc-${s.id}-why">
<label for="sc-${s.id}">${escapeHtml(s.label)}</label>
<p id="sc-${s.id}-why">${escapeHtml(s.explanation)}</p>
</div>`,
  ).join('\n')
  return `<div class="sms-banner" id="sms-banner" role="status" hidden><span class="what" id="sms-banner-text"></span><a href="#inbox-title" id="sms-banner-show">Show</a><button type="button" id="sms-banner-close" aria-label="Dismiss the notification">✕</button></div>
<header><span class="logo" aria-hidden="true">⚓</span><strong>CoinHarbor</strong><span class="tag">verigate demo</span></header>
<main data-mobile="${DEMO_MOBILE}">
<div>
<section class="card" aria-labelledby="signup-title">
<h1 id="signup-title">Sign up to CoinHarbor</h1>
<p class="lead">Step 2 of 2: confirm your phone number so we can protect your account and withdrawals.</p>
<div id="widget-slot"></div>
</section>
<section class="card welcome" id="welcome" hidden aria-labelledby="welcome-title" tabindex="-1">
<h2 id="welcome-title">Welcome to CoinHarbor</h2>
<p>Your phone number is confirmed and your account is ready. (This is a demo: nothing was created.)</p>
</section>
</div>
<div>
<section class="card" aria-labelledby="scenario-title">
<h2 id="scenario-title">What the phone network does</h2>
<label class="num" for="demo-number">Test phone number (type it into the form)</label>
<input class="num" id="demo-number" type="tel" value="${DEMO_MOBILE}" autocomplete="off">
<fieldset><legend>Scenario for this number</legend>
${scenarios}
</fieldset>
<p id="scenario-status" role="status"></p>
<button type="button" id="restart">Restart the sign-up</button>
</section>
<section class="card" aria-labelledby="inbox-title">
<h2 id="inbox-title">Phone inbox (simulated)</h2>
<ol class="inbox" id="inbox" aria-live="polite"></ol>
<p class="empty" id="inbox-empty">No messages yet.</p>
</section>
</div>
</main>`
}
