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
  /**
   * Starts old enough that nearly everyone who will enter a code has (SETTLED_DELAYS x the median
   * delay), and their approvals: the honest conversion, used as a baseline.
   */
  readonly settledStarts: number
  readonly settledApprovals: number
  /** Start of the oldest bucket counted (ms), or null when empty. */
  readonly since: number | null
}

export const NO_TOTALS: CohortTotals = {
  starts: 0,
  approvals: 0,
  matured: 0,
  settledStarts: 0,
  settledApprovals: 0,
  since: null,
}

/** Median of an Erlang-2 delay, in units of its stage mean: solves 1 - (1 + x) e^-x = 1/2. */
const ERLANG2_MEDIAN = 1.678_346_99

/** Age (in median delays) after which a cohort counts as settled: 99.4% of its approvals are in. */
export const SETTLED_DELAYS = 4

/**
 * The share of a cohort's eventual approvals made by age `ageMs`, when half are made by
 * `medianMs`. The time to approve is the SMS's delivery plus the person's reading and typing, two
 * stages one after the other, so it is modelled as an Erlang-2 (the sum of two exponential
 * stages): almost nothing in the first seconds (a code cannot be typed before it arrives), then
 * rising. Slow at first on purpose: a fresh burst weighs almost nothing until its codes could be in.
 */
export function chanceToHaveConverted(ageMs: number, medianMs: number): number {
  if (ageMs <= 0) return 0
  const x = (ageMs * ERLANG2_MEDIAN) / medianMs
  return 1 - (1 + x) * Math.exp(-x)
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
  let settledStarts = 0
  let settledApprovals = 0
  let oldest = Number.POSITIVE_INFINITY
  for (const b of buckets) {
    starts += b.starts
    approvals += b.approvals
    // Every start of a bucket is taken to be as young as the bucket's end allows: never older than
    // it is, so a cohort is never held to codes it has not had the time to receive and type.
    const youngest = now - (b.bucket + 1) * bucketMs
    matured += b.starts * chanceToHaveConverted(youngest, approvalDelayMs)
    if (youngest >= SETTLED_DELAYS * approvalDelayMs) {
      settledStarts += b.starts
      settledApprovals += b.approvals
    }
    if (b.starts > 0 && b.bucket < oldest) oldest = b.bucket
  }
  return {
    starts,
    approvals,
    matured,
    settledStarts,
    settledApprovals,
    since: Number.isFinite(oldest) ? oldest * bucketMs : null,
  }
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
  const end = (Math.floor(at / bucketMs) + 1) * bucketMs
  return {
    ...t,
    starts: Math.max(0, t.starts - 1),
    matured: Math.max(0, t.matured - chanceToHaveConverted(now - end, approvalDelayMs)),
  }
}

function minus(a: CohortTotals, b: CohortTotals): CohortTotals {
  return {
    starts: Math.max(0, a.starts - b.starts),
    approvals: Math.max(0, a.approvals - b.approvals),
    matured: Math.max(0, a.matured - b.matured),
    settledStarts: Math.max(0, a.settledStarts - b.settledStarts),
    settledApprovals: Math.max(0, a.settledApprovals - b.settledApprovals),
    since: a.since,
  }
}

/**
 * The conversion a key is held to: that of the rest of its parent (a range against the rest of its
 * country, a country or an IP against the rest of the service), else the rest of the service,
 * counted on settled starts only (all the codes that will be entered are in) once there are
 * `minStarts` of them; else the configured default. Never below the floor, so
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
    if (rest.settledStarts >= config.minStarts) {
      rate = Math.min(1, rest.settledApprovals / rest.settledStarts)
      from = p.from
      break
    }
  }
  return rate < config.floor ? { rate: config.floor, from: 'floor' } : { rate, from }
}

/**
 * How the rest of the service converts right now, on the same weighing (approvals over matured
 * starts), or null when it has too few matured starts to say. When codes are slow to arrive for
 * everyone (a provider outage, a delivery backlog) this drops too, and the key is held to it
 * instead of to the baseline: a key is suspect for being far below its peers, not for sharing
 * their bad day.
 */
export function peerRate(service: CohortTotals, key: CohortTotals, minMatured: number): number | null {
  const rest = minus(service, key)
  return rest.matured >= minMatured ? Math.min(1, rest.approvals / rest.matured) : null
}

/** The verdict on one key: the evidence of a suspect key, or undefined when it looks healthy. */
export function judge(
  key: CohortTotals,
  baseline: { rate: number; from: FraudEvidence['baselineFrom'] },
  config: Pick<FraudConfig, 'minExpectedApprovals' | 'suspectRatio'> & { unprovenRangeStarts: number },
  peers: number | null = null,
): FraudEvidence | undefined {
  const expected = Math.min(baseline.rate, peers ?? 1) * key.matured
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
