/**
 * Pins what every locale's code message costs (encoding, segments) and what the autofill lines look
 * like. A wording change that adds a segment or leaves GSM-7 fails here, on purpose.
 */
import { describe, expect, it } from 'vitest'
import type { Channel } from '../../channels/channel.js'
import { encodingFor, isGsm7, type SmsEncoding, segmentCount } from '../gsm7.js'
import { CODE_WORDING, resolveLocale, SUPPORTED_LOCALES, type SupportedLocale } from './locales.js'
import { ANDROID_APP_HASH_PATTERN, type CodeMessageModel, renderCodeMessage } from './verification-code.js'

const CODE = '123456'
const DOMAIN = 'acme.example'
const HASH = 'FA+9qCX9VSu'
const WEBOTP_LINE = `@${DOMAIN} #${CODE}`

function render(over: Partial<CodeMessageModel> = {}) {
  return renderCodeMessage({ code: CODE, brand: 'Acme', minutes: 10, locale: 'en', channel: 'sms', ...over })
}

const VARIANTS = {
  plain: {},
  webotp: { webotpDomain: DOMAIN },
  appHash: { androidAppHash: HASH },
  both: { webotpDomain: DOMAIN, androidAppHash: HASH },
} as const satisfies Record<string, Partial<CodeMessageModel>>
type Variant = keyof typeof VARIANTS

type Cost = `${SmsEncoding}/${number}`
/**
 * Encoding/segments of the default SMS for code 123456, brand "Acme", 10 minutes. Latin scripts are
 * GSM-7 and one segment (160) in every variant. UCS-2 scripts fit one segment (70) with either
 * autofill line; with both lines ru, ja, ar and hi take 2 segments, and then the SMS is also over the
 * Retriever's 140-byte limit, so Android apps on those locales should not combine the two.
 */
const EXPECTED: Record<SupportedLocale, Record<Variant, Cost>> = {
  en: { plain: 'gsm7/1', webotp: 'gsm7/1', appHash: 'gsm7/1', both: 'gsm7/1' },
  es: { plain: 'gsm7/1', webotp: 'gsm7/1', appHash: 'gsm7/1', both: 'gsm7/1' },
  pt: { plain: 'gsm7/1', webotp: 'gsm7/1', appHash: 'gsm7/1', both: 'gsm7/1' },
  fr: { plain: 'gsm7/1', webotp: 'gsm7/1', appHash: 'gsm7/1', both: 'gsm7/1' },
  de: { plain: 'gsm7/1', webotp: 'gsm7/1', appHash: 'gsm7/1', both: 'gsm7/1' },
  ru: { plain: 'ucs2/1', webotp: 'ucs2/1', appHash: 'ucs2/1', both: 'ucs2/2' },
  tr: { plain: 'gsm7/1', webotp: 'gsm7/1', appHash: 'gsm7/1', both: 'gsm7/1' },
  zh: { plain: 'ucs2/1', webotp: 'ucs2/1', appHash: 'ucs2/1', both: 'ucs2/1' },
  ja: { plain: 'ucs2/1', webotp: 'ucs2/1', appHash: 'ucs2/1', both: 'ucs2/2' },
  ar: { plain: 'ucs2/1', webotp: 'ucs2/1', appHash: 'ucs2/1', both: 'ucs2/2' },
  hi: { plain: 'ucs2/1', webotp: 'ucs2/1', appHash: 'ucs2/1', both: 'ucs2/2' },
  vi: { plain: 'gsm7/1', webotp: 'gsm7/1', appHash: 'gsm7/1', both: 'gsm7/1' },
  id: { plain: 'gsm7/1', webotp: 'gsm7/1', appHash: 'gsm7/1', both: 'gsm7/1' },
}

const LATIN: readonly SupportedLocale[] = ['en', 'es', 'pt', 'fr', 'de', 'tr', 'vi', 'id']

describe('renderCodeMessage: SMS cost per locale', () => {
  it('the table covers exactly the supported locales', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...SUPPORTED_LOCALES].sort())
  })

  const cases = SUPPORTED_LOCALES.flatMap((locale) =>
    (Object.keys(VARIANTS) as Variant[]).map((variant) => [locale, variant] as const),
  )
  it.each(cases)('%s, %s', (locale, variant) => {
    const { body } = render({ locale, ...VARIANTS[variant] })
    expect(`${encodingFor(body)}/${segmentCount(body)}`).toBe(EXPECTED[locale][variant])
  })

  it.each(LATIN)(
    '%s stays GSM-7 and one segment with both autofill lines and a 10-character brand',
    (locale) => {
      const { body } = render({ locale, brand: 'Acme Cloud', ...VARIANTS.both })
      expect(isGsm7(body)).toBe(true)
      expect(segmentCount(body)).toBe(1)
    },
  )

  it.each(SUPPORTED_LOCALES)('%s names the brand, the code and the lifetime', (locale) => {
    const { body } = render({ locale })
    expect(body).toContain('Acme')
    expect(body).toContain(CODE)
    expect(body).toContain('10')
  })
})

describe('renderCodeMessage: golden English SMS', () => {
  const text = 'Acme: your verification code is 123456. It expires in 10 min. Do not share it with anyone.'

  it('plain', () => {
    expect(render()).toEqual({ body: text, locale: 'en' })
  })

  it('with WebOTP: a blank line, then `@domain #code` as the last line', () => {
    expect(render(VARIANTS.webotp).body).toBe(`${text}\n\n@acme.example #123456`)
  })

  it('with an Android app hash: the hash alone on the last line', () => {
    expect(render(VARIANTS.appHash).body).toBe(`${text}\n\nFA+9qCX9VSu`)
  })

  it('with both: the hash on its own line, the WebOTP line last', () => {
    const { body } = render(VARIANTS.both)
    expect(body).toBe(`${text}\n\nFA+9qCX9VSu\n@acme.example #123456`)
    expect(body.split('\n').at(-1)).toBe(WEBOTP_LINE)
  })
})

describe('renderCodeMessage: autofill lines', () => {
  it.each(SUPPORTED_LOCALES)('%s: WebOTP is the last line, the hash has a line of its own', (locale) => {
    const lines = render({ locale, ...VARIANTS.both }).body.split('\n')
    expect(lines.at(-1)).toBe(WEBOTP_LINE)
    expect(lines.at(-2)).toBe(HASH)
    expect(
      render({ locale, ...VARIANTS.appHash })
        .body.split('\n')
        .at(-1),
    ).toBe(HASH)
  })

  it('are added to a service template too', () => {
    expect(render({ template: 'Code {code}', ...VARIANTS.both }).body).toBe(
      `Code 123456\n\n${HASH}\n${WEBOTP_LINE}`,
    )
  })

  it.each(['call', 'whatsapp', 'email'] as const satisfies readonly Channel[])(
    'are SMS only: not on %s',
    (channel) => {
      const { body } = render({ channel, ...VARIANTS.both })
      expect(body).not.toContain(HASH)
      expect(body).not.toContain('@acme.example')
    },
  )

  it('null settings add nothing', () => {
    expect(render({ webotpDomain: null, androidAppHash: null }).body).toBe(render().body)
  })
})

describe('ANDROID_APP_HASH_PATTERN', () => {
  it.each(['FA+9qCX9VSu', 'abcdefghijk', 'A1/B2+C3d4E'])('accepts %s', (hash) => {
    expect(ANDROID_APP_HASH_PATTERN.test(hash)).toBe(true)
  })
  it.each(['FA+9qCX9VS', 'FA+9qCX9VSuu', 'FA-9qCX9VSu', 'FA_9qCX9VSu', 'FA+9qCX9VS=', ' FA+9qCX9VS'])(
    'rejects %j',
    (hash) => {
      expect(ANDROID_APP_HASH_PATTERN.test(hash)).toBe(false)
    },
  )
})

describe('renderCodeMessage: voice', () => {
  it('reads the digits one by one', () => {
    expect(render({ channel: 'call' }).body).toBe(
      'Your Acme verification code is 1 2 3 4 5 6. Again, your code is 1 2 3 4 5 6. Do not share it with anyone.',
    )
  })

  it.each(SUPPORTED_LOCALES)('%s: spaced digits, never the code as one number', (locale) => {
    const { body } = render({ locale, channel: 'call' })
    expect(body).toContain('1 2 3 4 5 6')
    expect(body).not.toContain(CODE)
    expect(body).not.toMatch(/\{(code|brand|minutes)\}/)
  })
})

describe('renderCodeMessage: email', () => {
  it('has a subject with brand and code', () => {
    const r = render({ channel: 'email' })
    expect(r.subject).toBe('Your Acme verification code: 123456')
    expect(r.body).toBe(
      'Acme: your verification code is 123456. It expires in 10 min. Do not share it with anyone.',
    )
  })

  it.each(SUPPORTED_LOCALES)('%s: subject and body carry the code', (locale) => {
    const r = render({ locale, channel: 'email' })
    expect(r.subject).toContain(CODE)
    expect(r.subject).toContain('Acme')
    expect(r.body).toContain(CODE)
  })

  it('other channels have no subject', () => {
    expect(render()).not.toHaveProperty('subject')
  })
})

describe('renderCodeMessage: service template', () => {
  it('fills {code}, {brand} and {minutes}, every occurrence', () => {
    const template = '{brand} code {code} ({minutes} min). {brand} staff never ask for {code}.'
    expect(render({ template, minutes: 5 }).body).toBe(
      'Acme code 123456 (5 min). Acme staff never ask for 123456.',
    )
  })

  it('replaces the localised wording whatever the locale, on sms and whatsapp', () => {
    expect(render({ template: 'Code {code}', locale: 'ru' }).body).toBe('Code 123456')
    expect(render({ template: 'Code {code}', channel: 'whatsapp' }).body).toBe('Code 123456')
  })

  it('is not used for voice or email (they have their own wording)', () => {
    expect(render({ template: 'Code {code}', channel: 'call' }).body).toContain('1 2 3 4 5 6')
    expect(render({ template: 'Code {code}', channel: 'email' }).subject).toBe(
      'Your Acme verification code: 123456',
    )
  })

  it('typographic look-alikes in an SMS become their GSM-7 counterparts instead of forcing UCS-2', () => {
    const { body } = render({
      template: '\u201C{brand}\u201D code\u00A0{code} \u2013 don\u2019t share\u2026',
      brand: 'Acme\u2019s',
    })
    expect(body).toBe('"Acme\'s" code 123456 - don\'t share...')
    expect(encodingFor(body)).toBe('gsm7')
  })

  it('WhatsApp keeps the template as written (no SMS encoding to protect)', () => {
    expect(render({ template: 'don\u2019t share {code}', channel: 'whatsapp' }).body).toBe(
      'don\u2019t share 123456',
    )
  })
})

describe('locale resolution', () => {
  it.each([
    ['pt-BR', 'pt'],
    ['pt_BR', 'pt'],
    ['PT-br', 'pt'],
    ['zh-Hans-CN', 'zh'],
    ['es-419', 'es'],
    ['xx', 'en'],
    ['klingon-KL', 'en'],
    ['', 'en'],
  ])('%j -> %s', (input, expected) => {
    expect(resolveLocale(input)).toBe(expected)
    expect(render({ locale: input }).locale).toBe(expected)
  })

  it('an unknown locale renders the English text', () => {
    expect(render({ locale: 'xx-YY' }).body).toBe(render({ locale: 'en' }).body)
  })

  it('pt-BR renders the Portuguese text', () => {
    expect(render({ locale: 'pt-BR' }).body).toBe(
      'Acme: seu codigo de verificacao é 123456. Expira em 10 min. Nao o compartilhe com ninguem.',
    )
  })

  it('inherited object keys are not locales', () => {
    expect(resolveLocale('constructor')).toBe('en')
    expect(resolveLocale('__proto__')).toBe('en')
  })

  it('every wording uses only the known placeholders', () => {
    for (const wording of Object.values(CODE_WORDING)) {
      for (const text of Object.values(wording)) {
        expect(text).toContain('{code}')
        expect(text.replace(/\{(code|brand|minutes)\}/g, '')).not.toMatch(/[{}]/)
      }
    }
  })
})

describe('a code bound to a payment (PSD2)', () => {
  const transaction = { amount: 'EUR 39.99', payee: 'Acme Inc.' }

  it('names the payee and amount on their own line, before the autofill lines', () => {
    const { body } = render({ transaction, webotpDomain: DOMAIN })
    const lines = body.split('\n')
    expect(lines).toContain('Acme Inc.: EUR 39.99')
    expect(lines.at(-1)).toBe(WEBOTP_LINE)
    expect(lines.indexOf('Acme Inc.: EUR 39.99')).toBeLessThan(lines.indexOf(WEBOTP_LINE))
  })

  it.each(['call', 'email', 'whatsapp'] as const)(
    'names it on %s too, never in an email subject',
    (channel) => {
      const rendered = render({ transaction, channel })
      expect(rendered.body).toContain('Acme Inc.: EUR 39.99')
      expect(rendered.subject ?? '').not.toContain('Acme Inc.')
    },
  )
})
