/**
 * `verigate keys create --service` and `verigate subjects export|erase`, run in-process against a
 * SQLite data dir seeded through the domain (no build needed).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { parseToken } from '../../src/auth/api-key.js'
import { runKeys } from '../../src/cli/commands/keys.js'
import { runSubjects } from '../../src/cli/commands/subjects.js'
import { buildTestDeps, createTestService, type TestContext } from '../helpers/test-deps.js'

const NUMBER = '+447700900321'

async function capture(fn: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk)
    return true
  })
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk)
    return true
  })
  try {
    return { code: await fn(), stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}

describe('verigate keys --service and verigate subjects', () => {
  let ctx: TestContext
  let serviceId: string
  const saved = { ...process.env }

  beforeAll(async () => {
    ctx = await buildTestDeps({ realClock: true })
    serviceId = (await createTestService(ctx.deps)).id
    await ctx.deps.verifier.start({ serviceId, to: NUMBER, channel: 'sms' })
    // The commands open the same database file; the test's process lets go of it first.
    await ctx.deps.close()
    Object.assign(process.env, {
      DATABASE_URL: ctx.db.url,
      VERIGATE_DATA_DIR: ctx.db.dataDir,
      VERIGATE_ENV: 'test',
      LOG_LEVEL: 'silent',
      VERIGATE_SECRET_KEYS: 't1:test-secret-test-secret-test-secret-0001',
    })
  })
  afterAll(async () => {
    process.env = saved
    await ctx.db.drop()
  })

  it('creates a key limited to a service, and refuses one for a service that does not exist', async () => {
    const made = await capture(() => runKeys(['create', '--scope', 'verify', '--service', serviceId]))
    expect(made.code).toBe(0)
    expect(parseToken(made.stdout.trim())).toBeDefined()
    expect(made.stderr).toContain(`services ${serviceId}`)
    const listed = await capture(() => runKeys(['list']))
    expect(listed.stdout).toContain(`\t${serviceId}\t`)
    const missing = await capture(() => runKeys(['create', '--service', 'svc_nope']))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('svc_nope')
  })

  it('exports, then erases a number (with a reason), audited as the CLI', async () => {
    const exported = await capture(() => runSubjects(['export', NUMBER]))
    expect(exported.code).toBe(0)
    const body = JSON.parse(exported.stdout)
    expect(body.tables.verifications).toHaveLength(1)
    expect(body.tables.verifications[0].destination).toBe(NUMBER)

    const noReason = await capture(() => runSubjects(['erase', NUMBER]))
    expect(noReason.code).toBe(2)
    const erased = await capture(() => runSubjects(['erase', NUMBER, '--reason', 'ticket 9']))
    expect(erased.code).toBe(0)
    const { pseudonym } = JSON.parse(erased.stdout)
    expect(pseudonym).toMatch(/^anon:\+4477:t1:/)

    const again = JSON.parse((await capture(() => runSubjects(['export', NUMBER]))).stdout)
    // Found by its pseudonym, no longer in clear.
    expect(again.tables.verifications).toHaveLength(1)
    expect(again.tables.verifications[0].destination).toBe(pseudonym)
    expect(again.tables.verifications[0].status).toBe('canceled')
    expect(JSON.stringify(again.tables.verification_events)).not.toContain('7700900321')
  })
})
