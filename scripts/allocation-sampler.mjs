// Preload for a verigate server: V8's sampling heap profiler, counting objects the GC has already
// collected too, so the profile says what each function allocates (the garbage that makes the
// young-generation collections), not only what is still alive. A CPU profile cannot show this.
// Usage (with the bench): BENCH_SERVER_NODE_ARGS=--import=./scripts/allocation-sampler.mjs
//   ALLOCATION_PROFILE_DIR=<dir> (default: the working directory). Sampling starts when the process
//   does; SIGUSR2 writes the profile so far and starts again (to keep one phase), exit writes the
//   rest. Then: node scripts/allocation-summary.mjs <file> <flows> [top].

import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { join } from 'node:path'

const dir = process.env.ALLOCATION_PROFILE_DIR ?? process.cwd()
const session = new Session()
session.connect()
let part = 0

function start() {
  // One sample per 8 KiB allocated on average: enough for per-flow figures over a few thousand flows.
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 8192,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  })
}

function write() {
  // An in-thread session answers synchronously, so this also works inside an 'exit' listener.
  session.post('HeapProfiler.stopSampling', (err, result) => {
    if (err) return
    part++
    writeFileSync(join(dir, `allocation-${process.pid}-${part}.json`), JSON.stringify(result.profile))
  })
}

start()
process.on('SIGUSR2', () => {
  write()
  start()
})
process.on('exit', write)
