import { describe, expect, it } from 'vitest'
import { SUPPORTED_LOCALES } from '../../delivery/templates/locales.js'
import { PHONE_PROBLEMS } from '../../phone/index.js'
import { CAUSE_IDS, type Cause, type Diagnosis } from '../diagnosis.js'
import { formatMessage } from '../message-format.js'
import {
  causeInUserWords,
  causeWords,
  diagnosisInUserWords,
  formatWait,
  phoneProblemInUserWords,
  USER_WORDS,
} from './index.js'

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

function cause(patch: Partial<Cause>): Cause {
  return {
    id: 'carrier_filtered',
    likelihood: 'confirmed',
    rank: 1,
    title_user: 'Your mobile network blocked our text',
    title_support: 'The carrier blocked the SMS',
    explanation_user: 'English explanation with every detail.',
    next_actions_user: ['Allow messages from "VERIGATE"'],
    explanation_support: 'route sim-a returned UNDELIV 045',
    next_actions_support: ['check route'],
    evidence: [],
    ...patch,
  }
}

describe('user words catalogs', () => {
  it('every SMS-template language has a catalog', () => {
    expect(Object.keys(USER_WORDS).sort()).toEqual([...SUPPORTED_LOCALES].sort())
  })

  it.each(SUPPORTED_LOCALES)(
    '%s covers every cause, phone problem and channel with the English placeholders',
    (lang) => {
      const c = USER_WORDS[lang]
      for (const id of CAUSE_IDS) {
        const mine = c.causes[id]
        const ref = USER_WORDS.en.causes[id]
        expect(mine, `${lang}:${id}`).toBeDefined()
        expect(mine.title.length).toBeGreaterThan(0)
        expect(placeholders(mine.explanation), `${lang}:${id} explanation`).toEqual(
          placeholders(ref.explanation),
        )
        expect(mine.explanation.split('|').length, `${lang}:${id} sentences`).toBe(
          ref.explanation.split('|').length,
        )
        expect(mine.actions.map(placeholders), `${lang}:${id} actions`).toEqual(ref.actions.map(placeholders))
      }
      for (const p of PHONE_PROBLEMS) expect(c.phone[p].length, `${lang}:${p}`).toBeGreaterThan(0)
      expect(placeholders(c.didYouMean)).toEqual(['number'])
    },
  )
})

describe('user words catalogs as ICU MessageFormat', () => {
  /** Every string of a catalog, with where it is. */
  function strings(node: unknown, path: string): [string, string][] {
    if (typeof node === 'string') return [[path, node]]
    if (node && typeof node === 'object')
      return Object.entries(node).flatMap(([k, v]) => strings(v, `${path}.${k}`))
    return []
  }

  it.each(SUPPORTED_LOCALES)('every %s string is well-formed', (lang) => {
    for (const [path, s] of strings(USER_WORDS[lang], lang))
      for (const part of s.split('|')) expect(() => formatMessage(lang, part, {}), path).not.toThrow()
  })

  it('the three summaries of a diagnosis without a cause exist in every language', () => {
    for (const lang of SUPPORTED_LOCALES) {
      const s = USER_WORDS[lang].summaries
      expect(
        [s.approved, s.numberFine, s.noProblem].every((x) => x.length > 0),
        lang,
      ).toBe(true)
    }
  })
})

describe('causeWords', () => {
  it('tells a situation in English with its values, and the cause’s own words without one', () => {
    const cooldown = causeWords(USER_WORDS.en, 'en', 'rate_limited', {
      situation: 'resend_cooldown',
      values: { wait: { durationMs: 25_000 }, sends: 1 },
    })
    expect(cooldown.title).toBe('A code was sent a moment ago')
    expect(cooldown.explanation).toBe(
      'You can ask for another code in 25 seconds. The one we already sent still works, so check your messages first. After that, you can ask for 1 more code.',
    )
    const plain = causeWords(USER_WORDS.en, 'en', 'carrier_filtered', { values: { sender: undefined } })
    expect(plain.explanation).toBe('Your mobile network stopped our message, most likely as suspected spam.')
    expect(plain.actions).toHaveLength(2)
  })

  it('a language without the situation uses its own words for the cause', () => {
    const de = causeWords(USER_WORDS.de, 'de', 'rate_limited', {
      situation: 'resend_cooldown',
      values: { wait: { durationMs: 120_000 } },
    })
    expect(de.title).toBe(USER_WORDS.de.causes.rate_limited.title)
    expect(de.explanation).toContain('in 2 Minuten')
  })
})

describe('causeInUserWords', () => {
  it('English keeps the engine’s own detailed sentences', () => {
    const c = causeInUserWords(cause({}), 'en')
    expect(c.title).toBe('Your mobile network blocked our text')
    expect(c.explanation).toBe('English explanation with every detail.')
  })

  it('fills the sender to allow, and drops what has no value', () => {
    const withSender = causeInUserWords(cause({ sender_id: 'ACME' }), 'es')
    expect(withSender.title).toBe('Tu operador bloqueó nuestro SMS')
    expect(withSender.explanation).toBe('El filtro de spam de tu red detuvo el mensaje. Venía de ACME.')
    expect(withSender.next_actions[0]).toBe('Permite los mensajes de ACME en tu teléfono o con tu operador')
    const without = causeInUserWords(cause({}), 'es')
    expect(without.explanation).toBe('El filtro de spam de tu red detuvo el mensaje.')
    expect(without.next_actions).toEqual(['Elige una llamada', 'Pide un código nuevo'])
  })

  it('a rate limit says the exact wait in the user’s language', () => {
    const c = causeInUserWords(cause({ id: 'rate_limited', wait_seconds: 120 }), 'de')
    expect(c.explanation).toContain('in 2 Minuten')
    expect(c.next_actions[0]).toBe('2 Minuten warten, dann erneut anfragen')
  })

  it('a mistyped number names the problem and the fix', () => {
    const c = causeInUserWords(
      cause({
        id: 'number_mistyped',
        suggested_number: '+447700900123',
        evidence: [{ fact: 'x', raw: { reason: 'trunk_prefix_after_country_code' } }],
      }),
      'fr',
    )
    expect(c.explanation).toBe("Retirez le 0 après l'indicatif du pays.")
    expect(c.next_actions[0]).toBe('Utilisez +447700900123')
    expect(c.suggested_number).toBe('+447700900123')
  })

  it('a channel switch names the channel in the user’s language', () => {
    const c = causeInUserWords(cause({ id: 'sent_by_other_channel', suggested_channel: 'call' }), 'pt')
    expect(c.explanation).toContain('por chamada')
  })

  it('never carries support wording or evidence', () => {
    const c = causeInUserWords(cause({ sender_id: 'ACME' }), 'ja') as unknown as Record<string, unknown>
    expect(c.explanation_support).toBeUndefined()
    expect(c.evidence).toBeUndefined()
    expect(JSON.stringify(c)).not.toContain('UNDELIV')
  })
})

describe('diagnosisInUserWords', () => {
  const diagnosis: Diagnosis = {
    verification_id: 'ver_1',
    status: 'pending',
    summary_user: 'Your mobile network blocked our text. Allow messages from "VERIGATE".',
    summary_support: 'support',
    causes: [cause({ sender_id: 'VERIGATE' })],
  }
  it('summarises the top cause in the language asked for, falling back to English', () => {
    expect(diagnosisInUserWords(diagnosis, 'zh-CN').summary).toBe(
      '您的运营商拦截了我们的短信。在手机或运营商处允许来自 VERIGATE 的短信。',
    )
    expect(diagnosisInUserWords(diagnosis, 'xx').summary).toBe(diagnosis.summary_user)
    expect(diagnosisInUserWords(diagnosis, 'xx').locale).toBe('en')
  })

  it('a code that went by call and reached the phone is told once, as the call instead', () => {
    const fellBack: Diagnosis = {
      ...diagnosis,
      summary_user: 'We called you with the code. Check your missed calls and voicemail for our call.',
      causes: [
        cause({
          id: 'delivered_not_entered',
          title_user: 'We called you with the code',
          sender_id: 'VERIGATE',
        }),
        cause({
          id: 'sent_by_other_channel',
          rank: 2,
          suggested_channel: 'call',
          title_user: 'We called you with the code instead',
          next_actions_user: ['Answer the call from us and listen for the code'],
        }),
      ],
    }
    const told = diagnosisInUserWords(fellBack, 'en')
    expect(told.causes.map((c) => [c.id, c.rank])).toEqual([['sent_by_other_channel', 1]])
    expect(told.summary).toBe(
      'We called you with the code instead. Answer the call from us and listen for the code.',
    )
  })

  it('without a cause, says so in the language asked for', () => {
    const approved: Diagnosis = { ...diagnosis, status: 'approved', summary_user: 'accepted', causes: [] }
    expect(diagnosisInUserWords(approved, 'fr').summary).toBe(USER_WORDS.fr.summaries.approved)
    expect(diagnosisInUserWords({ ...approved, status: 'pending' }, 'es').summary).toBe(
      USER_WORDS.es.summaries.noProblem,
    )
  })
})

describe('phoneProblemInUserWords and formatWait', () => {
  it('gives the inline problem and the did-you-mean line', () => {
    expect(phoneProblemInUserWords('too_short', 'ru')).toEqual({
      message: 'Номер слишком короткий.',
      did_you_mean: null,
    })
    expect(
      phoneProblemInUserWords('trunk_prefix_after_country_code', 'en', '+44 7700 900123').did_you_mean,
    ).toBe('Did you mean +44 7700 900123?')
  })
  it('formats waits in seconds, minutes or hours', () => {
    expect(formatWait(45, 'en')).toBe('45 seconds')
    expect(formatWait(240, 'en')).toBe('4 minutes')
    expect(formatWait(7200, 'en')).toBe('2 hours')
  })
})
