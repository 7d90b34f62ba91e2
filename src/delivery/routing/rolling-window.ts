/**
 * @module RollingWindow: outcome counts and a receipt-latency histogram over a sliding time window,
 * held in a fixed ring of time slices, so recording is O(1) and memory does not grow with traffic.
 */

/** Time slices per window: a sample is forgotten between `windowMs - windowMs / SLICES` and `windowMs` of age. */
export const SLICES = 30

/**
 * Latency bins: bin 0 holds [0, 1) ms, bin k holds [1.25^(k-1), 1.25^k) ms, the last bin everything
 * from about 18 minutes up. The median is read from its bin (see {@link RollingWindow.latencyP50}).
 */
export const LATENCY_BINS = 64
const BIN_RATIO_LOG = Math.log(1.25)

function latencyBin(ms: number): number {
  if (!(ms >= 1)) return 0
  return Math.min(LATENCY_BINS - 1, Math.floor(Math.log(ms) / BIN_RATIO_LOG) + 1)
}

/** Totals over the window, as of the last `advance`. */
export interface WindowTotals {
  readonly samples: number
  readonly failures: number
}

/**
 * A sliding window of `windowMs` split into {@link SLICES} slices. Each slice keeps its own counts;
 * running totals are kept beside them, and a slice's counts are subtracted when time moves past it.
 *
 * Cost: a record touches one slice and the totals; moving time forward clears at most SLICES slices,
 * whatever happened before (a burst of a million samples and a long lull cost the same as one
 * sample). Memory is fixed: SLICES x (2 + 2 x LATENCY_BINS) numbers.
 *
 * Precision: counts are exact for the slices held; the window's edge moves in steps of
 * `windowMs / SLICES`, so a sample is forgotten at some age between `windowMs - windowMs / SLICES` and
 * `windowMs` (never later). The latency median is within its 25 %-wide bin (see `latencyP50`).
 */
export class RollingWindow {
  readonly #windowMs: number
  /** Absolute index of the newest slice (`floor(now * SLICES / windowMs)`), or -Infinity before the first use. */
  #head = Number.NEGATIVE_INFINITY
  readonly #samples = new Uint32Array(SLICES)
  readonly #failures = new Uint32Array(SLICES)
  /** Per slice: latency count and sum per bin, `slice * LATENCY_BINS + bin`. */
  readonly #latencyCounts = new Uint32Array(SLICES * LATENCY_BINS)
  readonly #latencySums = new Float64Array(SLICES * LATENCY_BINS)
  readonly #latenciesInSlice = new Uint32Array(SLICES)
  #totalSamples = 0
  #totalFailures = 0
  readonly #totalLatencyCounts = new Uint32Array(LATENCY_BINS)
  readonly #totalLatencySums = new Float64Array(LATENCY_BINS)
  #totalLatencies = 0
  #slicesCleared = 0

  /** @param windowMs length of the window; a positive integer. */
  constructor(windowMs: number) {
    if (!Number.isSafeInteger(windowMs) || windowMs < 1) {
      throw new RangeError(`windowMs must be a positive integer, got ${windowMs}`)
    }
    this.#windowMs = windowMs
  }

  /** Counts one outcome at `now` (milliseconds since the epoch). */
  record(now: number, ok: boolean): void {
    const slot = this.#advance(now)
    this.#samples[slot]!++
    this.#totalSamples++
    if (!ok) {
      this.#failures[slot]!++
      this.#totalFailures++
    }
  }

  /** Adds one latency observation (milliseconds, >= 0) at `now`. */
  recordLatency(now: number, ms: number): void {
    const slot = this.#advance(now)
    const bin = latencyBin(ms)
    const cell = slot * LATENCY_BINS + bin
    this.#latencyCounts[cell]!++
    this.#latencySums[cell]! += ms
    this.#latenciesInSlice[slot]!++
    this.#totalLatencyCounts[bin]!++
    this.#totalLatencySums[bin]! += ms
    this.#totalLatencies++
  }

  /** Outcome totals over the window ending at `now`. */
  totals(now: number): WindowTotals {
    this.#advance(now)
    return { samples: this.#totalSamples, failures: this.#totalFailures }
  }

  /**
   * The lower median of the latencies in the window ending at `now` (the same rank as sorting them
   * and taking element `floor((n - 1) / 2)`), or null when there are none. It is the mean of the
   * observations in the median's bin: exact when that bin holds one distinct value, otherwise within
   * that bin's range (25 % of its value).
   */
  latencyP50(now: number): number | null {
    this.#advance(now)
    if (this.#totalLatencies === 0) return null
    const rank = Math.floor((this.#totalLatencies - 1) / 2)
    let seen = 0
    for (let bin = 0; bin < LATENCY_BINS; bin++) {
      const n = this.#totalLatencyCounts[bin]!
      seen += n
      if (seen > rank) return this.#totalLatencySums[bin]! / n
    }
    return null
  }

  /**
   * Forgets the outcomes but keeps the latencies: a circuit that closes starts counting failures
   * afresh, while how fast receipts come back on the route is still true.
   */
  clearOutcomes(): void {
    this.#samples.fill(0)
    this.#failures.fill(0)
    this.#totalSamples = 0
    this.#totalFailures = 0
  }

  /**
   * How many slices have been cleared as time moved on, since construction. It grows by at most
   * SLICES per call whatever the traffic was: the observable proof that no call walks past samples.
   */
  get slicesCleared(): number {
    return this.#slicesCleared
  }

  /** Moves the newest slice to `now`, clearing the slices that left the window; returns the slot of `now`. */
  #advance(now: number): number {
    const index = Math.floor((now * SLICES) / this.#windowMs)
    // A clock that steps back counts into the newest slice instead of reopening old ones.
    if (index > this.#head) {
      const steps = Math.min(index - this.#head, SLICES)
      for (let i = 1; i <= steps; i++) this.#clearSlice(mod(index - steps + i, SLICES))
      this.#head = index
    }
    return mod(this.#head, SLICES)
  }

  #clearSlice(slot: number): void {
    this.#slicesCleared++
    this.#totalSamples -= this.#samples[slot]!
    this.#totalFailures -= this.#failures[slot]!
    this.#samples[slot] = 0
    this.#failures[slot] = 0
    if (this.#latenciesInSlice[slot] === 0) return
    const base = slot * LATENCY_BINS
    for (let bin = 0; bin < LATENCY_BINS; bin++) {
      const n = this.#latencyCounts[base + bin]!
      if (n === 0) continue
      const left = this.#totalLatencyCounts[bin]! - n
      this.#totalLatencyCounts[bin] = left
      // Sums are floats: reset an emptied bin to 0 rather than let rounding drift accumulate.
      this.#totalLatencySums[bin] =
        left === 0 ? 0 : this.#totalLatencySums[bin]! - this.#latencySums[base + bin]!
      this.#latencyCounts[base + bin] = 0
      this.#latencySums[base + bin] = 0
    }
    this.#totalLatencies -= this.#latenciesInSlice[slot]!
    this.#latenciesInSlice[slot] = 0
  }
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m
}
