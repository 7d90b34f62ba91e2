/**
 * @module How the widget writes waits, times, masked destinations and left-to-right fragments
 * (numbers, codes, sender IDs) in the person's language: `Intl` does the words and digits, `<bdi
 * dir="ltr">` keeps "+966 50 123 4567" in its own order inside right-to-left text.
 */
import { h } from './dom.js'

/** A number, code or sender ID isolated as left-to-right, whatever the text around it. */
export function ltr(text: string): HTMLElement {
  return h('bdi', { dir: 'ltr' }, text)
}

type DurationFormatCtor = new (
  locale: string,
  opts: { style: 'short' },
) => { format(d: { minutes?: number; seconds?: number }): string }

/** `Intl.DurationFormat` where the browser has it (Chrome 129, Safari 16.4, Firefox 136). */
const DurationFormat = (Intl as unknown as { DurationFormat?: DurationFormatCtor }).DurationFormat

function split(seconds: number): { minutes: number; seconds: number } {
  const s = Math.max(0, Math.ceil(seconds))
  return { minutes: Math.floor(s / 60), seconds: s % 60 }
}

/** A countdown on a button: `0:30`, `9:54`, in the language's digits. */
export function clockWait(seconds: number, locale: string): string {
  const d = split(seconds)
  const minutes = new Intl.NumberFormat(locale).format(d.minutes)
  const secs = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2 }).format(d.seconds)
  return `${minutes}:${secs}`
}

/** A wait inside a sentence: "9 min, 54 sec", "4 sec", "9 د و54 ث"; zero units are left out. */
export function wordsWait(seconds: number, locale: string): string {
  const d = split(seconds)
  const parts =
    d.minutes > 0 && d.seconds === 0 ? { minutes: d.minutes } : d.minutes > 0 ? d : { seconds: d.seconds }
  if (DurationFormat) return new DurationFormat(locale, { style: 'short' }).format(parts)
  const unit = (value: number, name: 'minute' | 'second') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value)
  const words = [
    ...(parts.minutes !== undefined ? [unit(parts.minutes, 'minute')] : []),
    ...(parts.seconds !== undefined ? [unit(parts.seconds, 'second')] : []),
  ]
  return new Intl.ListFormat(locale, { type: 'unit', style: 'short' }).format(words)
}

/**
 * A live wait for a sentence: a `role="timer"` span (not announced on every tick; the sentence
 * around it is) that `tickWaits` keeps current until `until`.
 */
export function waitTimer(until: number, locale: string): HTMLElement {
  const span = h('span', { class: 'wait', role: 'timer', 'data-until': until })
  span.textContent = wordsWait((until - Date.now()) / 1000, locale)
  return span
}

/** Updates every wait timer under `root`; returns the timers that have run out. */
export function tickWaits(root: ParentNode, locale: string, now = Date.now()): HTMLElement[] {
  const done: HTMLElement[] = []
  for (const span of root.querySelectorAll<HTMLElement>('span.wait[data-until]')) {
    const left = Number(span.dataset.until) - now
    if (left <= 0) done.push(span)
    else span.textContent = wordsWait(left / 1000, locale)
  }
  return done
}

/** The time of day the same way everywhere in the widget and demo: the browser's zone, the person's language. */
export function timeOfDay(at: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(at)
}

/** `***0123` for a phone number, `a***@example.com` for an address: enough to recognise, not to read out. */
export function maskedDestination(to: string): string {
  const at = to.indexOf('@')
  if (at > 0) return `${to.slice(0, 1)}***${to.slice(at)}`
  const digits = to.replace(/\D/g, '')
  return `***${digits.slice(-4)}`
}
