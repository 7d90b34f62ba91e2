/**
 * @module Localised wording of the code message. `{brand}`, `{code}` and `{minutes}` are filled in.
 *
 * Budgets (3GPP TS 23.038; `verification-code.test.ts` pins each locale's count):
 * - Latin-script SMS texts (en es pt fr de tr vi id) use only the GSM-7 alphabet, so an OTP with a
 *   WebOTP line and an Android app hash is one 160-septet segment. GSM-7 has a few accented letters
 *   (é è à ù ä ö ü ñ ß É Ä Ö Ü Ñ ...) and they are used where the whole text can keep them (fr, de);
 *   others (ó í ç ã ğ ş ı and Vietnamese tone marks) would switch the whole SMS to UCS-2 (70 chars),
 *   so es, pt, tr and vi are written without them, as SMS in those markets usually are.
 * - Scripts outside GSM-7 (ru zh ja ar hi) are UCS-2: 70 characters for one segment. Their texts are
 *   short enough that, with brand "Acme" and code 123456, the text plus the WebOTP line
 *   (`@acme.example #123456`) or plus the app hash still fits 70. With both lines most need 2.
 * Voice and email are not SMS-limited and use the full spelling (text-to-speech needs the accents).
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
    voice:
      'Your {brand} verification code is {code}. Again, your code is {code}. Do not share it with anyone.',
    emailSubject: 'Your {brand} verification code: {code}',
  },
  es: {
    sms: '{brand}: tu codigo de verificacion es {code}. Caduca en {minutes} min. No lo compartas con nadie.',
    voice:
      'Su código de verificación de {brand} es {code}. Repito, su código es {code}. No lo comparta con nadie.',
    emailSubject: 'Tu código de verificación de {brand}: {code}',
  },
  pt: {
    // "é" (is) is in GSM-7 and keeps the sentence from reading "e" (and); ã and ç are not.
    sms: '{brand}: seu codigo de verificacao é {code}. Expira em {minutes} min. Nao o compartilhe com ninguem.',
    voice:
      'Seu código de verificação {brand} é {code}. Repetindo, seu código é {code}. Não o compartilhe com ninguém.',
    emailSubject: 'Seu código de verificação {brand}: {code}',
  },
  fr: {
    // é is in GSM-7: the SMS keeps its accents and stays one segment.
    sms: '{brand} : votre code de vérification est {code}. Il expire dans {minutes} min. Ne le partagez avec personne.',
    voice:
      'Votre code de vérification {brand} est {code}. Je répète, votre code est {code}. Ne le partagez avec personne.',
    emailSubject: 'Votre code de vérification {brand} : {code}',
  },
  de: {
    // ä ö ü are in GSM-7: correct German costs nothing.
    sms: '{brand}: Ihr Bestätigungscode lautet {code}. Er läuft in {minutes} Min. ab. Geben Sie ihn an niemanden weiter.',
    voice:
      'Ihr {brand} Bestätigungscode lautet {code}. Noch einmal: {code}. Geben Sie ihn an niemanden weiter.',
    emailSubject: 'Ihr {brand} Bestätigungscode: {code}',
  },
  ru: {
    // UCS-2: 47 chars with Acme/123456/10, so the WebOTP line still fits one 70-char segment.
    sms: 'Код {brand}: {code} ({minutes} мин). Никому не сообщайте.',
    voice: 'Ваш код подтверждения {brand}: {code}. Повторяю: {code}. Никому его не сообщайте.',
    emailSubject: 'Код подтверждения {brand}: {code}',
  },
  tr: {
    sms: '{brand}: dogrulama kodunuz {code}. {minutes} dk icinde gecerliligini yitirir. Kimseyle paylasmayin.',
    voice: '{brand} doğrulama kodunuz {code}. Tekrar ediyorum, kodunuz {code}. Kimseyle paylaşmayın.',
    emailSubject: '{brand} doğrulama kodunuz: {code}',
  },
  zh: {
    // UCS-2: 33 chars, one segment even with both the WebOTP line and the app hash.
    sms: '【{brand}】验证码 {code}，{minutes}分钟内有效。请勿告诉任何人。',
    voice: '您的{brand}验证码是 {code}。再说一遍，您的验证码是 {code}。请勿向任何人透露。',
    emailSubject: '您的{brand}验证码：{code}',
  },
  ja: {
    // UCS-2: 40 chars; one segment with the WebOTP line or the app hash, two with both.
    sms: '【{brand}】認証コード {code}（{minutes}分間有効）。誰にも教えないでください。',
    voice: '{brand}の認証コードは {code} です。繰り返します。{code} です。誰にも教えないでください。',
    emailSubject: '{brand}の認証コード: {code}',
  },
  ar: {
    // UCS-2: 46 chars, so the WebOTP line still fits one 70-char segment.
    sms: 'رمز {brand}: {code} ({minutes} دقيقة). لا تشاركه مع أحد.',
    voice: 'رمز التحقق الخاص بك من {brand} هو {code}. أكرر، الرمز هو {code}. لا تشاركه مع أي شخص.',
    emailSubject: 'رمز التحقق من {brand}: {code}',
  },
  hi: {
    // UCS-2 (matras and virama count as characters): 44 chars, so the WebOTP line still fits 70.
    sms: '{brand} कोड: {code} ({minutes} मिनट)। किसी को न बताएं।',
    voice: 'आपका {brand} सत्यापन कोड {code} है। फिर से, आपका कोड {code} है। इसे किसी के साथ साझा न करें।',
    emailSubject: 'आपका {brand} सत्यापन कोड: {code}',
  },
  vi: {
    sms: '{brand}: ma xac minh cua ban la {code}. Ma het han sau {minutes} phut. Khong chia se ma nay voi bat ky ai.',
    voice:
      'Mã xác minh {brand} của bạn là {code}. Nhắc lại, mã của bạn là {code}. Không chia sẻ với bất kỳ ai.',
    emailSubject: 'Mã xác minh {brand} của bạn: {code}',
  },
  id: {
    sms: '{brand}: kode verifikasi Anda {code}. Berlaku {minutes} menit. Jangan bagikan kepada siapa pun.',
    voice:
      'Kode verifikasi {brand} Anda adalah {code}. Sekali lagi, kode Anda {code}. Jangan bagikan kepada siapa pun.',
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
