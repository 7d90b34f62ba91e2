/**
 * @module A diagnosis in support's words: the cause explanations and next steps staff read in the
 * console and `verigate doctor`, the one-line facts of the evidence, and the phrases they are built
 * from. Every string comes from the support catalog; this module only fills them in.
 */
import type { CauseId } from '../diagnosis.js'
import {
  formatActions,
  formatMessage,
  formatSentences,
  presentValues,
  type ValuePresenter,
} from '../message-format.js'
import { duration, type Wording, type WordValues } from '../word-values.js'
import type { SupportWords, SupportWordsCatalog } from './catalog.js'
import { supportEn } from './en.js'

export type { SupportWords, SupportWordsCatalog } from './catalog.js'

const LOCALE = 'en'
const CATALOG: SupportWordsCatalog = supportEn

const UNIT_SECONDS = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const

interface DurationFormats {
  readonly units: readonly { readonly seconds: number; readonly format: Intl.NumberFormat }[]
  readonly list: Intl.ListFormat
}
const durationFormats = new Map<string, DurationFormats>()

/** The unit formats of one locale, made once (`Intl` constructors are slow). */
function formatsFor(locale: string): DurationFormats {
  let f = durationFormats.get(locale)
  if (!f) {
    f = {
      units: UNIT_SECONDS.map(([unit, seconds]) => ({
        seconds,
        format: new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }),
      })),
      list: new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }),
    }
    durationFormats.set(locale, f)
  }
  return f
}

const timeOfDay = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})
const regionNames = new Intl.DisplayNames([LOCALE], { type: 'region' })

/**
 * A duration for staff: its largest unit and the next one, short ("7 min 46 sec", "2 hr 6 min"),
 * rounded up so a wait is never too short. `locale` is the staff member's (the console passes the
 * browser's language); the catalogs' sentences are English and use the default.
 */
export function supportDuration(ms: number, locale: string = LOCALE): string {
  const { units, list } = formatsFor(locale)
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  const i = units.findIndex((u) => seconds >= u.seconds)
  const big = units[i]!
  const small = units[i + 1]
  if (!small) return big.format.format(seconds)
  const inSmall = Math.ceil(seconds / small.seconds)
  const ratio = big.seconds / small.seconds
  const parts = [big.format.format(Math.floor(inSmall / ratio))]
  if (inSmall % ratio > 0) parts.push(small.format.format(inSmall % ratio))
  return list.format(parts)
}

const PRESENTER: ValuePresenter = {
  duration: (ms) => supportDuration(ms),
  clock: (ms) => formatMessage(LOCALE, CATALOG.phrases.clock, { time: timeOfDay.format(ms) }) ?? '',
  country: (code) => {
    try {
      return regionNames.of(code) ?? code
    } catch {
      return code
    }
  },
  channel: (c) => CATALOG.channels[c],
}

function values(v: WordValues | undefined) {
  return presentValues(v, PRESENTER)
}

/** One catalog string filled in; '' when a value it needs is missing. */
function say(template: string, v: WordValues): string {
  return formatMessage(LOCALE, template, values(v)) ?? ''
}

const TITLE_DEFAULTS = { limit: 'other', channel_known: 'no' } as const

/** A cause's headline, explanation and next steps for support, in the rule's situation. */
export function supportCauseWords(id: CauseId, wording: Wording): SupportWords {
  const words = CATALOG.causes[id]
  const situation = wording.situation ? words.situations?.[wording.situation] : undefined
  const v = values(wording.values)
  return {
    // A headline is never left out: a value it selects on that the rule did not give reads as "other".
    title: formatMessage(LOCALE, situation?.title ?? words.title, { ...TITLE_DEFAULTS, ...v }) ?? '',
    explanation: formatSentences(LOCALE, situation?.explanation ?? words.explanation, v),
    actions: formatActions(LOCALE, situation?.actions ?? words.actions, v),
  }
}

/** An evidence line for a fact that is not an event. */
export function supportFact(key: keyof SupportWordsCatalog['evidence'], v: WordValues): string {
  return say(CATALOG.evidence[key], v)
}

/** A summary line (see the catalog's `summary`); '' when a value it needs is missing. */
export function supportSummary(key: keyof SupportWordsCatalog['summary'], v: WordValues = {}): string {
  return say(CATALOG.summary[key], v)
}

/** A string field of event data, when present. */
function text(data: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = data[key]
  if (typeof v === 'string' && v !== '') return v
  if (typeof v === 'number') return String(v)
  return undefined
}

function count(data: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const v = data[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** `route twilio:sms:* (provider twilio)`: where a message went, from event data. */
export function where(data: Readonly<Record<string, unknown>>): string {
  return say(CATALOG.phrases.where, { route: text(data, 'route'), provider: text(data, 'provider') })
}

/** `provider twilio`, or "the provider". */
export function providerPhrase(provider: string | undefined | null): string {
  return say(CATALOG.phrases.provider, { provider: provider ?? undefined })
}

/** `raw UNDELIV/045: "filtered"`: a provider's raw answer, from event data. */
export function rawDetail(data: Readonly<Record<string, unknown>>): string {
  const codes = [text(data, 'raw_status'), text(data, 'raw_code')].filter((x) => x !== undefined)
  const http = count(data, 'http_status')
  if (http !== undefined && !codes.includes(String(http))) codes.push(`HTTP ${http}`)
  return say(CATALOG.phrases.raw, {
    codes: codes.length > 0 ? codes.join('/') : undefined,
    text: text(data, 'raw_text'),
  })
}

/** `sends_per_destination 0/5 left` for each counter, as one list. */
export function counterList(
  counters: readonly { name: string; remaining: number; points: number }[],
): string {
  return new Intl.ListFormat(LOCALE, { type: 'unit', style: 'short' }).format(
    counters.map((c) =>
      say(CATALOG.phrases.counter, { ...c, remaining: String(c.remaining), points: String(c.points) }),
    ),
  )
}

/** A list of short items ("a, b and c"). */
export function supportList(items: readonly string[]): string {
  return new Intl.ListFormat(LOCALE, { type: 'conjunction' }).format(items)
}

/** One line per event, in support's terms: routes, providers, raw codes. */
export function describeEvent(e: {
  type: keyof SupportWordsCatalog['events']
  data: Readonly<Record<string, unknown>>
}): string {
  const d = e.data
  const on = say(CATALOG.phrases.on, {
    route: text(d, 'route'),
    provider: text(d, 'provider'),
    sender: text(d, 'from'),
  })
  const waited = count(d, 'waited_ms')
  const since = count(d, 'since_sent_ms')
  const retry = count(d, 'retry_after_ms')
  return say(CATALOG.events[e.type], {
    on,
    raw: rawDetail(d),
    channel: text(d, 'channel') ?? 'sms',
    country: text(d, 'country'),
    send_number: text(d, 'send_number') ?? '1',
    hop: text(d, 'hop') ?? '?',
    outcome: text(d, 'outcome') ?? 'unknown',
    waited: waited !== undefined ? duration(waited) : '?',
    since: since !== undefined ? duration(since) : undefined,
    from: text(d, 'from_channel') ?? '?',
    to: text(d, 'to_channel') ?? '?',
    reason: text(d, 'reason') ?? '?',
    hops: count(d, 'hops'),
    attempt: text(d, 'attempt') ?? '?',
    left: text(d, 'attempts_left') ?? '?',
    attempts: text(d, 'attempts') ?? '?',
    limit: text(d, 'limit') ?? '?',
    retry: retry !== undefined ? duration(retry) : undefined,
  })
}
