/**
 * `npm run bench` in its quick mode (BENCH_QUICK=1: phases of about a second, no soak), so the
 * bench's own code stays tested: it runs the baseline and phases 1-3 against the built server and
 * writes a result file with every figure the docs and `bench:compare` read. Needs `npm run build`.
 * With TEST_POSTGRES_URL set, the PostgreSQL phase (one instance; two APIs and a worker) runs too.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const RUN = fileURLToPath(new URL('../../dist/bench/run.js', import.meta.url))
const PG = process.env.TEST_POSTGRES_URL

describe('npm run bench, quick mode', () => {
  const out = mkdtempSync(join(tmpdir(), 'verigate-bench-results-'))
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('measures the baseline and verigate and writes the results as JSON', { timeout: 240_000 }, async () => {
    const child = spawn(process.execPath, [RUN], {
      env: {
        ...process.env,
        BENCH_QUICK: '1',
        BENCH_DURATION_MS: '1000',
        BENCH_WARMUP_MS: '200',
        BENCH_OUT_DIR: out,
        BENCH_PG: PG ? '1' : '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString()
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code, output).toBe(0)
    expect(output).toMatch(/x baseline\)/)
    expect(output).toMatch(/^RESULT flows_per_second=\d+ flows_to_baseline=/m)

    const files = readdirSync(out).filter((f) => f.endsWith('.json'))
    expect(files).toHaveLength(1)
    const r = JSON.parse(readFileSync(join(out, files[0]!), 'utf8'))
    const load = {
      flows: expect.any(Number),
      errors: 0,
      flowsPerSecond: expect.any(Number),
      startMs: {
        p50: expect.any(Number),
        p90: expect.any(Number),
        p99: expect.any(Number),
        max: expect.any(Number),
      },
      checkMs: expect.objectContaining({ p99: expect.any(Number) }),
    }
    expect(r).toMatchObject({
      version: 1,
      machine: { cpus: expect.any(Number), node: process.version },
      settings: { quick: true },
      baseline: {
        peak: load,
        atHalfLoad: { ...load, rate: expect.any(Number) },
        peakRssMb: expect.any(Number),
      },
      sqlite: {
        peak: load,
        half: {
          ...load,
          rate: expect.any(Number),
          eventLoopMaxMs: expect.any(Number),
          warmupEventLoopMaxMs: expect.any(Number),
          gcPauses: {
            minor: { count: expect.any(Number), ms: expect.any(Number) },
            major: { count: expect.any(Number), ms: expect.any(Number) },
          },
        },
        handedMs: { p50: expect.any(Number), p99: expect.any(Number) },
        peakRssMb: expect.any(Number),
        toBaseline: { flowsPerSecond: expect.any(Number), halfStartP99: expect.any(Number) },
      },
      failover: { p50Ms: expect.any(Number), p99Ms: expect.any(Number) },
    })
    expect(r.sqlite.peak.flows).toBeGreaterThan(0)
    // Read from the server's nodejs_gc_duration_seconds: a measured window of load allocates enough
    // for young-generation collections, so none counted would mean the figure is not being read.
    expect(r.sqlite.half.gcPauses.minor.count).toBeGreaterThan(0)
    if (PG) {
      expect(r.postgres).toMatchObject({
        single: { peak: load, half: load, peakRssMb: expect.any(Number) },
        multi: {
          processes: { api: 2, worker: 1 },
          peak: load,
          peakRssMb: [expect.any(Number), expect.any(Number), expect.any(Number)],
        },
        scaling: expect.any(Number),
      })
    }
  })
})
