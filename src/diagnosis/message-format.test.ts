import { describe, expect, it } from 'vitest'
import { channel, duration } from './finding.js'
import { formatActions, formatMessage, formatSentences, presentValues } from './message-format.js'

describe('formatMessage', () => {
  it('fills placeholders, plurals and selects', () => {
    const plural = '{n, plural, =0 {none left} one {# code left} other {# codes left}}'
    expect(formatMessage('en', plural, { n: 0 })).toBe('none left')
    expect(formatMessage('en', plural, { n: 1 })).toBe('1 code left')
    expect(formatMessage('en', plural, { n: 3 })).toBe('3 codes left')
    expect(formatMessage('en', 'It comes from "{sender}".', { sender: 'ACME' })).toBe('It comes from "ACME".')
    expect(formatMessage('en', "We can't {x, select, yes {call} other {text}} you", { x: 'yes' })).toBe(
      "We can't call you",
    )
  })

  it('is undefined when a value it needs is missing, but not for a branch it does not take', () => {
    expect(formatMessage('en', 'Wait {wait}', {})).toBeUndefined()
    expect(formatMessage('en', 'Wait {wait}', { wait: undefined })).toBeUndefined()
    expect(formatMessage('en', '{k, select, yes {from {sender}} other {from us}}', { k: 'no' })).toBe(
      'from us',
    )
  })

  it('throws on a malformed template, so a catalog typo fails its test', () => {
    expect(() => formatMessage('en', 'Wait {wait', { wait: '1' })).toThrow()
  })

  it('treats < as text', () => {
    expect(formatMessage('en', 'a <b> c', {})).toBe('a <b> c')
  })
})

describe('formatSentences and formatActions', () => {
  it('leave out the sentences and actions without their values, and the empty ones', () => {
    const values = { sender: 'ACME', voice: 'no' }
    expect(formatSentences('en', 'Stopped.|It came from {sender}.|Wait {wait}.', values)).toBe(
      'Stopped. It came from ACME.',
    )
    expect(
      formatActions(
        'en',
        ['Allow {sender}', 'Wait {wait}', '{voice, select, yes {Call} other {}}', 'Retry'],
        values,
      ),
    ).toEqual(['Allow ACME', 'Retry'])
  })
})

describe('presentValues', () => {
  it('says tagged values the reader’s way and adds <key>_known', () => {
    const shown = presentValues(
      { wait: duration(90_000), channel: channel('sms'), sender: undefined, n: 2 },
      {
        duration: (ms) => `${ms / 1000}s`,
        clock: () => 'noon',
        country: (c) => c,
        channel: (c) => `a ${c}`,
      },
    )
    expect(shown).toEqual({
      wait: '90s',
      wait_known: 'yes',
      channel: 'a sms',
      channel_known: 'yes',
      sender: undefined,
      sender_known: 'no',
      n: 2,
      n_known: 'yes',
    })
  })
})
