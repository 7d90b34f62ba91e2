/**
 * @module The widget's UI strings in the 13 languages of the code messages
 * (src/delivery/templates/locales.ts), and how the widget picks one: the `locale` attribute, then
 * the session's locale, then the browser's languages, then English. English is built in; each
 * other language is its own small bundle (`widget-<lang>.js` next to widget.js), loaded on first
 * use, so the widget every site loads stays small.
 */
import { EN, type StringKey, type Strings } from './i18n-en.js'

export const LOCALE_CODES = [
  'en',
  'es',
  'pt',
  'fr',
  'de',
  'ru',
  'tr',
  'zh',
  'ja',
  'ar',
  'hi',
  'vi',
  'id',
] as const

/** Right-to-left UI languages among LOCALE_CODES. */
const RTL = new Set(['ar'])

const loaded = new Map<string, Strings>([['en', EN]])

/** The first supported language among the candidates (`pt-BR` -> `pt`). */
export function pickLocale(...candidates: readonly (string | null | undefined)[]): string {
  for (const c of candidates) {
    const lang = c?.toLowerCase().split(/[-_]/)[0]
    if (lang && (LOCALE_CODES as readonly string[]).includes(lang)) return lang
  }
  return 'en'
}

export function isRtl(locale: string): boolean {
  return RTL.has(locale)
}

/**
 * Loads a language's strings from `widget-<lang>.js` beside `scriptUrl`. Resolves false (and the
 * widget stays in English) when the bundle cannot be loaded.
 */
export async function loadLocale(locale: string, scriptUrl: string): Promise<boolean> {
  if (loaded.has(locale)) return true
  try {
    const mod = (await import(/* @vite-ignore */ new URL(`widget-${locale}.js`, scriptUrl).href)) as {
      default: Strings
    }
    loaded.set(locale, { ...EN, ...mod.default })
    return true
  } catch {
    return false
  }
}

export type Translate = (key: StringKey, vars?: Record<string, string | number>) => string

/** Strings of `locale` if loaded, else English. */
export function translator(locale: string): Translate {
  const strings = loaded.get(locale) ?? EN
  return (key, vars) =>
    strings[key].replace(/\{(\w+)\}/g, (m, name: string) => (vars && name in vars ? String(vars[name]) : m))
}

/** Like `Translate`, with elements (an isolated number, a live wait) allowed in place of `{x}`. */
export type TranslateNodes = (
  key: StringKey,
  vars?: Record<string, string | number | Node>,
) => DocumentFragment

export function nodeTranslator(locale: string): TranslateNodes {
  const strings = loaded.get(locale) ?? EN
  return (key, vars) => {
    const out = document.createDocumentFragment()
    // split() with a capturing group alternates text and placeholder names.
    strings[key].split(/\{(\w+)\}/).forEach((part, i) => {
      if (i % 2 === 0) {
        if (part) out.append(part)
        return
      }
      const value = vars?.[part]
      out.append(value === undefined ? `{${part}}` : typeof value === 'object' ? value : String(value))
    })
    return out
  }
}

export function hasLocale(locale: string): boolean {
  return loaded.has(locale)
}

export type { StringKey }
