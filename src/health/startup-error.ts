/**
 * @module The error a start-up ends with when a dependency cannot be reached: it names the
 * dependency, where it was looked for (password hidden) and the setting to check, and the CLI prints
 * it without a stack trace.
 */

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')
}

export class DependencyStartupError extends Error {
  /**
   * @param what the dependency as a person names it (`PostgreSQL`, `Redis`)
   * @param setting the environment variable and config key that point at it
   * @param cause the driver's error; its message is quoted
   */
  constructor(
    readonly what: string,
    url: string,
    readonly setting: string,
    cause: unknown,
  ) {
    super(
      `Cannot reach ${what} at ${redactUrl(url)}: ${rootMessage(cause)}. Check ${setting} and that ${what} is running and reachable from here.`,
      { cause },
    )
    this.name = 'DependencyStartupError'
  }
}

// The 503 a guarded pool throws wraps the driver's error; the driver's says more.
function rootMessage(err: unknown): string {
  let e: unknown = err
  for (let i = 0; i < 5; i++) {
    const cause = (e as { cause?: unknown })?.cause
    const code = (e as { code?: unknown })?.code
    if (cause === undefined || (typeof code === 'string' && code !== 'SERVICE_UNAVAILABLE')) break
    e = cause
  }
  if (e instanceof AggregateError && e.errors.length > 0) e = e.errors[0]
  const message = (e as Error)?.message
  return message ? message : String(e)
}
