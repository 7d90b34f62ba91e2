/**
 * @module The words of the factor screens: English here, the widget's twelve other languages in
 * `locales/<lang>.ts` (one small bundle each). `{n}` and `{when}` are filled in by the caller
 * (`{when}` is an `Intl.RelativeTimeFormat` phrase such as "in 30 seconds").
 */

const en = {
  useTitle: 'Other ways to verify',
  optTotp: 'Enter a code from your authenticator app',
  optPasskey: 'Use a passkey',
  optRecovery: 'Use a recovery code',
  back: 'Back',
  totpTitle: 'Authenticator app',
  totpHint: 'Enter the 6-digit code shown in your authenticator app.',
  code: '6-digit code',
  verify: 'Verify',
  verified: 'Verified.',
  rcTitle: 'Recovery code',
  rcHint: 'Enter one of your saved recovery codes. Each code works once.',
  rcLeft: 'Verified. Recovery codes left: {n}.',
  pkTitle: 'Passkey',
  pkWait: "Follow your browser's prompt to use your passkey.",
  retry: 'Try again',
  eFormat: 'Enter the 6 digits from your app.',
  eWrong: 'That code is not right. Check it and try again.',
  eReused: 'That code was already used. Wait for the next one.',
  eLocked: 'Too many tries. Try again {when}.',
  eRc: 'That recovery code is not valid or was already used.',
  ePkCancel: 'The passkey request was canceled or timed out.',
  ePk: 'This passkey could not be used. Try again or choose another option.',
  ePkExists: 'This device already has a passkey for you.',
  eExpired: 'This page has expired. Start again.',
  eGeneric: 'Something went wrong. Try again.',
  manage: 'Sign-in methods',
  none: 'No methods set up yet.',
  rcCount: 'Recovery codes: {n} left',
  addTotp: 'Set up an authenticator app',
  addPk: 'Add a passkey',
  addRc: 'Create recovery codes',
  scan: 'Scan this QR code with your authenticator app.',
  qrAlt: 'QR code for your authenticator app',
  key: 'Or enter this key:',
  copy: 'Copy',
  copied: 'Copied.',
  openApp: 'Open in authenticator app',
  confirmHint: 'Then enter the 6-digit code the app shows.',
  confirm: 'Confirm',
  totpAdded: 'Authenticator app added.',
  pkName: 'Name for this passkey',
  pkCreate: 'Create passkey',
  pkAdded: 'Passkey added.',
  pkNo: 'This browser cannot use passkeys.',
  rcIntro: 'If you lose your phone or passkey, a recovery code gets you in. Each code works once.',
  rcWarn: 'Creating new codes revokes your current ones.',
  rcCreate: 'Create codes',
  rcSave: 'Save these codes somewhere safe. They are shown only once.',
  download: 'Download',
  rcSaved: 'I have saved these codes',
  done: 'Done',
  rcDone: 'Recovery codes saved.',
}

export type FactorStrings = typeof en

/** Languages with a bundle of their own (`widget-factors-<lang>.js`, built next to widget.js). */
const LANGUAGES = new Set(['es', 'pt', 'fr', 'de', 'ru', 'tr', 'zh', 'ja', 'ar', 'hi', 'vi', 'id'])
const loaded = new Map<string, FactorStrings>([['en', en]])

/** The English strings, also the fallback (compare by identity to know the fallback was taken). */
export const FACTOR_STRINGS_EN = en

const language = (locale: string) => locale.toLowerCase().split(/[-_]/)[0] ?? ''

/** The strings for `locale` (`pt-BR` -> `pt`) when no fetch is needed: English for unknown languages. */
export function loadedFactorStrings(locale: string): FactorStrings | undefined {
  const lang = language(locale)
  return loaded.get(lang) ?? (LANGUAGES.has(lang) ? undefined : en)
}

/**
 * Fetches a language's strings on first use from beside the script that holds this code (the
 * widget's own origin), so pages that never open these screens never pay for them. English when
 * that fails.
 */
export async function loadFactorStrings(locale: string): Promise<FactorStrings> {
  const lang = language(locale)
  try {
    const url = new URL(`widget-factors-${lang}.js`, import.meta.url).href
    const mod = (await import(url)) as { default: FactorStrings }
    loaded.set(lang, { ...en, ...mod.default })
  } catch {
    loaded.set(lang, en)
  }
  return loaded.get(lang) ?? en
}
