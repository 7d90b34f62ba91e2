/** The bundles under /assets/: @fastify/static with ETags and cache rules, @fastify/compress. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerSecurityHeaders } from './security-headers.js'
import { assetCacheControl, registerWebAssets } from './web-assets.js'

describe('web assets', () => {
  let app: FastifyInstance
  let root: string
  const body = `export const widget = ${JSON.stringify('x'.repeat(4000))}\n`
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'vg-assets-'))
    writeFileSync(join(root, 'widget.js'), body)
    writeFileSync(join(root, 'widget.0123abcd.js'), body)
    writeFileSync(join(root, '.secret'), 'no')
    app = Fastify()
    await registerSecurityHeaders(app)
    await registerWebAssets(app, { root })
  })
  afterAll(async () => {
    await app.close()
    rmSync(root, { recursive: true, force: true })
  })

  it('serves a stable name for revalidation: ETag, no-cache, readable by any site', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/widget.js' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/)
    expect(res.headers['cache-control']).toBe('no-cache')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect(res.body).toBe(body)
    const etag = String(res.headers.etag)
    expect(etag).toMatch(/^(W\/)?"/)
    const again = await app.inject({
      method: 'GET',
      url: '/assets/widget.js',
      headers: { 'if-none-match': etag },
    })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
  })

  it('caches a content-hashed copy for a year as immutable', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/widget.0123abcd.js' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(assetCacheControl('/x/widget-es.9f9f9f9f.js')).toBe('public, max-age=31536000, immutable')
    expect(assetCacheControl('/x/widget-es.js')).toBe('no-cache')
  })

  it('compresses with brotli or gzip as the browser asks', async () => {
    const br = await app.inject({
      method: 'GET',
      url: '/assets/widget.js',
      headers: { 'accept-encoding': 'br, gzip' },
    })
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(body)
    expect(br.rawPayload.length).toBeLessThan(body.length / 4)
    const gz = await app.inject({
      method: 'GET',
      url: '/assets/widget.js',
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).toString()).toBe(body)
  })

  it('serves nothing but the bundles: no dotfiles, no listing, no way out of the directory', async () => {
    for (const url of [
      '/assets/.secret',
      '/assets/',
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
    ]) {
      const res = await app.inject({ method: 'GET', url })
      expect([403, 404], url).toContain(res.statusCode)
      expect(res.body).not.toBe('no')
    }
  })
})
