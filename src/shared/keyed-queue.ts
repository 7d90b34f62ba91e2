/**
 * @module KeyedQueue: runs tasks with the same key one after another (and tasks with different keys
 * freely). Holds an entry only while a key has work in flight, so it never grows with traffic.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key)
    const result = previous ? previous.then(task, task) : task()
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return result
  }

  /** Keys with work in flight (for tests and gauges). */
  get size(): number {
    return this.tails.size
  }
}
