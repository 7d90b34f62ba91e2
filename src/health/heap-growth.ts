/**
 * @module `applyHeapGrowth`: sets V8's old-generation growing factor in a running process.
 *
 * What a request leaves in the old generation (about 3 KB a flow: limit counters, caches, objects
 * alive across two scavenges) is freed only by a full mark-compact. V8 lets the old generation grow
 * to only 1.1-1.7 times what the previous one left, so under a steady 900 flows/s one came every
 * 5-7 s, and each stalled the event loop for about 50 ms in all: marking steps on the main thread,
 * a 10 ms final pause, then the requests that queued behind it. In the bench's half-load window that
 * was the difference between a start p99 of 5 and of 9-36 ms (docs/performance.md, "Tenth
 * machine"). A fixed factor makes them rarer in proportion to the memory given.
 *
 * V8 reads the flag each time it sets the next limit, after each full collection, so setting it at
 * run time takes effect from the next one; it cannot be passed in `NODE_OPTIONS`, which admits only
 * a few V8 flags, and every way of starting verigate goes through the CLI that calls this.
 */
import { setFlagsFromString } from 'node:v8'

/** `growthPercent` 0 leaves V8's own heuristic in place. */
export function applyHeapGrowth(growthPercent: number): void {
  if (!Number.isInteger(growthPercent) || growthPercent < 0)
    throw new RangeError(`heap growth must be a whole number of per cent, got ${growthPercent}`)
  if (growthPercent === 0) return
  setFlagsFromString(`--heap-growing-percent=${growthPercent}`)
}
