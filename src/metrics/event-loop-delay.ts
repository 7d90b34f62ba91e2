/**
 * @module Event-loop delay gauges from `perf_hooks.monitorEventLoopDelay`: how long ready callbacks
 * (requests, timers, receipts) waited for the loop between two scrapes. A blocked loop stalls every
 * request at once, so this is the first figure to watch when latency jumps.
 */
import { createHistogram, monitorEventLoopDelay } from 'node:perf_hooks'
import { Gauge, type Registry } from 'prom-client'

const QUANTILES = [0.5, 0.9, 0.99] as const
/**
 * Sampling period of the monitor, in ms. The monitor records the time between two of its timer's
 * callbacks, so a sample is this period plus the delay; the gauges subtract it. A block of B ms
 * then reads B minus up to one period (the timer may come due partway into it), so a coarse
 * period hides that much of a stall: at 10 ms a 20 ms block could read anywhere from 10 to 20 ms.
 * Sampling every 2 ms instead of 10 costs an idle process about 0.2 % of a core more in timer
 * wake-ups (1.3 against 1.1 % for a process doing nothing else, measured on a 2-core VM).
 */
export const EVENT_LOOP_SAMPLE_MS = 2
/** Period of the hrtime ticker that catches blocks the monitor misses (below). */
const TICKER_MS = 10

interface DelaySnapshot {
  readonly maxSeconds: number
  readonly quantileSeconds: ReadonlyMap<number, number>
}

/**
 * Registers `verigate_event_loop_delay_seconds{quantile}` and `verigate_event_loop_delay_max_seconds`,
 * both over the time since the previous scrape (the histogram is reset after each one, so with
 * several scrapers each sees the delays since whichever scraped last).
 * @returns a function that stops the monitor
 */
export function registerEventLoopDelay(registry: Registry): () => void {
  const histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_MS })
  histogram.enable()
  // Node 20's monitor misses a block that runs inside the timers phase ahead of its own timer (a
  // 120 ms busy loop after an awaited setTimeout shows as 10 ms): it measures on the loop's cached
  // clock. A plain interval timed with hrtime sees every block, so the max is the larger of the two.
  const gaps = createHistogram()
  let lastTick = process.hrtime.bigint()
  const ticker = setInterval(() => {
    const now = process.hrtime.bigint()
    const lateNs = Number(now - lastTick) - TICKER_MS * 1e6
    if (lateNs > 0) gaps.record(lateNs)
    lastTick = now
  }, TICKER_MS)
  ticker.unref()
  // Both gauges read one snapshot per scrape, taken by whichever is collected first. Setting one
  // gauge from the other's collect (as this did) reported each max one scrape late, so a scrape
  // after a quiet minute showed the stall of the minute before.
  let snapshot: DelaySnapshot | undefined
  const take = (): DelaySnapshot | undefined => {
    if (snapshot) return snapshot
    // No sample yet (a scrape right after start): report nothing rather than a made-up 0.
    if (histogram.count === 0) return undefined
    // A sample is the monitor's period plus the delay: an idle loop samples ~2 ms, which is no
    // delay at all (reported as such, it made an idle server's median delay read 10 ms).
    const delayNs = (sampleNs: number) => Math.max(0, sampleNs - EVENT_LOOP_SAMPLE_MS * 1e6)
    snapshot = {
      maxSeconds: Math.max(delayNs(histogram.max), gaps.count > 0 ? gaps.max : 0) / 1e9,
      quantileSeconds: new Map(QUANTILES.map((q) => [q, delayNs(histogram.percentile(q * 100)) / 1e9])),
    }
    histogram.reset()
    gaps.reset()
    // One scrape's collects run in the same turn; the next scrape takes a new snapshot.
    setImmediate(() => {
      snapshot = undefined
    })
    return snapshot
  }
  new Gauge({
    name: 'verigate_event_loop_delay_max_seconds',
    help: 'Longest event-loop delay since the previous scrape.',
    registers: [registry],
    collect() {
      const s = take()
      if (s) this.set(s.maxSeconds)
    },
  })
  new Gauge({
    name: 'verigate_event_loop_delay_seconds',
    help: 'Event-loop delay quantiles since the previous scrape (perf_hooks.monitorEventLoopDelay).',
    labelNames: ['quantile'] as const,
    registers: [registry],
    collect() {
      const s = take()
      if (s) for (const [q, v] of s.quantileSeconds) this.set({ quantile: String(q) }, v)
    },
  })
  return () => {
    histogram.disable()
    clearInterval(ticker)
  }
}
