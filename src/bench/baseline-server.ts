/**
 * @module The bench's machine baseline: the least a verification service could do per request on
 * this machine and this load generator. Fastify answers the same three calls as verigate (start,
 * the simulator's inbox stream, check), each start and each check is one SQLite insert (WAL,
 * `synchronous=NORMAL`, autocommit), and the code goes out on the stream at once. verigate's
 * figures divided by these read the same on a fast or a slow machine.
 *
 * Run by `npm run bench` as its own process: `node dist/bench/baseline-server.js <port> <dir>`.
 */
import { randomBytes, randomInt } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import Fastify from 'fastify'

const [portArg, dir] = process.argv.slice(2)
if (!portArg || !dir) throw new Error('usage: baseline-server <port> <dir>')

const db = new BetterSqlite3(join(dir, 'baseline.db'))
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.exec(
  'create table if not exists calls (id text primary key, kind text not null, destination text, at integer not null)',
)
const insert = db.prepare('insert into calls (id, kind, destination, at) values (?, ?, ?, ?)')
const codes = new Map<string, string>()
const streams = new Set<ServerResponse>()

const app = Fastify({ logger: false })
app.get('/readyz', async () => ({ status: 'ok' }))
app.get('/v1/simulator/messages/stream', (request, reply) => {
  reply.hijack()
  reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
  reply.raw.write(': connected\n\n')
  streams.add(reply.raw)
  request.raw.on('close', () => streams.delete(reply.raw))
})
app.post<{ Body: { to: string } }>('/v1/verifications', async (request, reply) => {
  const id = `ver_${randomBytes(10).toString('hex')}`
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  insert.run(id, 'start', request.body.to, Date.now())
  codes.set(id, code)
  const frame = `data: ${JSON.stringify({ to: request.body.to, body: `Your code is ${code}` })}\n\n`
  setImmediate(() => {
    for (const s of streams) s.write(frame)
  })
  return reply.code(201).send({ id, status: 'pending' })
})
app.post<{ Params: { id: string }; Body: { code: string } }>(
  '/v1/verifications/:id/check',
  async (request) => {
    const { id } = request.params
    insert.run(`${id}:check`, 'check', null, Date.now())
    const ok = codes.get(id) === request.body.code
    if (ok) codes.delete(id)
    return { id, status: ok ? 'approved' : 'pending' }
  },
)

await app.listen({ port: Number(portArg), host: '127.0.0.1' })
process.on('SIGTERM', () => {
  for (const s of streams) s.end()
  void app.close().then(() => {
    db.close()
    process.exit(0)
  })
})
