/**
 * @module Outbound requests to URLs that app developers type in (webhook endpoints) must not reach
 * this server's own network: loopback, private ranges, link-local (cloud metadata at
 * 169.254.169.254), CGNAT, unique-local IPv6. The check runs where the socket connects (undici's
 * `connect.lookup`), so a name that resolves to a public address for a pre-check and to a private
 * one for the request (DNS rebinding) is still refused, and so is a redirect's target.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import { BlockList, isIP } from 'node:net'
import { Agent, fetch as undiciFetch } from 'undici'
import type { FetchFn } from './http-client.js'

const BLOCKED = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6')
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

/** True for addresses on the public internet. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return false
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined
  if (mapped) return !BLOCKED.check(mapped, 'ipv4')
  return !BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6')
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
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (isIP(host) && !isPublicAddress(host)) throw new PrivateNetworkError(host, host)
    try {
      // undici's own fetch: the global one does not take a dispatcher in its types.
      return (await undiciFetch(url, { ...(init as object), dispatcher })) as unknown as Response
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause
      throw cause instanceof PrivateNetworkError ? cause : err
    }
  }
}
