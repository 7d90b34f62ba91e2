#!/usr/bin/env node
// Counts the WAL pages a flow makes SQLite write, by b-tree: starts a built server (dist/) on a
// fresh data folder, runs `flows` complete flows (start, code from the simulator's inbox, check)
// `inFlight` at a time, then reads the frames the WAL gained (a read transaction held open keeps
// the checkpointer from starting the log over meanwhile) and names each page's b-tree with
// SQLite's dbstat table. A COMMIT writes every page its transaction dirtied, so this is what a
// schema or an id scheme costs per flow. Usage: node scripts/wal-pages.mjs [flows=500] [inFlight=8]
import { spawn } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const flows = Number(process.argv[2] ?? 500)
const inFlight = Number(process.argv[3] ?? 8)
const { mintApiKey } = await import(join(root, 'dist/auth/api-key.js'))
const dir = mkdtempSync(join(tmpdir(), 'verigate-wal-pages-'))
const token = mintApiKey('wal-pages', ['admin'], Date.now()).token
const port = 20_000 + Math.floor(Math.random() * 20_000)
const limit = { points: 10_000_000, durationSeconds: 60 }
writeFileSync(
  join(dir, 'config.json'),
  JSON.stringify({
    logLevel: 'warn',
    simulator: { deliveryDelayMs: 0 },
    fraud: { mode: 'shadow' },
    limits: { startsPerService: limit, globalSends: limit, startsPerPrefix: limit },
  }),
)
const server = spawn(process.execPath, [join(root, 'dist/cli/index.js'), 'serve', '--port', String(port)], {
  env: {
    ...process.env,
    VERIGATE_DATA_DIR: dir,
    VERIGATE_ADMIN_API_KEY: token,
    VERIGATE_CONFIG: join(dir, 'config.json'),
  },
  stdio: ['ignore', 'ignore', 'inherit'],
})
const url = `http://127.0.0.1:${port}`
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${url}/readyz`)).ok) break
  } catch {}
  if (i > 100) throw new Error('the server did not start')
  await sleep(200)
}
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
const post = async (path, body) =>
  (await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(body) })).json()
const service = await post('/v1/services', { name: 'wal-pages' })

async function flow(i) {
  const to = `+4474${String(10_000_000 + i).padStart(8, '0')}`
  const started = await post('/v1/verifications', { service_id: service.id, to })
  let code
  for (let tries = 0; !code && tries < 200; tries++) {
    const inbox = await (
      await fetch(`${url}/v1/simulator/messages?to=${encodeURIComponent(to)}`, { headers })
    ).text()
    code = /\b(\d{6})\b/.exec(inbox)?.[1]
    if (!code) await sleep(10)
  }
  const checked = await post(`/v1/verifications/${started.id}/check`, { code })
  if (checked.status !== 'approved') throw new Error(`flow ${i}: ${JSON.stringify(checked)}`)
}

const dbPath = join(dir, 'verigate.db')
const wal = `${dbPath}-wal`
for (let i = 0; i < 5; i++) await flow(i) // warm-up: caches, prepared statements
await sleep(1_000)
const holder = new Database(dbPath)
holder.prepare('begin').run()
holder.prepare('select count(*) from sqlite_schema').get()
const walBefore = readFileSync(wal).length
let next = 5
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    while (next < 5 + flows) await flow(next++)
  }),
)
await sleep(1_000)
const log = readFileSync(wal)
copyFileSync(dbPath, join(dir, 'copy.db'))
copyFileSync(wal, join(dir, 'copy.db-wal'))
holder.close()
server.kill('SIGTERM')

const pageSize = log.readUInt32BE(8)
const frameSize = 24 + pageSize
const pages = []
let commits = 0
for (let at = Math.max(32, walBefore); at + frameSize <= log.length; at += frameSize) {
  pages.push(log.readUInt32BE(at))
  if (log.readUInt32BE(at + 4) !== 0) commits++
}
const copy = new Database(join(dir, 'copy.db'), { readonly: true })
const treeOf = new Map(
  copy
    .prepare('select name, pageno from dbstat')
    .all()
    .map((r) => [r.pageno, r.name]),
)
copy.close()
const byTree = new Map()
for (const page of pages) {
  const tree = treeOf.get(page) ?? '(freed since)'
  byTree.set(tree, (byTree.get(tree) ?? 0) + 1)
}
console.log(
  `${flows} flows, ${inFlight} in flight: ${pages.length} WAL pages (${(pages.length / flows).toFixed(1)} a flow), ` +
    `${commits} commits (${(commits / flows).toFixed(1)} a flow, ${(pages.length / Math.max(1, commits)).toFixed(1)} pages each)`,
)
for (const [tree, n] of [...byTree].sort((a, b) => b[1] - a[1]))
  console.log(`${(n / flows).toFixed(2).padStart(7)}  ${tree}`)
await sleep(500)
rmSync(dir, { recursive: true, force: true })
