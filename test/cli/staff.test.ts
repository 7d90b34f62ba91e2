/** `verigate staff` as an operator runs it: the built CLI (`npm run build` first) on a fresh SQLite data dir. */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/shared/clock.js'
import { openAndMigrate } from '../../src/storage/open-database.js'
import { KyselySupportStore } from '../../src/storage/support-store.js'
import { StaffDirectory } from '../../src/support/staff.js'
import { CLI } from '../helpers/server-process.js'
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js'

function run(
  args: string[],
  env: Record<string, string>,
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

describe('verigate staff', () => {
  let db: TestDatabase
  let env: Record<string, string>
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/cli/index.js is missing: run "npm run build" first')
    db = await createTestDatabase('sqlite')
    env = { DATABASE_URL: db.url, VERIGATE_DATA_DIR: db.dataDir, VERIGATE_ENV: 'test', LOG_LEVEL: 'silent' }
  })
  afterAll(async () => db?.drop())

  it('adds an admin with --password-stdin, lists, disables; the password is stored hashed and works', async () => {
    const added = await run(
      ['staff', 'add', '--email', 'Ops@Example.com', '--role', 'admin', '--password-stdin'],
      env,
      'a very long password\n',
    )
    expect(added.stderr).toBe('')
    expect(added.code).toBe(0)
    expect(added.stdout).toMatch(/^Added ops@example.com \(admin\), stf_/)

    const dup = await run(
      ['staff', 'add', '--email', 'ops@example.com', '--role', 'admin', '--password-stdin'],
      env,
      'a very long password\n',
    )
    expect(dup.code).toBe(1)
    expect(dup.stderr).toContain('already exists')
    const weak = await run(
      ['staff', 'add', '--email', 'weak@example.com', '--role', 'viewer', '--password-stdin'],
      env,
      'short\n',
    )
    expect(weak.code).toBe(1)
    expect(weak.stderr).toContain('at least 12 characters')
    expect(
      (
        await run(
          ['staff', 'add', '--email', 'x@example.com', '--role', 'root', '--password-stdin'],
          env,
          'x\n',
        )
      ).code,
    ).toBe(2)

    const opened = await openAndMigrate(db.url)
    try {
      const store = new KyselySupportStore(opened.db)
      const rows = await opened.db.selectFrom('staff').selectAll().execute()
      expect(JSON.stringify(rows)).not.toContain('a very long password')
      expect(
        await new StaffDirectory({ store, clock: systemClock }).authenticate(
          'ops@example.com',
          'a very long password',
        ),
      ).toBeDefined()
      const audit = await store.listAudit({ limit: 10 })
      expect(audit.map((a) => [a.actor, a.action])).toEqual([['cli', 'staff.add']])
    } finally {
      await opened.close()
    }

    const list = await run(['staff', 'list'], env)
    expect(list.stdout).toMatch(/^stf_\w+\tops@example.com\tadmin\tactive\n$/)
    const disabled = await run(['staff', 'disable', 'ops@example.com', '--reason', 'left'], env)
    expect(disabled.code).toBe(0)
    expect((await run(['staff', 'list'], env)).stdout).toContain('\tdisabled')
    expect((await run(['staff', 'disable', 'nobody@example.com'], env)).code).toBe(1)
  }, 90_000)
})
