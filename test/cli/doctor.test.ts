/**
 * `verigate doctor` as a user runs it: the built CLI (`npm run build` first) against a SQLite data
 * dir seeded through the domain (real Verifier, dispatcher and carrier simulator).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI } from '../helpers/server-process.js'
import { buildTestDeps, createTestService, eventually, type TestContext } from '../helpers/test-deps.js'

const run = promisify(execFile)

describe('verigate doctor', () => {
  let ctx: TestContext
  let blocked: string
  let delivered: string

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/cli/index.js is missing: run "npm run build" first')
    ctx = await buildTestDeps({
      realClock: true,
      config: { routing: { routes: [{ provider: 'simulator', senderIds: { GB: 'ACMEUK' } }] } },
    })
    ctx.deps.dispatcher.start()
    const service = await createTestService(ctx.deps)
    const start = async (to: string) =>
      (await ctx.deps.verifier.start({ serviceId: service.id, to, channel: 'sms' })).verification.id
    const settled = (id: string, type: string) =>
      eventually(async () =>
        (await ctx.deps.stores.verifications.listEvents(id)).some((e) => e.type === type),
      )
    blocked = await start('+447700900003')
    delivered = await start('+447700900090')
    await settled(blocked, 'gave_up')
    await settled(delivered, 'delivered')
    // The CLI opens the same database file; the test's process lets go of it first.
    await ctx.deps.close()
  })
  afterAll(async () => ctx.db.drop())

  async function doctor(...args: string[]) {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, 'doctor', ...args], {
        env: { PATH: process.env.PATH ?? '', VERIGATE_DATA_DIR: ctx.db.dataDir, LOG_LEVEL: 'silent' },
      })
      return { code: 0, stdout, stderr }
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string }
      return { code: e.code, stdout: e.stdout, stderr: e.stderr }
    }
  }

  it('--help explains the command; the main usage lists it', async () => {
    const help = await doctor('--help')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: verigate doctor')
    expect(help.stdout).toContain('--json')
    const main = await run(process.execPath, [CLI, '--help'])
    expect(main.stdout).toContain('doctor')
  })

  it('diagnoses a verification: the cause for the user and for support, with the evidence', async () => {
    const res = await doctor(blocked)
    expect(res.code).toBe(0)
    expect(res.stdout).toContain(`Verification ${blocked}: pending`)
    expect(res.stdout).toContain('1. carrier_filtered (confirmed): Your mobile network blocked our text')
    expect(res.stdout).toContain('sender "ACMEUK"')
    expect(res.stdout).toContain('UNDELIV/045')
    expect(res.stdout).toContain('Evidence:')
  })

  it('--json prints the API shape', async () => {
    const res = await doctor(delivered, '--json')
    expect(res.code).toBe(0)
    const body = JSON.parse(res.stdout)
    expect(body).toMatchObject({ verification_id: delivered, status: 'pending' })
    expect(body.causes[0]).toMatchObject({ id: 'delivered_not_entered', sender_id: 'ACMEUK' })
  })

  it('diagnoses a number: the fix for a typo, and the latest verifications of a real one', async () => {
    const [typo, national, jsonRun] = await Promise.all([
      doctor('+44 07700 900003'),
      doctor('07700', '900003', '--country', 'GB'),
      doctor('+447700900090', '--json'),
    ])
    expect(typo.code).toBe(0)
    expect(typo.stdout).toContain('Problem:    trunk_prefix_after_country_code')
    expect(typo.stdout).toContain('number_mistyped (confirmed)')
    expect(typo.stdout).toContain('Use +44 7700 900003 instead')

    expect(national.code).toBe(0)
    expect(national.stdout).toContain('E.164:      +447700900003')
    expect(national.stdout).toContain(`Verification ${blocked}`)
    expect(national.stdout).toContain('carrier_filtered')

    const json = JSON.parse(jsonRun.stdout)
    expect(json.number.e164).toBe('+447700900090')
    expect(json.verifications.map((d: { verification_id: string }) => d.verification_id)).toEqual([delivered])
  })

  it('an unknown verification exits 1; bad options exit 2', async () => {
    const [unknown, badLimit, badChannel, nothing] = await Promise.all([
      doctor('ver_doesnotexist'),
      doctor('+447700900003', '--limit', '0'),
      doctor('+447700900003', '--channel', 'fax'),
      doctor(),
    ])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('No verification with id "ver_doesnotexist"')
    expect(badLimit.code).toBe(2)
    expect(badChannel.code).toBe(2)
    expect(nothing.code).toBe(1)
  })
})
