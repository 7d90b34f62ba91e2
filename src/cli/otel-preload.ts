/**
 * @module The tracing preload: when the standard `OTEL_*` variables turn traces on, registers the
 * OpenTelemetry ESM loader hook (import-in-the-middle, through `@opentelemetry/instrumentation/hook.mjs`)
 * and starts the SDK, before anything imports pg or ioredis. Without it an ESM process gets HTTP and
 * verification-step spans but no database or Redis spans: the instrumentations patch a module only
 * as it is loaded. Used by `verigate serve` (src/cli/index.ts) and usable as
 * `node --import ./dist/cli/otel-preload.js`. With tracing off it does nothing and loads nothing.
 */
import { register } from 'node:module'
import { INSTRUMENTED_MODULES, startTracing, tracingStarted, tracingWanted } from './tracing.js'

if (tracingWanted(process.env) && !tracingStarted()) {
  // Only the modules an instrumentation patches through the hook go through it: wrapping every
  // module costs start-up time and can break modules the wrapper does not understand.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: [...INSTRUMENTED_MODULES] },
  })
  await startTracing(process.env)
}
