#!/usr/bin/env node
/**
 * @module The `verigate` executable. Nothing here imports the application statically: in ESM,
 * OpenTelemetry can trace pg and ioredis only if its loader hook is registered and the SDK started
 * before they are first imported, so `serve` (every role) loads the tracing preload first and only
 * then the commands. `node --import ./dist/cli/otel-preload.js dist/cli/index.js ...` does the same
 * for any command; loading the preload twice is harmless.
 */
if (process.argv[2] === 'serve') await import('./otel-preload.js')
await import('./main.js')
