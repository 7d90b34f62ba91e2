/**
 * The real server process, as a user runs it: first start prints the admin key and URLs; the curl
 * walk-through works; SIGKILL right after a 201 loses nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { mintApiKey } from '../../src/auth/api-key.js'
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js'

const dirs: string[] = []
const procs: ServerProcess[] = []
afterAll(async () => {
  for (const p of procs) await p.kill('SIGKILL')
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'verigate-e2e-'))
  dirs.push(d)
  return d
}

async function api(base: string, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

async function waitForCode(base: string, to: string, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const res = await fetch(`${base}/v1/simulator/messages?to=${encodeURIComponent(to)}`)
    const first = ((await res.json()) as { data: Array<{ body: string }> }).data[0]
    const code = first?.body.match(/\b(\d{6})\b/)?.[1]
    if (code) return code
    if (Date.now() > until) throw new Error(`no message for ${to}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('verigate server process', () => {
  it('first start prints an admin key and the URLs; the curl flow approves a code', async () => {
    const dir = dataDir()
    const server = await startServerProcess({ VERIGATE_DATA_DIR: dir })
    procs.push(server)
    const output = server.output()
    expect(output).toContain(`verigate is running on ${server.url}`)
    expect(output).toContain('/docs')
    expect(output).toContain('/simulator')
    const key = output.match(/(vgk_[0-9a-z]{24}_[A-Za-z0-9_-]{43})/)?.[1]
    expect(key).toBeDefined()

    const svc = await api(server.url, key!, 'POST', '/v1/services', { name: 'E2E Exchange' })
    expect(svc.status).toBe(201)
    const v = await api(server.url, key!, 'POST', '/v1/verifications', {
      service_id: svc.body.id,
      to: '+447700900123',
    })
    expect(v.status).toBe(201)
    const code = await waitForCode(server.url, '+447700900123')
    const checked = await api(server.url, key!, 'POST', `/v1/verifications/${v.body.id}/check`, { code })
    expect(checked.body.status).toBe('approved')
    await server.kill('SIGTERM')

    // A second start on the same data keeps the key and does not print a new one.
    const again = await startServerProcess({ VERIGATE_DATA_DIR: dir })
    procs.push(again)
    expect(again.output()).not.toMatch(/vgk_/)
    expect((await api(again.url, key!, 'GET', `/v1/verifications/${v.body.id}`)).body.status).toBe('approved')
    await again.kill('SIGTERM')
  })

  it('SIGKILL right after answering 201 loses nothing: after restart the code is sent and approves', async () => {
    const dir = dataDir()
    const { token } = mintApiKey('e2e', ['admin'], Date.now())
    const env = { VERIGATE_DATA_DIR: dir, VERIGATE_ADMIN_API_KEY: token }
    // An API-only process accepts verifications without sending, so the kill lands with the
    // outbox certainly unsent: the restart alone must deliver it.
    const first = await startServerProcess(env, ['--role', 'api'])
    procs.push(first)
    const svc = await api(first.url, token, 'POST', '/v1/services', { name: 'Crash test' })
    const numbers = Array.from({ length: 20 }, (_, i) => `+4477009004${String(i).padStart(2, '0')}`)
    const started = await Promise.all(
      numbers.map((to) =>
        api(first.url, token, 'POST', '/v1/verifications', { service_id: svc.body.id, to }),
      ),
    )
    expect(started.every((s) => s.status === 201)).toBe(true)
    await first.kill('SIGKILL')

    const second = await startServerProcess(env)
    procs.push(second)
    for (const [i, to] of numbers.entries()) {
      const code = await waitForCode(second.url, to)
      const checked = await api(second.url, token, 'POST', `/v1/verifications/${started[i]!.body.id}/check`, {
        code,
      })
      expect(checked.body.status).toBe('approved')
    }
    await second.kill('SIGTERM')
  })

  it('SIGKILL in the middle of sending: every accepted verification is sent once restarted, with one code', async () => {
    const dir = dataDir()
    const { token } = mintApiKey('e2e', ['admin'], Date.now())
    // A short lease, so messages the dead process had claimed come back within the test.
    const configFile = join(dir, 'config.json')
    // 300 consecutive numbers and no code entered is SMS pumping to the fraud guard: off here.
    writeFileSync(configFile, JSON.stringify({ dispatcher: { leaseMs: 1000 }, fraud: { mode: 'off' } }))
    const env = {
      VERIGATE_DATA_DIR: dir,
      VERIGATE_ADMIN_API_KEY: token,
      VERIGATE_SIMULATOR_DELAY_MS: '0',
      VERIGATE_CONFIG: configFile,
    }
    const first = await startServerProcess(env)
    procs.push(first)
    const svc = await api(first.url, token, 'POST', '/v1/services', { name: 'Crash under load' })
    const numbers = Array.from({ length: 300 }, (_, i) => `+447700900${100 + i}`)
    const accepted: Array<{ id: string; to: string }> = []
    let killed: Promise<void> | undefined
    // Eight clients send back to back; the process is killed while they are mid-flight.
    const clients = Array.from({ length: 8 }, async (_, c) => {
      for (let i = c; i < numbers.length && !killed; i += 8) {
        const to = numbers[i]!
        const r = await api(first.url, token, 'POST', '/v1/verifications', {
          service_id: svc.body.id,
          to,
        }).catch(() => undefined)
        if (r?.status === 201) accepted.push({ id: r.body.id, to })
        if (accepted.length >= 40) killed ??= first.kill('SIGKILL')
      }
    })
    await Promise.allSettled(clients)
    await killed
    expect(accepted.length).toBeGreaterThanOrEqual(40)

    const second = await startServerProcess(env)
    procs.push(second)
    for (const { id, to } of accepted) {
      // Sent either before the crash (that phone got it then) or by the restarted process.
      const until = Date.now() + 15_000
      let v = (await api(second.url, token, 'GET', `/v1/verifications/${id}`)).body
      while (
        !v.messages.some((m: { status: string }) => ['sent', 'delivered'].includes(m.status)) &&
        Date.now() < until
      ) {
        await new Promise((r) => setTimeout(r, 100))
        v = (await api(second.url, token, 'GET', `/v1/verifications/${id}`)).body
      }
      expect(
        v.messages.some((m: { status: string }) => ['sent', 'delivered'].includes(m.status)),
        `${to} was never sent`,
      ).toBe(true)
      const inbox = (
        (await (await fetch(`${second.url}/v1/simulator/messages?to=${encodeURIComponent(to)}`)).json()) as {
          data: Array<{ body: string }>
        }
      ).data
      if (inbox.length > 0) {
        // Whatever was (re)sent carries the verification's one code.
        const codes = new Set(inbox.map((m: { body: string }) => m.body.match(/\b(\d{6})\b/)?.[1]))
        expect(codes.size).toBe(1)
        const checked = await api(second.url, token, 'POST', `/v1/verifications/${id}/check`, {
          code: [...codes][0],
        })
        expect(checked.body.status, `${to}`).toBe('approved')
      }
    }
    await second.kill('SIGTERM')
  })
})
