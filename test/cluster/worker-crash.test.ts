/**
 * A worker killed mid-hand-over (issue 19, observations 5 and 11), with the carrier simulator as a
 * process of its own that workers reach over HTTP, as they would a real provider. Under load the
 * worker is killed with SIGKILL and started again; the simulator answers each submit a little after
 * accepting it, so the kill catches hand-overs the worker never learned about. The repeated sends
 * carry the same attempt key and the simulator deduplicates them: every number gets its code once,
 * and every receipt reaches verigate (a receipt that came before its repeated hand-over was recorded
 * is held until it is), so no message is left unconfirmed or given up. On SQLite (one process
 * serving everything) and on PostgreSQL (an API and a worker apart).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  clusterSettings,
  countDeliveries,
  createService,
  newReceiptSecret,
  runStarts,
  type SimulatorProcess,
  startSimulatorProcess,
  waitForReceipts,
} from '../helpers/cluster.js'
import { type PrivatePostgres, startPrivatePostgres } from '../helpers/private-postgres.js'
import { freePort, type ServerProcess, startServerProcess } from '../helpers/server-process.js'

const KILL_AT_MS = 2_500
/** Load goes on this long after the killed process is back. */
const AFTER_RESTART_MS = 2_000
const CLIENTS = 8
/** Starting a process takes seconds, and far more on a busy machine. */
const READY_TIMEOUT_MS = 90_000

const cleanups: Array<() => Promise<void> | void> = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})
const tally = (xs: readonly string[]) =>
  Object.fromEntries([...new Set(xs)].map((x) => [x, xs.filter((y) => y === x).length]))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Case {
  readonly name: string
  /** The database URL and the role layout: one `all` process, or an API and a worker apart. */
  setUp(dir: string): Promise<{ databaseUrl: string; split: boolean }>
}

const CASES: Case[] = [
  {
    name: 'SQLite, one process (API and worker) killed',
    setUp: async (dir) => ({ databaseUrl: `sqlite:${join(dir, 'verigate.db')}`, split: false }),
  },
  {
    name: 'PostgreSQL, the worker killed',
    setUp: async () => {
      const pg: PrivatePostgres = await startPrivatePostgres()
      cleanups.push(() => pg.close())
      return { databaseUrl: await pg.createDatabase('crash'), split: true }
    },
  },
]

describe('cluster: a worker killed mid-hand-over, simulator out of process', () => {
  for (const c of CASES) {
    it(`${c.name}: every number gets its code once and every receipt arrives`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'verigate-crash-'))
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
      const { databaseUrl, split } = await c.setUp(dir)
      const apiPort = await freePort()
      const api = `http://127.0.0.1:${apiPort}`
      const receiptSecret = newReceiptSecret()
      const simulator: SimulatorProcess = await startSimulatorProcess({
        receiptUrls: [`${api}/v1/receipts/carrier`],
        receiptSecret,
        deliveryDelayMs: 100,
        // Submits answered 150 ms after the carrier took them: the kill lands in that window.
        answerDelayMs: 150,
      })
      cleanups.push(() => simulator.kill('SIGKILL'))
      const settings = clusterSettings({ dir, databaseUrl, simulatorUrl: simulator.url, receiptSecret })
      const start = (role: string, port?: number) =>
        startServerProcess(settings.env, ['--role', role], { port, readyTimeoutMs: READY_TIMEOUT_MS })
      const processes: ServerProcess[] = []
      const track = (p: ServerProcess) => {
        processes.push(p)
        cleanups.push(() => p.kill('SIGKILL'))
        return p
      }
      const first = track(await start(split ? 'api' : 'all', apiPort))
      let worker = split ? track(await start('worker')) : first
      const serviceId = await createService(api, settings.adminKey, 'Crash Exchange')

      let running = true
      const load = runStarts({
        apis: () => [api],
        adminKey: settings.adminKey,
        serviceId,
        concurrency: CLIENTS,
        running: () => running,
      })
      await sleep(KILL_AT_MS)
      await worker.kill('SIGKILL')
      worker = track(await start(split ? 'worker' : 'all', split ? undefined : apiPort))
      await sleep(AFTER_RESTART_MS)
      running = false
      const report = await load

      const ids = [...report.accepted.keys()]
      const states = await waitForReceipts(() => api, settings.adminKey, ids, 40_000)
      const stats = await simulator.stats()
      const phones = countDeliveries(report.accepted, await simulator.inbox())
      const notDelivered = [...states.values()].filter((m) => m?.status !== 'delivered')
      const givenUp = [...states.values()].filter((m) => m?.status === 'failed').length
      const figures = {
        case: c.name,
        accepted: report.accepted.size,
        delivered_to_phones: phones.delivered,
        numbers_with_the_code_twice: phones.duplicated,
        lost: phones.lost,
        receipt_delivered_in_verigate: ids.length - notDelivered.length,
        without_receipt: notDelivered.length,
        without_receipt_by_status: tally(notDelivered.map((m) => m?.status ?? 'none')),
        given_up: givenUp,
        repeats_deduplicated_by_simulator: stats.duplicates,
        simulator_submits: stats.submits,
        receipts_posted: stats.receiptsSent,
        receipt_post_failures: stats.receiptFailures,
        connection_errors: report.connectionErrors,
        statuses: Object.fromEntries(report.statuses),
      }
      console.log(`worker crash: ${JSON.stringify(figures)}`)
      const logDir = process.env.CLUSTER_LOG_DIR
      if (logDir)
        for (const [i, p] of processes.entries()) writeFileSync(join(logDir, `p${i}.log`), p.output())

      expect(report.accepted.size).toBeGreaterThan(20)
      expect(phones.lost).toBe(0)
      expect(phones.duplicated).toBe(0)
      // With the worker apart, every receipt reaches verigate. When the process killed is the API as
      // well (SQLite), a receipt it had acknowledged but not yet stored dies with it (docs/operations.md):
      // that message waits unconfirmed, and is still never given up.
      if (split) expect(notDelivered).toEqual([])
      expect(notDelivered.filter((m) => m?.status !== 'unconfirmed' && m?.status !== 'sent')).toEqual([])
      expect(givenUp).toBe(0)
      // The kill did land mid-hand-over: sends were repeated, and the simulator answered them from memory.
      expect(stats.duplicates).toBeGreaterThan(0)
      for (const p of processes) p.child.removeAllListeners()
    }, 300_000)
  }
})
