/**
 * @module A diagnosis in the end user's language. The engine tells every cause in English from the
 * English catalog, in the situation its rule names and with every detail it knows; for the other
 * languages of the SMS templates, each cause is told from that language's catalog, filled in with
 * the cause's public facts (the wait, the sender ID to allow, the suggested number, the tries
 * left). Also the phone-number problems the page shows inline while the number is typed.
 */
import { resolveLocale, type SupportedLocale } from '../../delivery/templates/locales.js'
import { isPhoneProblem, type PhoneProblem } from '../../phone/index.js'
import type { Cause, CauseId, Diagnosis } from '../diagnosis.js'
import { formatActions, formatMessage, formatSentences, presentValues } from '../message-format.js'
import type { Wording } from '../word-values.js'
import type { Placeholder, UserWordsCatalog, Words } from './catalog.js'
import { ar } from './locales/ar.js'
import { de } from './locales/de.js'
import { en } from './locales/en.js'
import { es } from './locales/es.js'
import { fr } from './locales/fr.js'
import { hi } from './locales/hi.js'
import { id } from './locales/id.js'
import { ja } from './locales/ja.js'
import { pt } from './locales/pt.js'
import { ru } from './locales/ru.js'
import { tr } from './locales/tr.js'
import { vi } from './locales/vi.js'
import { zh } from './locales/zh.js'

export type { CauseWords, SummaryWords, UserWordsCatalog, Words } from './catalog.js'

export const USER_WORDS: Readonly<Record<SupportedLocale, UserWordsCatalog>> = {
  en,
  es,
  pt,
  fr,
  de,
  ru,
  tr,
  zh,
  ja,
  ar,
  hi,
  vi,
  id,
}

/** A cause as the person waiting for the code reads it: no routes, providers or raw codes. */
export interface UserCause {
  readonly id: Cause['id']
  readonly likelihood: Cause['likelihood']
  readonly rank: number
  readonly title: string
  readonly explanation: string
  readonly next_actions: readonly string[]
  readonly wait_seconds?: number
  readonly sender_id?: string
  readonly suggested_number?: string
  readonly suggested_channel?: Cause['suggested_channel']
  readonly attempts_left?: number
  readonly sends_left?: number
}

export interface UserDiagnosis {
  readonly locale: SupportedLocale
  readonly status: Diagnosis['status']
  readonly summary: string
  readonly causes: readonly UserCause[]
}

/** The user's side of a diagnosis, in `locale` (any tag; unknown languages fall back to English). */
export function diagnosisInUserWords(diagnosis: Diagnosis, locale: string | undefined): UserDiagnosis {
  const lang = resolveLocale(locale)
  const told = toldOnce(diagnosis.causes)
  const causes = told.map((c, i) => causeInUserWords({ ...c, rank: i + 1 }, lang))
  const top = causes[0]
  const summary =
    lang === 'en' && told[0] === diagnosis.causes[0]
      ? diagnosis.summary_user
      : top
        ? headline(top, lang)
        : summaryWithoutCause(diagnosis.status, USER_WORDS[lang])
  return { locale: lang, status: diagnosis.status, summary, causes }
}

/**
 * The causes as the person is told them: a code that went out by another channel and reached the
 * phone there is one story ("we called you with the code instead"), so its delivery is not told a
 * second time ("we called you with the code"). Support still reads both.
 */
function toldOnce(causes: readonly Cause[]): readonly Cause[] {
  if (!causes.some((c) => c.id === 'sent_by_other_channel')) return causes
  return causes.filter((c) => c.id !== 'delivered_not_entered')
}

/** The headline of a diagnosis: its top cause's title and first action, as sentences. */
export function headline(
  top: Pick<Words, 'title'> & { next_actions: readonly string[] },
  lang: SupportedLocale,
) {
  const action = top.next_actions[0]
  return action
    ? `${sentence(top.title, lang)}${lang === 'zh' || lang === 'ja' ? '' : ' '}${sentence(action, lang)}`
    : sentence(top.title, lang)
}

/** What a diagnosis that names no cause says. */
export function summaryWithoutCause(status: Diagnosis['status'], catalog: UserWordsCatalog): string {
  if (status === 'approved') return catalog.summaries.approved
  if (status === 'no_verification') return catalog.summaries.numberFine
  return catalog.summaries.noProblem
}

const regionNames = new Map<string, Intl.DisplayNames>()

/** `FR` -> "France" in `locale`, or the code itself when the language has no name for it. */
export function countryName(code: string, locale: string): string {
  let names = regionNames.get(locale)
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'region' })
    regionNames.set(locale, names)
  }
  try {
    return names.of(code) ?? code
  } catch {
    return code
  }
}

/**
 * A cause in `catalog`'s words, in the rule's situation when the catalog has it, filled with the
 * rule's values. This is how the engine writes every English cause.
 */
export function causeWords(
  catalog: UserWordsCatalog,
  locale: SupportedLocale,
  id: CauseId,
  wording: Wording,
): Words {
  const words = catalog.causes[id]
  const situation = wording.situation ? words.situations?.[wording.situation] : undefined
  const values = presentValues(wording.values, {
    duration: (ms) => formatWait(ms / 1000, locale),
    clock: (ms) => new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: 'UTC' }).format(ms),
    country: (code) => countryName(code, locale),
    channel: (c) => catalog.channels[c],
  })
  return {
    title: formatMessage(locale, situation?.title ?? words.title, values) ?? words.title,
    explanation: formatSentences(locale, situation?.explanation ?? words.explanation, values),
    actions: formatActions(locale, situation?.actions ?? words.actions, values),
  }
}

export function causeInUserWords(cause: Cause, locale: SupportedLocale): UserCause {
  const facts = {
    ...(cause.wait_seconds !== undefined ? { wait_seconds: cause.wait_seconds } : {}),
    ...(cause.sender_id !== undefined ? { sender_id: cause.sender_id } : {}),
    ...(cause.suggested_number !== undefined ? { suggested_number: cause.suggested_number } : {}),
    ...(cause.suggested_channel !== undefined ? { suggested_channel: cause.suggested_channel } : {}),
    ...(cause.attempts_left !== undefined ? { attempts_left: cause.attempts_left } : {}),
    ...(cause.sends_left !== undefined ? { sends_left: cause.sends_left } : {}),
  }
  const base = { id: cause.id, likelihood: cause.likelihood, rank: cause.rank, ...facts }
  if (locale === 'en') {
    return {
      ...base,
      title: cause.title_user,
      explanation: cause.explanation_user,
      next_actions: cause.next_actions_user,
    }
  }
  const catalog = USER_WORDS[locale]
  const words = catalog.causes[cause.id]
  const problem = problemOf(cause)
  const values: Partial<Record<Placeholder, string>> = {
    ...(cause.wait_seconds !== undefined ? { wait: formatWait(cause.wait_seconds, locale) } : {}),
    ...(cause.sender_id ? { sender: cause.sender_id } : {}),
    ...(cause.suggested_number ? { number: cause.suggested_number } : {}),
    ...(cause.attempts_left !== undefined ? { attempts: String(cause.attempts_left) } : {}),
    ...(cause.sends_left !== undefined ? { sends: String(cause.sends_left) } : {}),
    ...(cause.suggested_channel ? { channel: catalog.channels[cause.suggested_channel] } : {}),
    problem: catalog.phone[problem ?? 'invalid_number'],
  }
  return {
    ...base,
    title: words.title,
    explanation: formatSentences(locale, words.explanation, values),
    next_actions: formatActions(locale, words.actions, values),
  }
}

/** The inline message for a phone-number problem, and the "did you mean" line, in `locale`. */
export function phoneProblemInUserWords(
  problem: PhoneProblem,
  locale: string | undefined,
  suggestion?: string,
): { message: string; did_you_mean: string | null } {
  const catalog = USER_WORDS[resolveLocale(locale)]
  return {
    message: catalog.phone[problem],
    did_you_mean: suggestion
      ? (formatMessage(resolveLocale(locale), catalog.didYouMean, { number: suggestion }) ?? null)
      : null,
  }
}

/** The phone problem behind a `number_mistyped` cause, from its evidence. */
function problemOf(cause: Cause): PhoneProblem | undefined {
  for (const e of cause.evidence) {
    const reason = (e.raw as { reason?: unknown } | undefined)?.reason
    if (typeof reason === 'string' && isPhoneProblem(reason)) return reason
  }
  return undefined
}

/** "45 seconds", "3 minutes", "2 hours" in the user's language (Intl unit formatting). */
export function formatWait(seconds: number, locale: string): string {
  const s = Math.max(1, Math.ceil(seconds))
  const [value, unit] =
    s < 90 ? [s, 'second'] : s < 90 * 60 ? [Math.ceil(s / 60), 'minute'] : [Math.ceil(s / 3600), 'hour']
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value)
}

/** Ends `s` with the full stop of its script, unless it already ends a sentence. */
export function sentence(s: string, lang: SupportedLocale): string {
  if (/[.!?。！？؟।]$/.test(s)) return s
  return `${s}${lang === 'zh' || lang === 'ja' ? '。' : lang === 'hi' ? '।' : '.'}`
}
