/**
 * The per-request log line: written at debug with the route's URL masked (no phone number in
 * clear), and not built at all at the default info level.
 */
import { Writable } from 'node:stream'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../../test/helpers/test-deps.js'

function collectingLogger(level: string) {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line))
      cb()
    },
  })
  return { logger: pino({ level }, stream), lines }
}

describe('request log line', () => {
  it('at debug: method, masked URL, status and time of each request', async () => {
    const { logger, lines } = collectingLogger('debug')
    const t = await buildTestApp({ overrides: { logger } })
    try {
      const res = await t.app.inject({
        method: 'GET',
        url: '/v1/phone-numbers/%2B447700900123',
        headers: t.auth(),
      })
      expect(res.statusCode).toBe(200)
      await new Promise((r) => setImmediate(r))
      const line = lines.find((l) => l.msg === 'request')
      expect(line).toMatchObject({ method: 'GET', url: '/v1/phone-numbers/%2B********0123', status: 200 })
      expect(typeof line?.ms).toBe('number')
      expect(JSON.stringify(lines)).not.toContain('7700900123')
    } finally {
      await t.close()
    }
  })

  it('at info: no request lines', async () => {
    const { logger, lines } = collectingLogger('info')
    const t = await buildTestApp({ overrides: { logger } })
    try {
      await t.app.inject({ method: 'GET', url: '/livez' })
      await new Promise((r) => setImmediate(r))
      expect(lines.filter((l) => l.msg === 'request')).toEqual([])
    } finally {
      await t.close()
    }
  })
})
