/**
 * @module The fraud guard's arithmetic: how many of a key's starts have matured (had the chance to
 * be converted), the baseline they are compared with, and the verdict. Pure functions of the
 * bucketed counts, so they are tested without a clock or a store.
 */
import type { FraudConfig } from './fraud-config.js'
import { BUCKETS, type CohortBucket, type FraudEvidence } from './fraud-store.js'

/** A key's totals over the window. */
export interface CohortTotals {
  readonly starts: number
  readonly approvals: number
  /**
   * Starts weighed by the chance each has had to be converted: a start `a` ms old counts
   * `1 - 2^(-a / approvalDelay)`. A burst of fresh starts weighs almost nothing until people have
   * had time to type their codes; a start several delays old weighs almost 1.
   */
  readonly matured: number
  /** Start of the oldest bucket counted (ms), or null when empty. */
  readonly since: number | null
}

export const NO_TOTALS: CohortTotals = { starts: 0, approvals: 0, matured: 0, since: null }

export function chanceToHaveConverted(ageMs: number, approvalDelayMs: number): number {
  return ageMs <= 0 ? 0 : 1 - 2 ** (-ageMs / approvalDelayMs)
}

export function totalsOf(
  buckets: readonly CohortBucket[],
  now: number,
  windowMs: number,
  approvalDelayMs: number,
): CohortTotals {
  const bucketMs = windowMs / BUCKETS
  let starts = 0
  let approvals = 0
  let matured = 0
  let oldest = Number.POSITIVE_INFINITY
  for (const b of buckets) {
    starts += b.starts
    approvals += b.approvals
    // The bucket's middle stands for its starts' age (a start is at most half a bucket off).
    matured += b.starts * chanceToHaveConverted(now - (b.bucket + 0.5) * bucketMs, approvalDelayMs)
    if (b.starts > 0 && b.bucket < oldest) oldest = b.bucket
  }
  return { starts, approvals, matured, since: Number.isFinite(oldest) ? oldest * bucketMs : null }
}

/**
 * Totals without one start made at `at` (the start being judged, already counted so concurrent
 * starts see it): it is judged on what was sent before it, and told so.
 */
export function withoutStart(
  t: CohortTotals,
  at: number,
  now: number,
  windowMs: number,
  approvalDelayMs: number,
): CohortTotals {
  const bucketMs = windowMs / BUCKETS
  const middle = (Math.floor(at / bucketMs) + 0.5) * bucketMs
  return {
    ...t,
    starts: Math.max(0, t.starts - 1),
    matured: Math.max(0, t.matured - chanceToHaveConverted(now - middle, approvalDelayMs)),
  }
}

function minus(a: CohortTotals, b: CohortTotals): CohortTotals {
  return {
    starts: Math.max(0, a.starts - b.starts),
    approvals: Math.max(0, a.approvals - b.approvals),
    matured: Math.max(0, a.matured - b.matured),
    since: a.since,
  }
}

/**
 * The conversion a key is held to: that of the rest of its parent (a range against the rest of its
 * country, a country or an IP against the rest of the service), else the rest of the service,
 * when enough starts have matured there; else the configured default. Never below the floor, so
 * an attack that dominates a country cannot lower the bar it is judged by. The key's own traffic is
 * left out: a ring's range must not vouch for itself.
 */
export function baselineFor(
  key: CohortTotals,
  parents: readonly { readonly from: 'country' | 'service'; readonly totals: CohortTotals }[],
  config: FraudConfig['baseline'],
): { rate: number; from: FraudEvidence['baselineFrom'] } {
  let rate = config.default
  let from: FraudEvidence['baselineFrom'] = 'default'
  for (const p of parents) {
    const rest = minus(p.totals, key)
    if (rest.matured >= config.minStarts) {
      rate = Math.min(1, rest.approvals / rest.matured)
      from = p.from
      break
    }
  }
  return rate < config.floor ? { rate: config.floor, from: 'floor' } : { rate, from }
}

/** The verdict on one key: the evidence of a suspect key, or undefined when it looks healthy. */
export function judge(
  key: CohortTotals,
  baseline: { rate: number; from: FraudEvidence['baselineFrom'] },
  config: Pick<FraudConfig, 'minExpectedApprovals' | 'suspectRatio'> & { unprovenRangeStarts: number },
): FraudEvidence | undefined {
  const expected = baseline.rate * key.matured
  const conversion = key.matured >= 1 ? Math.min(1, key.approvals / key.matured) : null
  const evidence = (rule: FraudEvidence['rule']): FraudEvidence => ({
    starts: key.starts,
    approvals: key.approvals,
    expected: Math.round(expected * 10) / 10,
    conversion: conversion === null ? null : Math.round(conversion * 1000) / 1000,
    baseline: Math.round(baseline.rate * 1000) / 1000,
    baselineFrom: baseline.from,
    rule,
  })
  if (expected >= config.minExpectedApprovals && key.approvals < expected * config.suspectRatio)
    return evidence('low_conversion')
  if (config.unprovenRangeStarts > 0 && key.starts >= config.unprovenRangeStarts && key.approvals === 0)
    return evidence('unproven_burst')
  return undefined
}
