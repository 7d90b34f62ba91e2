/**
 * A command line the CLI cannot parse is answered with what is wrong, exit code 2 and no stack
 * trace, whichever command it is for (run as a process: the top-level handler is what is tested).
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { CLI } from '../helpers/server-process.js'

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  })
  return { code: r.status, stderr: r.stderr }
}

describe('verigate: command lines it cannot parse', () => {
  it('a value starting with a dash, given as its own argument, says how to write it', () => {
    const r = run('simulator', '--receipt-secret', '-Xy9_secret')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--receipt-secret.*ambiguous/)
    expect(r.stderr).toContain('--receipt-secret=-XYZ')
    expect(r.stderr).toContain('See `verigate simulator --help`')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('an unknown option is named', () => {
    const r = run('phone', '--no-such-option', '+447700900123')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("'--no-such-option'")
    expect(r.stderr).toContain('See `verigate phone --help`')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})
