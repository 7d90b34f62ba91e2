/**
 * @module Formats the diagnosis catalogs' strings. They are ICU MessageFormat (`{sender}`,
 * `{sends, plural, one {# more code} other {# more codes}}`, `{type, select, ...}`), with two
 * conventions of our own: an explanation is sentences separated by `|`, and a sentence or an
 * action that needs a value the facts do not have, or that comes out empty, is left out. So one
 * catalog entry serves a cause with and without, say, a known sender ID.
 */
import { ErrorCode, FormatError, IntlMessageFormat } from 'intl-messageformat'
import type { Channel } from '../channels/channel.js'
import type { WordValues } from './word-values.js'

/** The values a message is filled with; absent (undefined) values leave their sentence out. */
export type MessageValues = Readonly<Record<string, string | number | undefined>>

const compiled = new Map<string, IntlMessageFormat>()

function compile(locale: string, template: string): IntlMessageFormat {
  const key = `${locale}\u0000${template}`
  let message = compiled.get(key)
  if (!message) {
    // ignoreTag: catalog strings are plain text, so `<` never opens a rich-text tag.
    message = new IntlMessageFormat(template, locale, undefined, { ignoreTag: true })
    compiled.set(key, message)
  }
  return message
}

/** One message, or undefined when it needs a value that is missing. Throws on a malformed template. */
export function formatMessage(locale: string, template: string, values: MessageValues): string | undefined {
  const defined: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(values)) if (v !== undefined) defined[k] = v
  try {
    const out = compile(locale, template).format(defined)
    return typeof out === 'string' ? out.trim() : String(out).trim()
  } catch (err) {
    if (err instanceof FormatError && err.code === ErrorCode.MISSING_VALUE) return undefined
    throw err
  }
}

/** The `|`-separated sentences of `template` that have their values, joined with `joiner`. */
export function formatSentences(
  locale: string,
  template: string,
  values: MessageValues,
  joiner = ' ',
): string {
  return template
    .split('|')
    .map((s) => formatMessage(locale, s, values))
    .filter((s): s is string => s !== undefined && s !== '')
    .join(joiner)
}

/** The actions that have their values, in order. */
export function formatActions(locale: string, templates: readonly string[], values: MessageValues): string[] {
  return templates
    .map((a) => formatMessage(locale, a, values))
    .filter((a): a is string => a !== undefined && a !== '')
}

/** How one reader's catalog says the tagged values of a finding (durations, countries, channels). */
export interface ValuePresenter {
  duration(ms: number): string
  clock(ms: number): string
  country(code: string): string
  channel(c: Channel): string
}

/**
 * A finding's values as message values for one reader: tagged values said the reader's way, and
 * for every key `<key>_known` (`yes` or `no`) to `select` on.
 */
export function presentValues(values: WordValues | undefined, show: ValuePresenter): MessageValues {
  const out: Record<string, string | number | undefined> = {}
  for (const [key, v] of Object.entries(values ?? {})) {
    out[`${key}_known`] = v === undefined ? 'no' : 'yes'
    out[key] =
      v === undefined || typeof v === 'string' || typeof v === 'number'
        ? v
        : 'durationMs' in v
          ? show.duration(v.durationMs)
          : 'clockMs' in v
            ? show.clock(v.clockMs)
            : 'countryCode' in v
              ? show.country(v.countryCode)
              : show.channel(v.channel)
  }
  return out
}
