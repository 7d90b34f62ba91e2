import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPublicAddress, PrivateNetworkError, publicOnlyFetch } from './private-network-guard.js'

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-ip',
  ])('%s is not public', (ip) => {
    expect(isPublicAddress(ip)).toBe(false)
  })
  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (ip) => {
      expect(isPublicAddress(ip)).toBe(true)
    },
  )
})

describe('publicOnlyFetch', () => {
  let server: Server
  let port = 0
  let hits = 0
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++
      res.end('ok')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const a = server.address()
    port = typeof a === 'object' && a ? a.port : 0
  })
  afterAll(() => server.close())

  it('refuses a loopback IP literal before connecting', async () => {
    const f = publicOnlyFetch({ allowPrivateNetworks: false })
    await expect(f(`http://127.0.0.1:${port}/hook`, { method: 'POST' })).rejects.toBeInstanceOf(
      PrivateNetworkError,
    )
    expect(hits).toBe(0)
  })

  it('refuses a name that resolves to loopback, at connect time', async () => {
    const f = publicOnlyFetch({ allowPrivateNetworks: false })
    const err = await f(`http://localhost:${port}/hook`, { method: 'POST' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PrivateNetworkError)
    expect((err as Error).message).toMatch(/localhost .*not allowed for webhooks/)
    expect(hits).toBe(0)
  })

  it('allows private networks when configured to (development)', async () => {
    const f = publicOnlyFetch({ allowPrivateNetworks: true })
    const res = await f(`http://localhost:${port}/hook`, { method: 'POST' })
    expect(await res.text()).toBe('ok')
    expect(hits).toBe(1)
  })
})
