/**
 * @module The process's own figures in `/metrics`: resident memory, V8 heap, CPU time and garbage
 * collection pauses, under the names every Node.js client library uses (`process_*`, `nodejs_*`),
 * so existing dashboards read them. A latency spike with a major GC in the same minute, or memory
 * that climbs with traffic, is visible here before anything else says so.
 *
 * Not prom-client's `collectDefaultMetrics`: its GC collector records only the first entry of each
 * batch the observer hands it (a busy server gets several scavenges in one batch, and all but
 * the first went uncounted), and it brings event-loop lag gauges that count their own sampling
 * period, which `event-loop-delay.ts` exists to subtract.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks'
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

/** Pause buckets, in seconds: a young-generation scavenge takes 1-10 ms, a major GC's final pause 5-30 ms. */
const GC_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1]

const GC_KINDS: ReadonlyMap<number, string> = new Map([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
])

/**
 * Registers `process_resident_memory_bytes`, `nodejs_heap_size_used_bytes`,
 * `nodejs_heap_size_total_bytes`, `nodejs_external_memory_bytes`, `process_cpu_seconds_total`
 * (with `process_cpu_user_seconds_total` and `process_cpu_system_seconds_total`) and the
 * `nodejs_gc_duration_seconds{kind}` histogram (minor, major, incremental, weakcb).
 * @returns a function that stops observing collections
 */
export function registerRuntimeMetrics(registry: Registry): () => void {
  const registers = [registry]
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage.rss())
    },
  })
  // memoryUsage() per gauge: a few microseconds a scrape, and no state shared between collects.
  new Gauge({
    name: 'nodejs_heap_size_used_bytes',
    help: 'V8 heap in use, in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage().heapUsed)
    },
  })
  new Gauge({
    name: 'nodejs_heap_size_total_bytes',
    help: 'V8 heap reserved, in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage().heapTotal)
    },
  })
  new Gauge({
    name: 'nodejs_external_memory_bytes',
    help: 'Memory of C++ objects bound to JavaScript objects (buffers, SQLite statements), in bytes.',
    registers,
    collect() {
      this.set(process.memoryUsage().external)
    },
  })

  // Counters moved on by process.cpuUsage() (time since the process started). The total, registered
  // first, moves all three in its collect, so none of them is exposed a scrape late.
  let cpuBefore = { user: 0, system: 0 }
  new Counter({
    name: 'process_cpu_seconds_total',
    help: 'User and system CPU time, in seconds.',
    registers,
    collect() {
      const now = process.cpuUsage()
      const user = (now.user - cpuBefore.user) / 1e6
      const system = (now.system - cpuBefore.system) / 1e6
      cpuBefore = now
      cpuUser.inc(user)
      cpuSystem.inc(system)
      this.inc(user + system)
    },
  })
  const cpuUser = new Counter({
    name: 'process_cpu_user_seconds_total',
    help: 'User CPU time, in seconds.',
    registers,
  })
  const cpuSystem = new Counter({
    name: 'process_cpu_system_seconds_total',
    help: 'System CPU time, in seconds.',
    registers,
  })

  const gc = new Histogram({
    name: 'nodejs_gc_duration_seconds',
    help: 'Garbage collection pauses by kind (minor, major, incremental, weakcb), in seconds.',
    labelNames: ['kind'],
    buckets: GC_BUCKETS,
    registers,
  })
  const observer = new PerformanceObserver((list) => {
    // Every entry: the observer delivers collections in batches, several scavenges at a time.
    for (const entry of list.getEntries()) {
      const kind = GC_KINDS.get((entry as { detail?: { kind?: number } }).detail?.kind ?? -1)
      if (kind) gc.observe({ kind }, entry.duration / 1000)
    }
  })
  observer.observe({ entryTypes: ['gc'] })
  return () => observer.disconnect()
}
