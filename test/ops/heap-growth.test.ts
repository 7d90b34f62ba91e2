/**
 * `heap.growthPercent` reaches V8 in a running process: the same workload, which leaves garbage in
 * the old generation, runs far fewer full collections with room to grow than without. Each run is
 * a fresh process (the flag is process-wide), importing the built module as `verigate serve` does.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { applyHeapGrowth } from '../../src/health/heap-growth.js'

const MODULE = fileURLToPath(new URL('../../dist/health/heap-growth.js', import.meta.url))

// A live set of ~40 MB, then objects that outlive two scavenges before they die (what a busy
// server promotes), counting the full collections.
const WORKLOAD = `
import { PerformanceObserver, constants } from 'node:perf_hooks'
const { applyHeapGrowth } = await import(process.argv[1])
applyHeapGrowth(Number(process.argv[2]))
let majors = 0
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++
}).observe({ entryTypes: ['gc'] })
const live = Array.from({ length: 200_000 }, (_, i) => ({ i, s: 'live ' + i, pad: new Array(8).fill(i) }))
const ring = new Array(400_000)
for (let i = 0; i < 4_000_000; i++) ring[i % ring.length] = { i, s: 'n' + i, a: [i, i] }
// live is read at the end so it stays alive through the loop.
setTimeout(() => process.stdout.write(live.length > 0 ? String(majors) : 'NaN'), 50)
`

function fullCollections(growthPercent: number): number {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', WORKLOAD, MODULE, String(growthPercent)],
    {
      encoding: 'utf8',
    },
  )
  return Number(out)
}

describe('applyHeapGrowth', () => {
  it('sets how far the old generation grows between full collections', () => {
    const tight = fullCollections(10)
    const roomy = fullCollections(400)
    expect(roomy).toBeGreaterThan(0)
    expect(tight).toBeGreaterThan(roomy * 2)
  }, 30_000)

  it('refuses a growth that is not a whole, non-negative per cent', () => {
    expect(() => applyHeapGrowth(-1)).toThrow(RangeError)
    expect(() => applyHeapGrowth(1.5)).toThrow(RangeError)
  })
})
