import { describe, expect, it } from 'vitest'
import { KeyedQueue } from './keyed-queue.js'

const tick = () => new Promise((r) => setTimeout(r, 1))

describe('KeyedQueue', () => {
  it('runs tasks of one key one after another, and tasks of other keys alongside', async () => {
    const q = new KeyedQueue()
    const log: string[] = []
    const task = (name: string) => async () => {
      log.push(`${name}:start`)
      await tick()
      log.push(`${name}:end`)
      return name
    }
    const results = await Promise.all([
      q.run('a', task('a1')),
      q.run('a', task('a2')),
      q.run('b', task('b1')),
    ])
    expect(results).toEqual(['a1', 'a2', 'b1'])
    expect(log.indexOf('a1:end')).toBeLessThan(log.indexOf('a2:start'))
    expect(log.indexOf('b1:start')).toBeLessThan(log.indexOf('a1:end'))
  })

  it('a failing task does not stop the next one, and idle keys are forgotten', async () => {
    const q = new KeyedQueue()
    const failed = q.run('a', async () => {
      throw new Error('boom')
    })
    const next = q.run('a', async () => 'ok')
    await expect(failed).rejects.toThrow('boom')
    await expect(next).resolves.toBe('ok')
    await tick()
    expect(q.size).toBe(0)
  })
})
