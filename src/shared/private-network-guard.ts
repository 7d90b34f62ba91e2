/**
 * @module Outbound requests to URLs that app developers type in (webhook endpoints) must not reach
 * this server's own network: loopback, private ranges, link-local (cloud metadata at
 * 169.254.169.254), CGNAT, unique-local IPv6, and every IPv6 spelling that carries one of those
 * IPv4 addresses inside it. The check runs where the socket connects (undici's `connect.lookup`), so
 * a name that resolves to a public address for a pre-check and to a private one for the request
 * (DNS rebinding) is still refused, and so is a redirect's target.
 *
 * Addresses are parsed and classified with `ipaddr.js` (the library behind Fastify's and Express's
 * proxy-address handling), which reads every IPv6 spelling (compressed, dotted tail, zone id) and
 * names the special-purpose ranges of the IANA registries; a hand-kept table of prefixes is what let
 * `::7f00:1` and `2002:7f00:1::1` through before.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import { lookup as dnsLookupAsync } from 'node:dns/promises'
import ipaddr from 'ipaddr.js'
import { Agent, fetch as undiciFetch } from 'undici'
import type { FetchFn } from './http-client.js'

type IPv4 = ipaddr.IPv4
type IPv6 = ipaddr.IPv6

function ipv4FromWords(high: number, low: number): IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff])
}

/**
 * The IPv4 addresses an IPv6 address leads to, when it embeds any: IPv4-compatible (`::a.b.c.d`,
 * which also covers `::` and `::1`), IPv4-mapped (`::ffff:a.b.c.d`), RFC 6145 (`::ffff:0:a.b.c.d`),
 * NAT64 with the well-known prefix (`64:ff9b::a.b.c.d`, what DNS64 hands out for public IPv4 hosts on
 * IPv6-only networks), 6to4 (`2002:aabb:ccdd::/48`) and Teredo (`2001:0::/32`: the server, and the
 * client, whose address is stored inverted). 'refused' for NAT64's local-use prefix (`64:ff9b:1::/48`),
 * whose IPv4 position depends on the local network's choice.
 */
function embeddedIpv4(ip: IPv6): IPv4[] | 'refused' | undefined {
  const [p0, p1, p2, p3, p4, p5, p6, p7] = ip.parts as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  if (p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0) {
    const compatible = p4 === 0 && p5 === 0
    const mapped = p4 === 0 && p5 === 0xffff
    const translated = p4 === 0xffff && p5 === 0
    if (compatible || mapped || translated) return [ipv4FromWords(p6, p7)]
  }
  switch (ip.range()) {
    case 'rfc6052':
      return p2 === 0 ? [ipv4FromWords(p6, p7)] : 'refused'
    case '6to4':
      return [ipv4FromWords(p1, p2)]
    case 'teredo':
      return [ipv4FromWords(p2, p3), ipv4FromWords(~p6 & 0xffff, ~p7 & 0xffff)]
    default:
      return undefined
  }
}

function isPublicIp(ip: IPv4 | IPv6): boolean {
  if (ip.kind() === 'ipv4') return (ip as IPv4).range() === 'unicast'
  const embedded = embeddedIpv4(ip as IPv6)
  if (embedded === 'refused') return false
  if (embedded) return embedded.every((v4) => v4.range() === 'unicast')
  // Anything in a special-purpose range (documentation, benchmarking, ORCHID, discard...) is not a
  // place a webhook can legitimately live either.
  return (ip as IPv6).range() === 'unicast'
}

/** The request was refused because its host is (or resolves to) a non-public address. */
export class PrivateNetworkError extends Error {
  constructor(host: string, address: string) {
    super(
      `refused to connect to ${host} (${address}): private, loopback and link-local addresses are not allowed for webhooks; set webhooks.allowPrivateNetworks to allow them`,
    )
    this.name = 'PrivateNetworkError'
  }
}

/** True for IP addresses on the public internet (after reading any IPv4 address embedded in an IPv6 one). */
export function isPublicAddress(address: string): boolean {
  let ip: IPv4 | IPv6
  try {
    ip = ipaddr.parse(address)
  } catch {
    return false
  }
  return isPublicIp(ip)
}

/** The host of a URL as an address, without IPv6 brackets (WHATWG URLs already canonicalise IPv4 forms). */
function urlHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '')
}

/** How long a configuration-time check waits for DNS before leaving the name to the connect-time check. */
const CONFIGURE_LOOKUP_TIMEOUT_MS = 2_000

/**
 * The first non-public address that `url`'s host is, or resolves to now; undefined when every
 * address is public, or when the name does not resolve within a short time (the connect-time check
 * still refuses it later, should it ever resolve to a private address). For refusing a URL when it
 * is configured, so a developer hears about it at once rather than from failed deliveries.
 */
export async function nonPublicAddressOf(url: URL): Promise<string | undefined> {
  const host = urlHost(url)
  if (ipaddr.isValid(host)) return isPublicAddress(host) ? undefined : host
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), CONFIGURE_LOOKUP_TIMEOUT_MS)
    timer.unref()
  })
  try {
    const addresses = await Promise.race([
      dnsLookupAsync(host, { all: true }).catch(() => undefined),
      timeout,
    ])
    return addresses?.find((a) => !isPublicAddress(a.address))?.address
  } finally {
    clearTimeout(timer)
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void

function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, [])
    const bad = addresses.find((a) => !isPublicAddress(a.address))
    if (bad) return callback(new PrivateNetworkError(hostname, bad.address) as NodeJS.ErrnoException, [])
    if (options.all) return callback(null, addresses)
    const first = addresses[0]
    if (!first) return callback(new Error(`no address for ${hostname}`) as NodeJS.ErrnoException, [])
    callback(null, first.address, first.family)
  })
}

/**
 * A fetch that refuses non-public destinations. With `allowPrivateNetworks` it is the plain global
 * fetch (development and tests post to localhost).
 */
export function publicOnlyFetch(opts: { allowPrivateNetworks: boolean }): FetchFn {
  if (opts.allowPrivateNetworks) return (input, init) => fetch(input, init)
  const dispatcher = new Agent({ connect: { lookup: guardedLookup } })
  return async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
    const host = urlHost(url)
    if (ipaddr.isValid(host) && !isPublicAddress(host)) throw new PrivateNetworkError(host, host)
    try {
      // undici's own fetch: the global one does not take a dispatcher in its types.
      return (await undiciFetch(url, { ...(init as object), dispatcher })) as unknown as Response
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause
      throw cause instanceof PrivateNetworkError ? cause : err
    }
  }
}
