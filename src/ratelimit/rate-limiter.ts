/** @module The `RateLimiter` interface every limiter store implements, and the rule and decision types. */

/**
 * A fixed-window limit: at most `points` per `durationSeconds` per key. Declare rules once (module
 * constants) and reuse them: a limiter keeps one counter namespace per `name`.
 */
export interface LimitRule {
  /**
   * Namespaces the keys (`vg:rl:<name>:<key>`), so `send:phone` and `send:ip` never share a counter.
   * Two rules with the same name but different limits are a bug and make `consume` reject.
   */
  readonly name: string
  /** Points allowed per window; a positive integer. */
  readonly points: number
  /** Window length in whole seconds (Redis expires keys with second precision); a positive integer. */
  readonly durationSeconds: number
}

/** The outcome of `consume` or `peek`. */
export interface LimitDecision {
  /** False when the limit is exhausted. */
  readonly allowed: boolean
  /** Points left in the current window (0 when refused). */
  readonly remaining: number
  /** 0 when allowed; otherwise milliseconds until the window resets (always > 0). */
  readonly retryAfterMs: number
  /** Milliseconds since the epoch when the current window resets (now, if no window is open). */
  readonly resetAt: number
}

export interface RateLimiter {
  /**
   * Consumes `cost` points for `key` under `rule`. A refusal is a decision (`allowed: false`,
   * `retryAfterMs > 0`), never an exception. A refused consume still counts against the window, so
   * a client that keeps retrying early gains nothing, and a `cost` above `rule.points` is always
   * refused.
   * @param cost positive integer; @default 1
   * @throws RangeError when the rule or cost is invalid
   * @throws Error when the rule's name was already used with different limits
   * @throws the store's own error when the backing store fails (the caller decides fail-open/closed)
   */
  consume(rule: LimitRule, key: string, cost?: number): Promise<LimitDecision>
  /**
   * Reads the state without consuming. `allowed` says whether one more point would be accepted now.
   * @throws the store's own error when the backing store fails
   */
  peek(rule: LimitRule, key: string): Promise<LimitDecision>
  /**
   * Gives back `points` consumed earlier for `key` under `rule` (a request that consumed and then
   * did not go ahead, such as the losing side of two concurrent identical starts). Never lowers the
   * count below zero, and refunding a key with no open window is not an error.
   * @param points positive integer; @default 1
   * @throws the store's own error when the backing store fails
   */
  refund(rule: LimitRule, key: string, points?: number): Promise<void>
  /**
   * Clears the counter of `key` under `rule` (support staff lifting a limit). Clearing a key that has
   * no counter is not an error.
   */
  reset(rule: LimitRule, key: string): Promise<void>
  /**
   * Releases what the limiter owns (timers; the store connection only if the limiter opened it).
   * Idempotent. Later calls reject.
   */
  close(): Promise<void>
}
