/**
 * @module Event-loop delay gauges from `perf_hooks.monitorEventLoopDelay`: how long ready callbacks
 * (requests, timers, receipts) waited for the loop between two scrapes. A blocked loop stalls every
 * request at once, so this is the first figure to watch when latency jumps.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Gauge, type Registry } from 'prom-client'

const QUANTILES = [0.5, 0.9, 0.99] as const
/** Sampling resolution of the monitor, in ms: finer costs a timer wake-up per period. */
const RESOLUTION_MS = 10

/**
 * Registers `verigate_event_loop_delay_seconds{quantile}` and `verigate_event_loop_delay_max_seconds`,
 * both over the time since the previous scrape (the histogram is reset after each one, so with
 * several scrapers each sees the delays since whichever scraped last).
 * @returns a function that stops the monitor
 */
export function registerEventLoopDelay(registry: Registry): () => void {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  histogram.enable()
  const max = new Gauge({
    name: 'verigate_event_loop_delay_max_seconds',
    help: 'Longest event-loop delay since the previous scrape.',
    registers: [registry],
  })
  new Gauge({
    name: 'verigate_event_loop_delay_seconds',
    help: 'Event-loop delay quantiles since the previous scrape (perf_hooks.monitorEventLoopDelay).',
    labelNames: ['quantile'] as const,
    registers: [registry],
    collect() {
      // No sample yet (a scrape right after start): report nothing rather than a made-up 0.
      if (histogram.count === 0) return
      for (const q of QUANTILES) this.set({ quantile: String(q) }, histogram.percentile(q * 100) / 1e9)
      max.set(histogram.max / 1e9)
      histogram.reset()
    },
  })
  return () => histogram.disable()
}
