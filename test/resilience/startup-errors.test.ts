/**
 * Issue 19: a dependency that cannot be reached at start-up is named, with where it was looked for
 * (password hidden) and the setting to check, and the CLI says so in one line, not a stack trace.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openAndMigrate } from '../../src/storage/open-database.js'
import { CLI, freePort } from '../helpers/server-process.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** Runs `verigate serve` and resolves with its exit code and stderr once it exits. */
function serve(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-startup-'))
  dirs.push(dir)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', VERIGATE_DATA_DIR: dir, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr })
    })
  })
}

describe('a dependency unreachable at start-up', () => {
  it('PostgreSQL: the error names it, its address without the password, and DATABASE_URL', async () => {
    const port = await freePort()
    await expect(openAndMigrate(`postgres://app:s3cret@127.0.0.1:${port}/verigate`)).rejects.toThrow(
      new RegExp(
        `^Cannot reach PostgreSQL at postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/verigate: .*ECONNREFUSED.*Check DATABASE_URL \\(databaseUrl\\)`,
      ),
    )
  })

  it('the CLI prints one line naming the dependency and the setting, and exits 1', async () => {
    const pgPort = await freePort()
    const database = await serve({ DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${pgPort}/verigate` })
    expect(database.code).toBe(1)
    expect(database.stderr).toMatch(
      /^verigate: Cannot reach PostgreSQL at .*Check DATABASE_URL \(databaseUrl\)/,
    )
    expect(database.stderr).not.toContain('s3cret')
    expect(database.stderr).not.toMatch(/\n\s+at /)

    const redisPort = await freePort()
    const redis = await serve({ REDIS_URL: `redis://127.0.0.1:${redisPort}` })
    expect(redis.code).toBe(1)
    expect(redis.stderr).toMatch(
      /^verigate: Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.*Check REDIS_URL \(redisUrl\)/,
    )
    expect(redis.stderr).not.toMatch(/\n\s+at /)
  })
})
