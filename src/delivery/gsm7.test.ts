import { describe, expect, it } from 'vitest'
import { encodingFor, isGsm7, segmentCount, splitSegments } from './gsm7.js'

describe('isGsm7 / encodingFor', () => {
  it('accepts the default alphabet and the extension table', () => {
    expect(isGsm7('Your verigate code is 123456.\n\n@login.example.com #123456')).toBe(true)
    expect(isGsm7('naïve')).toBe(false) // ï is not in the table, though ä, ö and ü are
    expect(isGsm7('ÄÖÑÜ§¿äöñüà £$¥ èéùìò ΔΦΓΛΩΠΨΣΘΞ')).toBe(true)
    expect(isGsm7('€ ^ { } \\ [ ] ~ |')).toBe(true)
    expect(encodingFor('Code 123456')).toBe('gsm7')
  })

  it('switches to UCS-2 for anything outside GSM-7', () => {
    expect(encodingFor('Ваш код 123456')).toBe('ucs2')
    expect(encodingFor('Code 123456 🙂')).toBe('ucs2')
    // Look-alikes that silently switch an English template to UCS-2.
    expect(encodingFor('It’s 123456')).toBe('ucs2')
    expect(encodingFor('Code\u00a0123456')).toBe('ucs2')
    expect(encodingFor('ç')).toBe('ucs2') // only upper-case Ç is in the default table
  })
})

describe('segmentCount', () => {
  it('GSM-7: 160 in one, 153 per part after that', () => {
    expect(segmentCount('')).toBe(1)
    expect(segmentCount('a'.repeat(160))).toBe(1)
    expect(segmentCount('a'.repeat(161))).toBe(2)
    expect(segmentCount('a'.repeat(306))).toBe(2)
    expect(segmentCount('a'.repeat(307))).toBe(3)
    expect(segmentCount('a'.repeat(459))).toBe(3)
    expect(segmentCount('a'.repeat(460))).toBe(4)
  })

  it('GSM-7 extension characters count two septets', () => {
    expect(segmentCount('€'.repeat(80))).toBe(1)
    expect(segmentCount('€'.repeat(81))).toBe(2)
    expect(segmentCount(`${'a'.repeat(159)}€`)).toBe(2)
    expect(segmentCount(`${'a'.repeat(158)}€`)).toBe(1)
  })

  it('never splits an escape pair across parts', () => {
    // 152 plain + one € = 154 septets in part one if split naively; the € moves to part two.
    const parts = splitSegments(`${'a'.repeat(152)}€${'b'.repeat(10)}`)
    expect(parts).toEqual([`${'a'.repeat(152)}`, `€${'b'.repeat(10)}`])
    // 153 × 2 = 306 septets of € pairs: 76 per part (152 septets), so 3 parts, not 2.
    expect(segmentCount('€'.repeat(153))).toBe(3)
  })

  it('UCS-2: 70 in one, 67 per part after that', () => {
    expect(segmentCount('ж'.repeat(70))).toBe(1)
    expect(segmentCount('ж'.repeat(71))).toBe(2)
    expect(segmentCount('ж'.repeat(134))).toBe(2)
    expect(segmentCount('ж'.repeat(135))).toBe(3)
    // One non-GSM character makes the whole message UCS-2.
    expect(segmentCount(`${'a'.repeat(70)}`)).toBe(1)
    expect(segmentCount(`${'a'.repeat(70)}ж`)).toBe(2)
  })

  it('UCS-2 counts surrogate pairs as two units and never splits them', () => {
    expect(segmentCount('🙂'.repeat(35))).toBe(1)
    expect(segmentCount('🙂'.repeat(36))).toBe(2)
    const parts = splitSegments(`${'ж'.repeat(66)}🙂`)
    expect(parts).toHaveLength(1) // 68 units fit one SMS
    const long = splitSegments(`${'ж'.repeat(66)}🙂${'ж'.repeat(10)}`)
    expect(long).toEqual([`${'ж'.repeat(66)}`, `🙂${'ж'.repeat(10)}`])
  })

  it('parts join back to the original text', () => {
    const text = `Ваш код 123456. ${'Не сообщайте его никому. '.repeat(6)}`
    expect(splitSegments(text).join('')).toBe(text)
    expect(splitSegments(text).every((p) => p.length <= 67)).toBe(true)
  })
})
