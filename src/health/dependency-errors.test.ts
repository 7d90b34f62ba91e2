/** Which errors mean "the dependency is unreachable", and the 503 they become. */
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors/app-error.js'
import {
  asDependencyUnavailable,
  classifyPostgresError,
  dependencyUnavailable,
  isRedisUnreachable,
} from './dependency-errors.js'

const sqlState = (code: string) => Object.assign(new Error('server says no'), { code, severity: 'FATAL' })
const system = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code })

describe('classifyPostgresError', () => {
  it.each([
    ['refused', system('ECONNREFUSED'), 'unreachable'],
    ['no route', system('EHOSTUNREACH'), 'unreachable'],
    ['frozen server (client read timeout)', new Error('Query read timeout'), 'unreachable'],
    ['connect timeout', new Error('Connection terminated due to connection timeout'), 'unreachable'],
    ['starting up / shutting down (57P03)', sqlState('57P03'), 'unreachable'],
    ['pg_terminate_backend (57P01)', sqlState('57P01'), 'lost'],
    ['crash of another backend (57P02)', sqlState('57P02'), 'lost'],
    ['connection exception class 08', sqlState('08006'), 'lost'],
    ['reset', system('ECONNRESET'), 'lost'],
    ['socket closed under a query', new Error('Connection terminated unexpectedly'), 'lost'],
    ['statement_timeout (57014)', sqlState('57014'), 'busy'],
    ['too many connections (53300)', sqlState('53300'), 'busy'],
    ['no free pooled connection', new Error('timeout exceeded when trying to connect'), 'busy'],
    [
      'both localhost addresses refused',
      new AggregateError([system('ECONNREFUSED'), system('ECONNREFUSED')]),
      'unreachable',
    ],
  ])('%s → %s', (_name, err, expected) => {
    expect(classifyPostgresError(err)).toBe(expected)
  })

  it.each([
    ['unique violation', sqlState('23505')],
    ['syntax error', sqlState('42601')],
    ['a bug', new TypeError('x is undefined')],
    ['not an error', 'boom'],
  ])('%s is not about reaching the database', (_name, err) => {
    expect(classifyPostgresError(err)).toBeUndefined()
  })
})

describe('isRedisUnreachable', () => {
  it('knows ioredis timeouts, closed connections and refused connects, not reply errors', () => {
    expect(isRedisUnreachable(new Error('Command timed out'))).toBe(true)
    expect(isRedisUnreachable(new Error('Connection is closed.'))).toBe(true)
    expect(
      isRedisUnreachable(new Error("Stream isn't writeable and enableOfflineQueue options is false")),
    ).toBe(true)
    expect(isRedisUnreachable(Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' }))).toBe(
      true,
    )
    expect(isRedisUnreachable(system('ECONNREFUSED'))).toBe(true)
    expect(
      isRedisUnreachable(new Error('WRONGTYPE Operation against a key holding the wrong kind of value')),
    ).toBe(false)
  })
})

describe('the 503', () => {
  it('is SERVICE_UNAVAILABLE naming the dependency, with Retry-After, and keeps the cause', () => {
    const cause = system('ECONNREFUSED')
    const err = dependencyUnavailable('postgres', cause, 3)
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      details: { dependency: 'postgres', retry_after: 3 },
      headers: { 'retry-after': '3' },
    })
    expect(err.cause).toBe(cause)
  })

  it('an untranslated driver error becomes it only when nothing else can have thrown it', () => {
    expect(asDependencyUnavailable(sqlState('57P01'))?.details.dependency).toBe('postgres')
    expect(asDependencyUnavailable(new Error('Query read timeout'))?.details.dependency).toBe('postgres')
    expect(asDependencyUnavailable(new Error('Command timed out'))?.details.dependency).toBe('redis')
    // A bare refused connect could be a provider's or a webhook's: not blamed on the database.
    expect(asDependencyUnavailable(system('ECONNREFUSED'))).toBeUndefined()
    expect(
      asDependencyUnavailable(new TypeError('fetch failed', { cause: system('ECONNREFUSED') })),
    ).toBeUndefined()
    expect(asDependencyUnavailable(sqlState('23505'))).toBeUndefined()
    expect(asDependencyUnavailable(new AppError('INTERNAL'))).toBeUndefined()
  })
})
