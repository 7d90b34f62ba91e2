/**
 * `verigate serve` tells the operator when V8's garbage-collection helpers can stall it (a machine
 * of 2 CPUs or fewer, node started without a flag capping them) and is silent when the flag was
 * given through NODE_OPTIONS, as docs/operations.md tells operators to do. Likewise for the flags
 * that keep the heap through a quiet period, which only node's command line admits.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { npmStartFlags } from '../../src/bench/start-flags.js'
import { startServerProcess } from '../helpers/server-process.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function startupOutput(env: Record<string, string>, nodeArgs: string[] = []): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-gc-advice-'))
  dirs.push(dir)
  const server = await startServerProcess({ VERIGATE_DATA_DIR: dir, ...env }, [], { nodeArgs })
  // The warning is written right after the banner, which readiness already waited for.
  await new Promise((r) => setTimeout(r, 300))
  await server.kill()
  return server.output()
}

describe('verigate serve and V8 garbage-collection helpers', () => {
  it.runIf(availableParallelism() <= 2)(
    'warns, naming the flag and the doc, when started without it on 2 CPUs or fewer',
    async () => {
      const out = await startupOutput({})
      expect(out).toMatch(
        /garbage-collection helper threads.*NODE_OPTIONS=--v8-pool-size=1.*docs\/operations\.md/,
      )
    },
    30_000,
  )

  it('says nothing when NODE_OPTIONS caps the helpers', async () => {
    const out = await startupOutput({ NODE_OPTIONS: '--v8-pool-size=1' })
    expect(out).toContain('verigate is running')
    expect(out).not.toContain('garbage-collection helper')
  }, 30_000)

  it('warns, naming the flags and the doc, when node was started without the idle-heap flags', async () => {
    const out = await startupOutput({ NODE_OPTIONS: '--v8-pool-size=1' })
    expect(out).toMatch(
      /without --no-memory-reducer --min-semi-space-size=16: .*NODE_OPTIONS does not admit them.*docs\/operations\.md/,
    )
  }, 30_000)

  it('says nothing when started as npm start starts it', async () => {
    const out = await startupOutput({}, npmStartFlags())
    expect(out).toContain('verigate is running')
    expect(out).not.toContain('garbage-collection helper')
    expect(out).not.toContain('--no-memory-reducer')
  }, 30_000)
})
