/**
 * @module Localised wording of the code message. `{brand}`, `{code}` and `{minutes}` are filled in.
 * Latin-script texts stay inside the GSM-7 alphabet (no curly quotes, no accents outside GSM-7), so
 * an OTP stays one 160-character segment.
 */

export interface CodeWording {
  /** SMS / WhatsApp text. */
  readonly sms: string
  /** Spoken by a voice call; the code is read digit by digit. */
  readonly voice: string
  readonly emailSubject: string
}

export const CODE_WORDING = {
  en: {
    sms: '{brand}: your verification code is {code}. It expires in {minutes} min. Do not share it with anyone.',
    voice: 'Your {brand} verification code is {code}. Again, your code is {code}. Do not share it with anyone.',
    emailSubject: 'Your {brand} verification code: {code}',
  },
  es: {
    sms: '{brand}: tu codigo de verificacion es {code}. Caduca en {minutes} min. No lo compartas con nadie.',
    voice: 'Su codigo de verificacion de {brand} es {code}. Repito, su codigo es {code}. No lo comparta con nadie.',
    emailSubject: 'Tu codigo de verificacion de {brand}: {code}',
  },
  pt: {
    sms: '{brand}: seu codigo de verificacao e {code}. Expira em {minutes} min. Nao o compartilhe com ninguem.',
    voice: 'Seu codigo de verificacao {brand} e {code}. Repetindo, seu codigo e {code}. Nao o compartilhe.',
    emailSubject: 'Seu codigo de verificacao {brand}: {code}',
  },
  fr: {
    sms: '{brand} : votre code de verification est {code}. Il expire dans {minutes} min. Ne le partagez avec personne.',
    voice: 'Votre code de verification {brand} est {code}. Je repete, votre code est {code}. Ne le partagez pas.',
    emailSubject: 'Votre code de verification {brand} : {code}',
  },
  de: {
    sms: '{brand}: Ihr Bestatigungscode lautet {code}. Er lauft in {minutes} Min. ab. Geben Sie ihn an niemanden weiter.',
    voice: 'Ihr {brand} Bestatigungscode lautet {code}. Noch einmal: {code}. Geben Sie ihn an niemanden weiter.',
    emailSubject: 'Ihr {brand} Bestatigungscode: {code}',
  },
  ru: {
    sms: '{brand}: ваш код подтверждения {code}. Действует {minutes} мин. Никому его не сообщайте.',
    voice: 'Ваш код подтверждения {brand}: {code}. Повторяю: {code}. Никому его не сообщайте.',
    emailSubject: 'Код подтверждения {brand}: {code}',
  },
  tr: {
    sms: '{brand}: dogrulama kodunuz {code}. {minutes} dk icinde gecerliligini yitirir. Kimseyle paylasmayin.',
    voice: '{brand} dogrulama kodunuz {code}. Tekrar ediyorum, kodunuz {code}. Kimseyle paylasmayin.',
    emailSubject: '{brand} dogrulama kodunuz: {code}',
  },
  zh: {
    sms: '【{brand}】您的验证码是 {code}，{minutes} 分钟内有效。请勿向任何人透露。',
    voice: '您的{brand}验证码是 {code}。再说一遍，您的验证码是 {code}。请勿向任何人透露。',
    emailSubject: '您的{brand}验证码：{code}',
  },
  ja: {
    sms: '【{brand}】認証コードは {code} です。有効期限は{minutes}分です。誰にも教えないでください。',
    voice: '{brand}の認証コードは {code} です。繰り返します。{code} です。誰にも教えないでください。',
    emailSubject: '{brand}の認証コード: {code}',
  },
  ar: {
    sms: '{brand}: رمز التحقق الخاص بك هو {code}. تنتهي صلاحيته خلال {minutes} دقيقة. لا تشاركه مع أي شخص.',
    voice: 'رمز التحقق الخاص بك من {brand} هو {code}. أكرر، الرمز هو {code}. لا تشاركه مع أي شخص.',
    emailSubject: 'رمز التحقق من {brand}: {code}',
  },
  hi: {
    sms: '{brand}: आपका सत्यापन कोड {code} है। यह {minutes} मिनट में समाप्त होगा। इसे किसी के साथ साझा न करें।',
    voice: 'आपका {brand} सत्यापन कोड {code} है। फिर से, आपका कोड {code} है। इसे किसी के साथ साझा न करें।',
    emailSubject: 'आपका {brand} सत्यापन कोड: {code}',
  },
  vi: {
    sms: '{brand}: ma xac minh cua ban la {code}. Ma het han sau {minutes} phut. Khong chia se ma nay voi bat ky ai.',
    voice: 'Ma xac minh {brand} cua ban la {code}. Nhac lai, ma cua ban la {code}. Khong chia se voi bat ky ai.',
    emailSubject: 'Ma xac minh {brand} cua ban: {code}',
  },
  id: {
    sms: '{brand}: kode verifikasi Anda {code}. Berlaku {minutes} menit. Jangan bagikan kepada siapa pun.',
    voice: 'Kode verifikasi {brand} Anda adalah {code}. Sekali lagi, kode Anda {code}. Jangan bagikan kepada siapa pun.',
    emailSubject: 'Kode verifikasi {brand} Anda: {code}',
  },
} as const satisfies Record<string, CodeWording>

export type SupportedLocale = keyof typeof CODE_WORDING
export const SUPPORTED_LOCALES = Object.keys(CODE_WORDING) as SupportedLocale[]

/** `pt-BR` -> `pt`, unknown -> `en`. */
export function resolveLocale(locale: string | undefined): SupportedLocale {
  if (!locale) return 'en'
  const base = locale.toLowerCase().split(/[-_]/)[0] ?? 'en'
  return (Object.hasOwn(CODE_WORDING, base) ? base : 'en') as SupportedLocale
}
