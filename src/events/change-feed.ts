/**
 * @module ChangeFeed: "this verification changed", across instances. The event bus is per process,
 * so with `role: api` serving the browsers' status streams and `role: worker` delivering the codes,
 * the worker's events (handed to the carrier, delivered, failed) never reach the API's bus. The
 * feed carries only verification ids (never numbers or codes) over Redis pub/sub when Redis is
 * configured, else PostgreSQL LISTEN/NOTIFY, else within the process (SQLite, one process).
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import type pg from 'pg'
import type { Logger } from '../shared/logger.js'
import type { EventBus } from './event-bus.js'

export type ChangeListener = (verificationId: string) => void

export interface ChangeFeed {
  /** `redis`, `postgres` or `local`: how far changes travel. */
  readonly transport: 'redis' | 'postgres' | 'local'
  /** Calls `listener` with the id of each verification that changed here or on another instance. */
  subscribe(listener: ChangeListener): () => void
  /** How many listeners are subscribed (one per open status stream). */
  listenerCount(): number
  close(): Promise<void>
}

export interface ChangeFeedOptions {
  readonly bus: EventBus
  readonly logger: Logger
  /** Pub/sub over Redis when set. */
  readonly redisUrl?: string | undefined
  /** LISTEN/NOTIFY over this pool when there is no Redis. */
  readonly pgPool?: pg.Pool | undefined
  /** The channel name, shared by every instance of one deployment. @default 'verigate_changes' */
  readonly channel?: string
}

interface Transport {
  publish(message: string): void
  close(): Promise<void>
}

/** Connects the cross-instance transport first, so a bad URL fails at startup. */
export async function createChangeFeed(opts: ChangeFeedOptions): Promise<ChangeFeed> {
  const channel = opts.channel ?? 'verigate_changes'
  // LISTEN takes an identifier, not a parameter: only plain names.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel))
    throw new Error(`change feed channel "${channel}" must be a plain lower-case name`)
  const instance = randomUUID()
  const listeners = new Set<ChangeListener>()
  const emit = (id: string) => {
    for (const l of listeners) {
      try {
        l(id)
      } catch (err) {
        opts.logger.error({ err }, 'change listener failed')
      }
    }
  }
  // Messages are "<instance>:<id>,<id>,..."; an instance's own come back and are skipped.
  const receive = (message: string) => {
    const at = message.indexOf(':')
    if (at <= 0 || message.slice(0, at) === instance) return
    for (const id of message.slice(at + 1).split(',')) if (id) emit(id)
  }
  const transport = opts.redisUrl
    ? await redisTransport(opts.redisUrl, channel, receive, opts.logger)
    : opts.pgPool
      ? await postgresTransport(opts.pgPool, channel, receive, opts.logger)
      : undefined
  // A start or a dispatch writes several events at once: they leave as one message per tick, so
  // the hot path pays one publish (not one per event) and never waits for it.
  const outgoing = new Set<string>()
  const flush = () => {
    if (outgoing.size === 0) return
    transport?.publish(`${instance}:${[...outgoing].join(',')}`)
    outgoing.clear()
  }
  const off = opts.bus.subscribe((e) => {
    if (e.verificationId === null) return
    emit(e.verificationId)
    if (!transport) return
    if (outgoing.size === 0) setImmediate(flush)
    outgoing.add(e.verificationId)
  })
  return {
    transport: opts.redisUrl ? 'redis' : opts.pgPool ? 'postgres' : 'local',
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    listenerCount: () => listeners.size,
    async close() {
      off()
      flush()
      listeners.clear()
      await transport?.close()
    },
  }
}

async function redisTransport(
  url: string,
  channel: string,
  receive: (m: string) => void,
  logger: Logger,
): Promise<Transport> {
  // A subscribed connection can only subscribe, so publishing takes a second one.
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  const sub = new Redis(url, { lazyConnect: true })
  const quiet = (err: Error) => logger.warn({ err: err.message }, 'change feed: redis connection error')
  pub.on('error', quiet)
  sub.on('error', quiet)
  await Promise.all([pub.connect(), sub.connect()])
  await sub.subscribe(channel)
  sub.on('message', (_channel: string, message: string) => receive(message))
  return {
    publish(message) {
      pub
        .publish(channel, message)
        .catch((err: Error) => logger.warn({ err: err.message }, 'change feed: publish failed'))
    },
    async close() {
      await Promise.allSettled([sub.quit(), pub.quit()])
    },
  }
}

async function postgresTransport(
  pool: pg.Pool,
  channel: string,
  receive: (m: string) => void,
  logger: Logger,
): Promise<Transport> {
  // LISTEN holds one connection for the life of the feed; NOTIFY borrows from the pool.
  const client = await pool.connect()
  client.on('notification', (n) => {
    if (n.channel === channel && n.payload) receive(n.payload)
  })
  client.on('error', (err) => logger.warn({ err: err.message }, 'change feed: postgres listener error'))
  await client.query(`LISTEN ${channel}`)
  return {
    publish(message) {
      pool
        .query('select pg_notify($1, $2)', [channel, message])
        .catch((err: Error) => logger.warn({ err: err.message }, 'change feed: notify failed'))
    },
    async close() {
      try {
        await client.query(`UNLISTEN ${channel}`)
      } catch {
        // closing anyway
      }
      client.release()
    },
  }
}
