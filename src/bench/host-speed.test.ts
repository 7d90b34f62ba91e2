import { describe, expect, it } from 'vitest'
import { MIN_SAMPLES, meanCpuUsBetween, type ProbeSample, parseProbeLines } from './host-speed.js'

const samples = (from: number, count: number, cpuUs: number): ProbeSample[] =>
  Array.from({ length: count }, (_, i) => ({ at: from + i * 100, cpuUs }))

describe('host probe samples', () => {
  it('parses whole lines and skips partial or foreign ones', () => {
    expect(parseProbeLines('1700000000000 812\n1700000000100 1250\nwarning: x\n17000000002')).toEqual([
      { at: 1_700_000_000_000, cpuUs: 812 },
      { at: 1_700_000_000_100, cpuUs: 1250 },
    ])
  })

  it('averages only the samples inside the window, ends included', () => {
    const all = [...samples(0, 30, 800), ...samples(10_000, 30, 1200), ...samples(20_000, 30, 800)]
    expect(meanCpuUsBetween(all, 10_000, 12_900)).toBe(1200)
    // Half slow, half fast: the mean, as a burst's CPU per flow is a mean over the burst.
    expect(meanCpuUsBetween(all, 11_500, 21_400)).toBe(1000)
  })

  it('says nothing from too few samples rather than a figure from one slow moment', () => {
    const few = samples(0, MIN_SAMPLES - 1, 900)
    expect(meanCpuUsBetween(few, 0, 10_000)).toBeUndefined()
    expect(meanCpuUsBetween([...few, { at: 5_000, cpuUs: 900 }], 0, 10_000)).toBe(900)
  })
})
