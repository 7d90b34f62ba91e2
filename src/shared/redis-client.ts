/**
 * @module createRedisClient: an ioredis client whose every wait is bounded. A command gets no
 * answer within `commandTimeoutMs` → it fails; while the connection is down, commands fail at once
 * instead of queueing (`enableOfflineQueue: false`); reconnection retries forever with a capped
 * backoff. Callers decide what a failure means (the limiter falls back to memory, the change feed
 * drops one notice).
 */
import { Redis } from 'ioredis'
import { type RedisConfig, RedisConfigSchema } from './redis-config.js'

/** The timeouts a client takes (`config.redis`); unset fields take the schema's defaults. */
export type RedisClientSettings = Partial<Omit<RedisConfig, 'probeIntervalMs'>>

/** A client that connects when `connectRedis` is called. */
export function createRedisClient(url: string, settings: RedisClientSettings = {}): Redis {
  const s = { ...RedisConfigSchema.parse({}), ...settings }
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: s.connectTimeoutMs,
    commandTimeout: s.commandTimeoutMs,
    // A command waiting for a reconnect is a request waiting; fail it and let the caller decide.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Replaying a limit check or a notice after a reconnect helps nobody; it was already answered.
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt - 1, 10), s.reconnectMaxDelayMs),
  })
}

/**
 * Connects once; on failure the client is disconnected (no retries in the background) and the
 * reason is thrown: the socket's error (ECONNREFUSED...) rather than ioredis's "Connection is closed".
 */
export async function connectRedis(client: Redis): Promise<void> {
  let reason: Error | undefined
  const keepReason = (err: Error) => {
    reason ??= err
  }
  client.on('error', keepReason)
  try {
    await client.connect()
  } catch (err) {
    client.disconnect()
    throw reason ?? err
  } finally {
    client.off('error', keepReason)
  }
}

/** Ends the connection: politely (QUIT) when it is up, at once when it is not. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return
  if (client.status !== 'ready') {
    client.disconnect()
    return
  }
  await client.quit().catch(() => client.disconnect())
}
