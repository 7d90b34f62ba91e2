/**
 * @module ChangeFeed: "this verification changed", across instances. The event bus is per process,
 * so with `role: api` serving the browsers' status streams and `role: worker` delivering the codes,
 * the worker's events (handed to the carrier, delivered, failed) never reach the API's bus. The
 * feed carries only verification ids (never numbers or codes) over Redis pub/sub when Redis is
 * configured, else PostgreSQL LISTEN/NOTIFY, else within the process (SQLite, one process).
 */
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import type { DependencyProbe, DependencyStatus } from '../health/dependency.js'
import { DependencyStartupError } from '../health/startup-error.js'
import type { Logger } from '../shared/logger.js'
import {
  closeRedis,
  connectRedis,
  createRedisClient,
  type RedisClientSettings,
} from '../shared/redis-client.js'
import type { EventBus } from './event-bus.js'

export type ChangeListener = (verificationId: string) => void

/**
 * Also a {@link DependencyProbe}: `degraded` while its transport is away. The feed carries on
 * within the process, and status streams catch up through their own periodic refresh.
 */
export interface ChangeFeed extends DependencyProbe {
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
  /** Timeouts of the Redis connections (`config.redis`). */
  readonly redisSettings?: RedisClientSettings
  /** With PostgreSQL: the longest wait between two attempts to LISTEN again. @default 5000 */
  readonly reconnectMaxDelayMs?: number
  /** LISTEN/NOTIFY over this pool when there is no Redis. */
  readonly pgPool?: pg.Pool | undefined
  /** The channel name, shared by every instance of one deployment. @default 'verigate_changes' */
  readonly channel?: string
  /**
   * Called once per message from another instance (a batch of changed verifications). A worker
   * wakes its dispatcher with it: a start on an `api` process queues a message in the shared
   * outbox, and without a wake-up the worker would find it only at its next poll.
   */
  readonly onRemoteChange?: (() => void) | undefined
}

interface Transport {
  publish(message: string): void
  current(): DependencyStatus
  check(): Promise<DependencyStatus>
  close(): Promise<void>
}

const UP: DependencyStatus = { state: 'up' }

/**
 * Connects the cross-instance transport first, so a bad URL fails at startup.
 * @throws DependencyStartupError naming REDIS_URL when Redis cannot be reached
 */
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
    opts.onRemoteChange?.()
  }
  const transport = opts.redisUrl
    ? await redisTransport(opts.redisUrl, opts.redisSettings ?? {}, channel, receive, opts.logger)
    : opts.pgPool
      ? await postgresTransport(opts.pgPool, channel, receive, opts.logger, opts.reconnectMaxDelayMs ?? 5_000)
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
  const kind = opts.redisUrl ? 'redis' : opts.pgPool ? 'postgres' : 'local'
  return {
    transport: kind,
    backend: kind,
    current: () => transport?.current() ?? UP,
    check: async () => (transport ? transport.check() : UP),
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
  settings: RedisClientSettings,
  channel: string,
  receive: (m: string) => void,
  logger: Logger,
): Promise<Transport> {
  // A subscribed connection can only subscribe, so publishing takes a second one.
  const pub = createRedisClient(url, settings)
  const sub = createRedisClient(url, settings)
  try {
    await Promise.all([connectRedis(pub), connectRedis(sub)])
    await sub.subscribe(channel)
  } catch (err) {
    pub.disconnect()
    sub.disconnect()
    throw new DependencyStartupError('Redis', url, 'REDIS_URL (redisUrl)', err)
  }
  sub.on('message', (_channel: string, message: string) => receive(message))
  const outage = outageLog(logger, 'redis')
  // ioredis reports every failed reconnect; the outage is logged once, by its state.
  const dropped = () => {}
  pub.on('error', dropped)
  sub.on('error', dropped)
  // A publish that timed out (a frozen server keeps its sockets open) counts until one succeeds.
  let failing = false
  const current = (): DependencyStatus => {
    if (pub.status === 'ready' && sub.status === 'ready' && !failing) return UP
    return {
      state: 'degraded',
      detail: 'Redis unreachable; changes made on other instances reach status streams at their next refresh',
    }
  }
  for (const client of [pub, sub])
    for (const event of ['ready', 'close']) client.on(event, () => outage(current()))
  return {
    publish(message) {
      pub.publish(channel, message).then(
        () => {
          failing = false
          outage(current())
        },
        (err: Error) => {
          failing = true
          outage(current(), err.message)
        },
      )
    },
    current,
    async check() {
      try {
        await pub.ping()
        failing = false
      } catch {
        failing = true
      }
      outage(current())
      return current()
    },
    async close() {
      outage.close()
      await Promise.all([closeRedis(sub), closeRedis(pub)])
    },
  }
}

/** Logs a transport's switches between up and away once each, not every failed attempt. */
function outageLog(logger: Logger, dependency: string) {
  let last: DependencyStatus['state'] = 'up'
  let closed = false
  const note = (status: DependencyStatus, err?: string) => {
    if (closed || status.state === last) return
    last = status.state
    if (status.state === 'up') logger.warn({ dependency }, 'change feed: connected again')
    else logger.warn({ dependency, err }, `change feed: ${status.detail ?? 'transport away'}`)
  }
  return Object.assign(note, {
    close() {
      closed = true
    },
  })
}

async function postgresTransport(
  pool: pg.Pool,
  channel: string,
  receive: (m: string) => void,
  logger: Logger,
  reconnectMaxDelayMs: number,
): Promise<Transport> {
  const outage = outageLog(logger, 'postgres')
  // LISTEN holds one connection for the life of the feed (taken again after it is lost); NOTIFY
  // borrows from the pool.
  let listener: pg.PoolClient | undefined
  let closed = false
  let retryTimer: NodeJS.Timeout | undefined
  let retryMs = 0
  let failing = false
  const away: DependencyStatus = {
    state: 'degraded',
    detail:
      'PostgreSQL LISTEN connection lost; changes made on other instances reach status streams at their next refresh',
  }
  const current = (): DependencyStatus => (listener && !failing ? UP : away)

  const listen = async (): Promise<void> => {
    const client = await pool.connect()
    const lost = (err: Error) => {
      if (listener !== client) return
      listener = undefined
      client.release(err)
      outage(current(), err.message)
      retry()
    }
    client.on('error', lost)
    client.on('end', () => lost(new Error('connection ended')))
    client.on('notification', (n) => {
      if (n.channel === channel && n.payload) receive(n.payload)
    })
    try {
      await client.query(`LISTEN ${channel}`)
    } catch (err) {
      client.release(err as Error)
      throw err
    }
    if (closed) {
      client.release(true)
      return
    }
    listener = client
    retryMs = 0
    outage(current())
  }
  // Backs off from 250 ms to `reconnectMaxDelayMs` while PostgreSQL stays away.
  const retry = () => {
    if (closed || retryTimer) return
    retryMs = Math.min(Math.max(retryMs * 2, 250), reconnectMaxDelayMs)
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      listen().catch(() => retry())
    }, retryMs)
    retryTimer.unref()
  }

  await listen()
  return {
    publish(message) {
      pool.query('select pg_notify($1, $2)', [channel, message]).then(
        () => {
          failing = false
          outage(current())
        },
        (err: Error) => {
          failing = true
          outage(current(), err.message)
        },
      )
    },
    current,
    async check() {
      const client = listener
      if (!client) return away
      try {
        await client.query('select 1')
        failing = false
      } catch {
        // A lost connection is taken out by its own error handler; a frozen server only times out.
        failing = true
      }
      outage(current())
      return current()
    },
    async close() {
      closed = true
      clearTimeout(retryTimer)
      outage.close()
      const client = listener
      listener = undefined
      if (!client) return
      try {
        await client.query(`UNLISTEN ${channel}`)
      } catch {
        // closing anyway
      }
      // Not back to the pool: it carries this feed's listeners.
      client.release(true)
    },
  }
}
