/**
 * @module The fraud drill's traffic (`npm run fraud-drill`, docs/fraud.md): against a running
 * verigate with the carrier simulator, an SMS-pumping attack (consecutive numbers of a few ranges,
 * no code ever entered) mixed with legitimate people (about 80% enter their code, many countries,
 * one country in a marketing-campaign burst). Counts what the attack got sent (paid) and whether
 * any legitimate person was refused.
 */
import { analyzePhoneNumber } from '../phone/index.js'

export interface FraudDrillOptions {
  /** Base URL of the server (`http://127.0.0.1:8080`). */
  readonly url: string
  /** An admin API key (creates the drill's service). */
  readonly key: string
  /** Attack starts, spread over the ranges. @default 1000 */
  readonly attackStarts?: number
  /** Consecutive ranges of 1,000 numbers the attack walks. @default 4 */
  readonly attackRanges?: number
  /** Legitimate people. @default 400 */
  readonly legitUsers?: number
  /** Share of legitimate people who enter their code. @default 0.8 */
  readonly conversion?: number
  /** How long the traffic is spread over (ms). @default 60000 */
  readonly durationMs?: number
  /** Share of legitimate people in the campaign burst (one country, a tenth of the time). @default 0.3 */
  readonly burstShare?: number
  /** Scales the time people take to type their code (1: 1-5 s for most, 10-30 s for some). */
  readonly typingScale?: number
  /** Deterministic randomness. @default 1 */
  readonly seed?: number
  readonly log?: (line: string) => void
}

export interface FraudDrillResult {
  readonly serviceId: string
  readonly attack: {
    readonly starts: number
    /** Refused with FRAUD_SUSPECTED (nothing sent). */
    readonly blocked: number
    /** Refused by another limit (RATE_LIMITED...), nothing sent either. */
    readonly refusedOtherwise: number
    /** Accepted: an SMS went out and was paid for. */
    readonly paid: number
    /** blocked + refusedOtherwise over starts. */
    readonly blockedShare: number
  }
  readonly legit: {
    readonly users: number
    /** Refused at start (any error): people who could not sign up. */
    readonly blocked: number
    readonly blockedCodes: Readonly<Record<string, number>>
    /** Entered their code and were approved. */
    readonly approved: number
    /** Meant to enter their code but the SMS never arrived in time. */
    readonly noCode: number
    readonly campaignCountry: string
    readonly countries: number
  }
  readonly seconds: number
}

/** Mobile number shapes per country; a drawn number is checked with the same parser the server uses. */
const COUNTRIES: Record<string, { prefix: string; digits: number }[]> = {
  GB: [{ prefix: '+447', digits: 9 }],
  FR: [
    { prefix: '+336', digits: 8 },
    { prefix: '+337', digits: 8 },
  ],
  DE: [
    { prefix: '+49151', digits: 8 },
    { prefix: '+49176', digits: 8 },
  ],
  ES: [{ prefix: '+346', digits: 8 }],
  IT: [{ prefix: '+393', digits: 9 }],
  NL: [{ prefix: '+316', digits: 8 }],
  BR: [{ prefix: '+55119', digits: 8 }],
  IN: [{ prefix: '+919', digits: 9 }],
  US: [{ prefix: '+1415', digits: 7 }],
  AU: [{ prefix: '+614', digits: 8 }],
  JP: [{ prefix: '+8190', digits: 8 }],
  ZA: [{ prefix: '+2782', digits: 7 }],
  PH: [{ prefix: '+639', digits: 9 }],
  PL: [{ prefix: '+4850', digits: 7 }],
}

/** mulberry32: small, seeded, good enough to spread numbers and timings. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

function drawNumber(country: string, random: () => number, used: Set<string>): string {
  const shapes = COUNTRIES[country]!
  for (let attempt = 0; attempt < 200; attempt++) {
    const shape = shapes[Math.floor(random() * shapes.length)]!
    let n = shape.prefix
    for (let i = 0; i < shape.digits; i++) n += String(Math.floor(random() * 10))
    const a = analyzePhoneNumber(n)
    if (a.valid && a.canReceiveSms && a.e164 && !used.has(a.e164)) {
      used.add(a.e164)
      return a.e164
    }
  }
  throw new Error(`could not draw a valid ${country} mobile number`)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)))

interface Planned {
  readonly at: number
  readonly kind: 'attack' | 'legit'
  readonly to: string
  readonly converts: boolean
  /** Time the person takes to read and type the code once it arrived. */
  readonly typingMs: number
}

/** The drill's traffic, in start order. */
export function planFraudDrill(opts: FraudDrillOptions): { plan: Planned[]; campaignCountry: string } {
  const random = rng(opts.seed ?? 1)
  const duration = opts.durationMs ?? 60_000
  const attackStarts = opts.attackStarts ?? 1000
  const ranges = opts.attackRanges ?? 4
  const users = opts.legitUsers ?? 400
  const conversion = opts.conversion ?? 0.8
  const burstShare = opts.burstShare ?? 0.3
  const campaignCountry = 'FR'
  const used = new Set<string>()
  const plan: Planned[] = []
  // The ring walks consecutive numbers, range after range: +447911118000..., +447911119000...
  const perRange = Math.ceil(attackStarts / ranges)
  for (let i = 0; i < attackStarts; i++) {
    const range = Math.floor(i / perRange)
    const number = 447_911_118_000 + range * 1_000 + (i % perRange)
    used.add(`+${number}`)
    plan.push({
      at: (i / attackStarts) * duration,
      kind: 'attack',
      to: `+${number}`,
      converts: false,
      typingMs: 0,
    })
  }
  const countries = Object.keys(COUNTRIES)
  const burstUsers = Math.round(users * burstShare)
  const burstStart = duration * 0.4
  for (let i = 0; i < users; i++) {
    const inBurst = i < burstUsers
    const country = inBurst ? campaignCountry : countries[Math.floor(random() * countries.length)]!
    plan.push({
      at: inBurst ? burstStart + random() * duration * 0.1 : random() * duration,
      kind: 'legit',
      to: drawNumber(country, random, used),
      converts: random() < conversion,
      // Most people type the code within a few seconds of it arriving; some take much longer.
      typingMs:
        (opts.typingScale ?? 1) * (random() < 0.85 ? 1_000 + random() * 4_000 : 10_000 + random() * 20_000),
    })
  }
  plan.sort((a, b) => a.at - b.at)
  return { plan, campaignCountry }
}

export async function runFraudDrill(opts: FraudDrillOptions): Promise<FraudDrillResult> {
  const log = opts.log ?? (() => {})
  const headers = { authorization: `Bearer ${opts.key}`, 'content-type': 'application/json' }
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${opts.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>
    return { status: res.status, json }
  }
  const created = await post('/v1/services', { name: 'fraud-drill' })
  if (created.status !== 201) throw new Error(`could not create the drill's service: ${created.status}`)
  const serviceId = String(created.json.id)
  const { plan, campaignCountry } = planFraudDrill(opts)
  log(
    `drill: ${plan.filter((p) => p.kind === 'attack').length} attack starts over ${opts.attackRanges ?? 4} consecutive ranges, ${plan.filter((p) => p.kind === 'legit').length} legitimate people (campaign burst in ${campaignCountry}), ${(opts.durationMs ?? 60_000) / 1000} s`,
  )

  const attack = { starts: 0, blocked: 0, refusedOtherwise: 0, paid: 0 }
  const legit = { users: 0, blocked: 0, approved: 0, noCode: 0, blockedCodes: {} as Record<string, number> }
  const countries = new Set<string>()
  const began = Date.now()

  const codeFor = async (to: string, deadline: number): Promise<string | undefined> => {
    while (Date.now() < deadline) {
      const res = await fetch(`${opts.url}/v1/simulator/messages?to=${encodeURIComponent(to)}&limit=1`, {
        headers,
      })
      const body = (await res.json()) as { data: { body: string }[] }
      const code = body.data[0]?.body.match(/\b(\d{4,10})\b/)?.[1]
      if (code) return code
      await sleep(250)
    }
    return undefined
  }

  const flow = async (p: Planned) => {
    await sleep(began + p.at - Date.now())
    const res = await post('/v1/verifications', { service_id: serviceId, to: p.to, channel: 'sms' })
    const accepted = res.status === 201 || res.status === 200
    const code = String((res.json.error as { code?: string } | undefined)?.code ?? res.status)
    if (p.kind === 'attack') {
      attack.starts++
      if (accepted) attack.paid++
      else if (code === 'FRAUD_SUSPECTED') attack.blocked++
      else attack.refusedOtherwise++
      return
    }
    legit.users++
    countries.add(String(analyzePhoneNumber(p.to).country))
    if (!accepted) {
      legit.blocked++
      legit.blockedCodes[code] = (legit.blockedCodes[code] ?? 0) + 1
      log(
        `  legitimate person refused: ${code}: ${String((res.json.error as { message?: string })?.message)}`,
      )
      return
    }
    if (!p.converts) return
    const sms = await codeFor(p.to, Date.now() + 30_000)
    if (!sms) {
      legit.noCode++
      return
    }
    await sleep(p.typingMs)
    const checked = await post(`/v1/verifications/${String(res.json.id)}/check`, { code: sms })
    if (checked.status === 200 && checked.json.status === 'approved') legit.approved++
  }
  await Promise.all(plan.map(flow))
  const blockedShare = attack.starts ? (attack.blocked + attack.refusedOtherwise) / attack.starts : 1
  return {
    serviceId,
    attack: { ...attack, blockedShare },
    legit: { ...legit, campaignCountry, countries: countries.size },
    seconds: (Date.now() - began) / 1000,
  }
}

/** The figures, as the drill prints them. */
export function formatFraudDrill(r: FraudDrillResult): string[] {
  const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`
  return [
    `attack sends blocked:      ${r.attack.blocked + r.attack.refusedOtherwise} of ${r.attack.starts} (${pct(r.attack.blockedShare)}; FRAUD_SUSPECTED ${r.attack.blocked}, other limits ${r.attack.refusedOtherwise})`,
    `paid attack sends:         ${r.attack.paid}`,
    `legitimate users blocked:  ${r.legit.blocked} of ${r.legit.users}${r.legit.blocked ? ` (${JSON.stringify(r.legit.blockedCodes)})` : ''}`,
    `legitimate users approved: ${r.legit.approved} (${r.legit.countries} countries, campaign burst in ${r.legit.campaignCountry}; ${r.legit.noCode} waited in vain for their SMS)`,
    `goal (>= 95% attack sends blocked, 0 legitimate users blocked): ${r.attack.blockedShare >= 0.95 && r.legit.blocked === 0 ? 'MET' : 'NOT MET'}`,
  ]
}
