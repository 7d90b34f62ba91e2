/**
 * Personal data kept no longer than needed: after the retention period no table (every table and
 * column, read from the database's own catalog), no log line and no simulator inbox entry holds the
 * number or the email in clear, analytics totals are unchanged, and the "same person" lookup still
 * finds the rows. Then subject requests: export and erase for a number and an email, through the API.
 */
import { Writable } from 'node:stream'
import { sql } from 'kysely'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pseudonymOf } from '../../src/privacy/pseudonym.js'
import type { Service } from '../../src/services/service.js'
import { DIALECTS } from '../helpers/test-database.js'
import { buildTestApp, codeFromInbox, createTestService, eventually } from '../helpers/test-deps.js'

const DAY = 86_400_000
const NUMBER = '+447700900123'
const EMAIL = 'ada.person@example.org'
const ERASE_NUMBER = '+447700900456'
const ERASE_EMAIL = 'erase.me@example.net'
const IP = '203.0.113.77'

/** The forms a number can take in text: E.164, without `+`, and the national significant part. */
const clearForms = (destination: string) =>
  destination.startsWith('+') ? [destination.slice(1), destination.slice(3)] : [destination]

for (const dialect of DIALECTS) {
  describe(`retention and subject requests (${dialect})`, () => {
    let t: Awaited<ReturnType<typeof buildTestApp>>
    let service: Service
    const logLines: string[] = []

    beforeAll(async () => {
      const sink = new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk))
          done()
        },
      })
      t = await buildTestApp({ dialect, overrides: { logger: pino({ level: 'debug' }, sink) } })
      service = await createTestService(t.deps, { channels: ['sms', 'email'] })
      t.deps.dispatcher.start()
    })
    afterAll(async () => t.close())

    /** Every table and column of the database, as text: what a person with the file would see. */
    async function dumpDatabase(): Promise<Map<string, string>> {
      const tables =
        dialect === 'sqlite'
          ? (
              await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
                t.deps.db,
              )
            ).rows.map((r) => r.name)
          : (
              await sql<{ name: string }>`select table_name as name from information_schema.tables
                 where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.deps.db)
            ).rows.map((r) => r.name)
      expect(tables.length).toBeGreaterThan(20)
      const dump = new Map<string, string>()
      for (const table of tables) {
        const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
          t.deps.db,
        )
        dump.set(
          table,
          JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
        )
      }
      return dump
    }

    function tablesHolding(dump: Map<string, string>, destination: string): string[] {
      const forms = clearForms(destination)
      return [...dump].filter(([, text]) => forms.some((f) => text.includes(f))).map(([table]) => table)
    }

    const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: t.auth(), ...(payload ? { payload } : {}) })

    async function start(to: string, channel: 'sms' | 'email') {
      const res = await api('POST', '/v1/verifications', {
        service_id: service.id,
        to,
        channel,
        client_ip: IP,
      })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().id as string
    }

    async function approve(id: string, to: string) {
      const code = await eventually(() => codeFromInbox(t.deps, to))
      const res = await api('POST', `/v1/verifications/${id}/check`, { code })
      expect(res.json().status).toBe('approved')
    }

    const totals = async () => {
      const now = t.clock.now()
      return (await t.deps.analytics.report({ from: now - 40 * DAY, to: now - 20 * DAY, groupBy: 'country' }))
        .totals
    }

    it('after the retention period the number and the email are nowhere in clear', async () => {
      const startedAt = t.clock.now()
      const byNumber = await start(NUMBER, 'sms')
      await approve(byNumber, NUMBER)
      const byEmail = await start(EMAIL, 'email')
      await eventually(() => t.deps.simulator?.inbox.list({ to: EMAIL }).length)
      await api('POST', `/v1/verifications/${byEmail}/cancel`)
      // A browser session prefilled with the number, and support looking the person up.
      const minted = await api('POST', '/v1/client-tokens', { service_id: service.id, to: NUMBER })
      expect(minted.statusCode, minted.body).toBe(201)
      await t.deps.support.audit.record(
        { name: 'agent@example.com', role: 'support', ip: null },
        'number.reveal',
        {
          target: NUMBER,
          reason: `caller asked about ${NUMBER}`,
        },
      )
      // Every receipt is in (the email's comes after its inbox entry): one arriving after the clock
      // jump would write a fresh event, and change the figures, behind the sweep's back.
      await eventually(async () => {
        const open = await t.deps.db
          .selectFrom('outbox')
          .select('id')
          .where('status', 'in', ['queued', 'sending', 'sent'])
          .execute()
        return open.length === 0
      })
      // Before: the data is there in clear (the scan can see it).
      const before = await dumpDatabase()
      expect(tablesHolding(before, NUMBER)).toEqual(
        expect.arrayContaining([
          'verifications',
          'verification_events',
          'outbox',
          'audit_log',
          'client_sessions',
        ]),
      )
      expect(tablesHolding(before, EMAIL)).toEqual(expect.arrayContaining(['verifications', 'outbox']))

      // 31 days on (the analytics window is fixed around the start, so "now" moving does not shift it).
      t.clock.set(startedAt + 31 * DAY)
      const figuresBefore = await totals()
      expect(figuresBefore.started).toBeGreaterThanOrEqual(2)
      const swept = await t.deps.personalData.sweep()
      expect(swept.destinations).toBeGreaterThanOrEqual(2)

      const after = await dumpDatabase()
      expect(tablesHolding(after, NUMBER)).toEqual([])
      expect(tablesHolding(after, EMAIL)).toEqual([])
      expect(after.get('verifications')).not.toContain(IP)
      expect(logLines.length).toBeGreaterThan(0)
      for (const d of [NUMBER, EMAIL]) {
        for (const f of clearForms(d)) expect(logLines.filter((l) => l.includes(f))).toEqual([])
      }
      expect(t.deps.simulator?.inbox.list({ to: NUMBER })).toEqual([])
      expect(t.deps.simulator?.inbox.list({ to: EMAIL })).toEqual([])
      // Analytics totals are computed from the same rows, unchanged.
      expect(await totals()).toEqual(figuresBefore)
      // The same person is still recognisable by the keyed hash, and the range and country are kept.
      const ver = await api('GET', `/v1/verifications/${byNumber}`)
      expect(ver.json().to ?? ver.json().destination).toBe(pseudonymOf(t.deps.keyring, NUMBER))
      expect(pseudonymOf(t.deps.keyring, NUMBER).startsWith('anon:+4477:')).toBe(true)
      expect(ver.json().country).toBe('GB')
      // A second sweep finds nothing more to do.
      expect((await t.deps.personalData.sweep()).destinations).toBe(0)
    })

    it('export and erase a number and an email through the API', async () => {
      const pendingNumber = await start(ERASE_NUMBER, 'sms')
      const approvedEmail = await start(ERASE_EMAIL, 'email')
      await approve(approvedEmail, ERASE_EMAIL)
      const now = t.clock.now()
      const window = { from: now - DAY, to: now + DAY, groupBy: 'country' as const }
      // Measure once delivery has settled, so only the erasure could change the figures.
      const figuresBefore = await eventually(async () => {
        const r = (await t.deps.analytics.report(window)).totals
        return r.messages_pending === 0 ? r : undefined
      })

      for (const destination of [ERASE_NUMBER, ERASE_EMAIL]) {
        const exported = await api('POST', '/v1/subjects/export', { destination })
        expect(exported.statusCode, exported.body).toBe(200)
        const body = exported.json()
        expect(body.destination).toBe(destination)
        expect(body.tables.verifications).toHaveLength(1)
        expect(body.tables.verification_events.length).toBeGreaterThan(0)
        expect(body.tables.outbox.length).toBeGreaterThan(0)
        expect(body.simulator_inbox.length).toBeGreaterThan(0)
        expect(JSON.stringify(body)).not.toContain('code_hmac')
      }
      // National form works too, and an invalid one is a clear 400.
      const bad = await api('POST', '/v1/subjects/export', { destination: '+44 12' })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.code).toBe('PHONE_NUMBER_INVALID')

      for (const destination of [ERASE_NUMBER, ERASE_EMAIL]) {
        const erased = await api('POST', '/v1/subjects/erase', {
          destination,
          reason: 'ticket 4411: asked to erase',
        })
        expect(erased.statusCode, erased.body).toBe(200)
        expect(erased.json().pseudonym).toBe(pseudonymOf(t.deps.keyring, destination))
        expect(erased.json().rows.verifications).toBe(1)
      }
      const noReason = await api('POST', '/v1/subjects/erase', { destination: ERASE_NUMBER, reason: '  ' })
      expect(noReason.statusCode).toBe(400)

      // The pending verification was canceled before its number went.
      const pending = await api('GET', `/v1/verifications/${pendingNumber}`)
      expect(pending.json().status).toBe('canceled')
      const dump = await dumpDatabase()
      expect(tablesHolding(dump, ERASE_NUMBER)).toEqual([])
      expect(tablesHolding(dump, ERASE_EMAIL)).toEqual([])
      expect(t.deps.simulator?.inbox.list({ to: ERASE_NUMBER })).toEqual([])
      expect(t.deps.simulator?.inbox.list({ to: ERASE_EMAIL })).toEqual([])
      for (const d of [ERASE_NUMBER, ERASE_EMAIL]) {
        for (const f of clearForms(d)) expect(logLines.filter((l) => l.includes(f))).toEqual([])
      }
      // Counts stay: the rows are there, only the destination is a pseudonym.
      expect((await t.deps.analytics.report(window)).totals).toEqual(figuresBefore)

      // Audited, under the pseudonym, with the key that asked.
      const log = await t.deps.support.audit.list({ limit: 50 })
      const subject = log.filter((e) => e.action === 'subject.export' || e.action === 'subject.erase')
      expect(subject.map((e) => e.action).sort()).toEqual([
        'subject.erase',
        'subject.erase',
        'subject.export',
        'subject.export',
      ])
      for (const e of subject) {
        expect(e.target?.startsWith('anon:')).toBe(true)
        expect(e.actor).toMatch(/^api-key key_/)
      }
    })
  })
}
