/**
 * @module The demo page (`/demo`): CoinHarbor's sign-up with the `<verigate-verify>` widget, the
 * carrier simulator's phone inbox (live over SSE) and a scenario switch that makes the test number
 * misbehave the way real networks do (`PUT /v1/simulator/scenarios/:number`).
 */
import { ApiError, requestJson } from '../shared/api.js'

interface DemoSession {
  readonly session_id: string
  readonly token: string
  readonly resume_url: string
  /** A restart canceled the number's pending code. */
  readonly canceled_pending?: boolean
}

interface InboxMessage {
  readonly id: string
  readonly to: string
  readonly from: string
  readonly channel: string
  readonly body: string
  readonly subject: string | null
  readonly received_at: string
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const main = document.querySelector('main') as HTMLElement
const slot = $<HTMLDivElement>('widget-slot')
const welcome = $<HTMLElement>('welcome')
const numberInput = $<HTMLInputElement>('demo-number')
const status = $<HTMLParagraphElement>('scenario-status')
const inbox = $<HTMLOListElement>('inbox')
const inboxEmpty = $<HTMLParagraphElement>('inbox-empty')
const mobile = main.dataset.mobile ?? '+447700900123'
const banner = $<HTMLDivElement>('sms-banner')
const bannerText = $<HTMLSpanElement>('sms-banner-text')
/** The demo is in English; times as the widget writes them (the browser's zone). */
const clock = new Intl.DateTimeFormat('en', { timeStyle: 'medium' })
const CHANNEL_NAMES: Record<string, string> = {
  sms: 'SMS',
  call: 'Voice call',
  email: 'Email',
  whatsapp: 'WhatsApp',
}

// ---- the sign-up form with the widget ----------------------------------------------------------

/**
 * Starts the sign-up form. A restart (the button, another scenario) cancels the number's pending
 * code first and says so, so the next Send really sends, under the new scenario.
 */
async function mountWidget(restart = false): Promise<void> {
  welcome.hidden = true
  slot.replaceChildren()
  let session: DemoSession
  try {
    session = await requestJson<DemoSession>('/demo/session', {
      method: 'POST',
      json: { to: numberInput.value.trim() || mobile, ...(restart ? { restart: true } : {}) },
    })
    if (session.canceled_pending) status.textContent = 'The earlier code was canceled: Send sends a new one.'
  } catch (err) {
    const p = document.createElement('p')
    p.textContent = err instanceof ApiError ? err.message : 'Could not start the demo.'
    slot.append(p)
    return
  }
  const widget = document.createElement('verigate-verify')
  widget.setAttribute('token', session.token)
  widget.dataset.sessionId = session.session_id
  slot.append(widget)
}

document.addEventListener('verigate:approved', () => {
  welcome.hidden = false
  welcome.focus()
})

// The number the widget is using: the scenario follows it.
document.addEventListener('verigate:status', (e) => {
  const to = (e as CustomEvent<{ to?: string }>).detail?.to
  if (to && !to.includes('@') && to !== numberInput.value.trim()) {
    numberInput.value = to
    void applyScenario()
  }
})

// ---- scenario switch ---------------------------------------------------------------------------

function selectedScenario(): HTMLInputElement | null {
  return document.querySelector<HTMLInputElement>('input[name="scenario"]:checked')
}

async function applyScenario(): Promise<void> {
  const radio = selectedScenario()
  const number = numberInput.value.trim()
  if (!radio || !number) return
  const scenario = radio.dataset.scenario || null
  const label = document.querySelector(`label[for="${radio.id}"]`)?.textContent ?? radio.value
  try {
    await requestJson(`/v1/simulator/scenarios/${encodeURIComponent(number)}`, {
      method: 'PUT',
      json: { scenario },
    })
    status.textContent = `${label}: set for ${number}.`
  } catch (err) {
    status.textContent = err instanceof ApiError ? err.message : 'Could not set the scenario.'
  }
}

for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="scenario"]')) {
  radio.addEventListener('change', async () => {
    // The landline scenario uses a landline; the others the demo's mobile number.
    const own = radio.dataset.number || ''
    const before = numberInput.value.trim()
    const wanted = own || (before === '' || isLandlineDemo(before) ? mobile : before)
    numberInput.value = wanted
    await applyScenario()
    if (wanted !== before) await mountWidget()
  })
}

function isLandlineDemo(n: string): boolean {
  return [...document.querySelectorAll<HTMLInputElement>('input[name="scenario"]')].some(
    (r) => r.dataset.number && r.dataset.number === n,
  )
}

numberInput.addEventListener('change', () => void applyScenario())
$<HTMLButtonElement>('restart').addEventListener('click', () => void mountWidget(true))

// ---- phone inbox -------------------------------------------------------------------------------

function renderMessage(m: InboxMessage): HTMLLIElement {
  const li = document.createElement('li')
  li.dataset.channel = m.channel
  li.dataset.to = m.to
  const meta = document.createElement('div')
  meta.className = 'meta'
  const from = document.createElement('span')
  from.className = 'from'
  from.textContent = m.from
  const what = document.createElement('span')
  what.textContent = `${CHANNEL_NAMES[m.channel] ?? 'SMS'} to ${m.to}`
  const time = document.createElement('time')
  time.dateTime = m.received_at
  time.textContent = clock.format(new Date(m.received_at))
  meta.append(from, what, time)
  const body = document.createElement('div')
  body.className = 'body'
  // The message's own language decides its direction (an Arabic SMS reads right to left).
  body.dir = 'auto'
  body.textContent = m.subject ? `${m.subject}\n${m.body}` : m.body
  li.append(meta, body)
  return li
}

function addMessages(list: readonly InboxMessage[], atTop: boolean): void {
  const items = list.map(renderMessage)
  if (atTop) inbox.prepend(...items)
  else inbox.append(...items)
  while (inbox.children.length > 30) inbox.lastElementChild?.remove()
  inboxEmpty.hidden = inbox.children.length > 0
}

async function startInbox(): Promise<void> {
  try {
    const { data } = await requestJson<{ data: InboxMessage[] }>('/v1/simulator/messages?limit=20')
    addMessages(data, false)
  } catch {
    inboxEmpty.textContent = 'The simulator inbox is not available.'
  }
  const source = new EventSource('/v1/simulator/messages/stream')
  source.addEventListener('message', (e) => {
    const m = JSON.parse((e as MessageEvent<string>).data) as InboxMessage
    addMessages([m], true)
    notify(m)
  })
}

// ---- the phone's notification ------------------------------------------------------------------

/**
 * On a phone the inbox is far below the code field: a new message shows as a banner at the top, as
 * a real phone's notification would, with the code in it. Not while the inbox itself is in view.
 */
let inboxInView = false
new IntersectionObserver((entries) => {
  inboxInView = entries.some((e) => e.isIntersecting)
  if (inboxInView) banner.hidden = true
}).observe(inbox)

function notify(m: InboxMessage): void {
  if (inboxInView) return
  const code =
    m.body.match(/\b\d{4,10}\b/)?.[0] ?? m.body.match(/(?:\d[ ,.]+){3,9}\d/)?.[0]?.replace(/\D/g, '')
  const label = m.channel === 'call' ? 'Incoming call' : `New ${CHANNEL_NAMES[m.channel] ?? 'SMS'}`
  const strong = document.createElement('strong')
  strong.dir = 'ltr'
  strong.textContent = code ?? m.body.slice(0, 40)
  bannerText.replaceChildren(`${label}: `, strong)
  banner.hidden = false
}

$<HTMLButtonElement>('sms-banner-close').addEventListener('click', () => {
  banner.hidden = true
})
$<HTMLAnchorElement>('sms-banner-show').addEventListener('click', () => {
  banner.hidden = true
})

void applyScenario()
void mountWidget()
void startInbox()
