import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  isPublicAddress,
  nonPublicAddressOf,
  PrivateNetworkError,
  publicOnlyFetch,
} from './private-network-guard.js'

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
  // IPv6 spellings of loopback and private IPv4 addresses (observed getting through before).
  it.each([
    '::7f00:1', // IPv4-compatible 127.0.0.1
    '::127.0.0.1',
    '::a00:1', // IPv4-compatible 10.0.0.1
    '::ffff:7f00:1', // IPv4-mapped, hex tail (how WHATWG URLs write it)
    '0:0:0:0:0:ffff:a9fe:a9fe', // IPv4-mapped 169.254.169.254
    '::ffff:0:7f00:1', // RFC 6145 IPv4-translated
    '::ffff:0:10.0.0.1',
    '2002:7f00:1::1', // 6to4 of 127.0.0.1
    '2002:c0a8:101::1', // 6to4 of 192.168.1.1
    '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
    '64:ff9b::10.1.2.3',
    '64:ff9b:1::8.8.8.8', // NAT64 local-use prefix: refused whatever it carries
    '2001:0:808:808:0:0:80ff:fffe', // Teredo whose client is 127.0.0.1 (stored inverted)
    '2001:0:a00:1:0:0:f7f7:f7f7', // Teredo whose server is 10.0.0.1
    'fe80::1%eth0',
    'fec0::1', // deprecated site-local
    '2001:db8::1', // documentation
    'ff02::1',
    '100::1', // discard
  ])('%s is not public', (ip) => {
    expect(isPublicAddress(ip)).toBe(false)
  })
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8', // what DNS64 hands out for a public IPv4 host on an IPv6-only network
    '2002:808:808::1', // 6to4 of 8.8.8.8
    '2001:0:808:808:0:0:f7f7:f7f7', // Teredo: server and client 8.8.8.8
  ])('%s is public', (ip) => {
    expect(isPublicAddress(ip)).toBe(true)
  })
})

describe('nonPublicAddressOf (a URL being configured)', () => {
  it('names the private address of an IP literal in any spelling', async () => {
    expect(await nonPublicAddressOf(new URL('https://[::ffff:127.0.0.1]/hook'))).toBe('::ffff:7f00:1')
    expect(await nonPublicAddressOf(new URL('https://[2002:7f00:1::1]/hook'))).toBe('2002:7f00:1::1')
    expect(await nonPublicAddressOf(new URL('http://0x7f.1/hook'))).toBe('127.0.0.1')
    expect(await nonPublicAddressOf(new URL('http://2130706433/hook'))).toBe('127.0.0.1')
    expect(await nonPublicAddressOf(new URL('https://8.8.8.8/hook'))).toBeUndefined()
  })

  it('names the private address a name resolves to, and leaves a name that does not resolve to the connect-time check', async () => {
    expect(await nonPublicAddressOf(new URL('http://localhost:8080/hook'))).toMatch(/^(127\.0\.0\.1|::1)$/)
    expect(await nonPublicAddressOf(new URL('https://does-not-resolve.invalid/hook'))).toBeUndefined()
  })
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

  it('refuses IPv6 spellings of loopback before connecting', async () => {
    const f = publicOnlyFetch({ allowPrivateNetworks: false })
    for (const host of ['[::ffff:127.0.0.1]', '[::7f00:1]', '[::ffff:0:7f00:1]', '[2002:7f00:1::1]']) {
      await expect(f(`http://${host}:${port}/hook`, { method: 'POST' }), host).rejects.toBeInstanceOf(
        PrivateNetworkError,
      )
    }
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
