/**
 * @module Pool size and timeouts of PostgreSQL: how long verigate waits before a request answers
 * 503 SERVICE_UNAVAILABLE (docs/operations.md). A request waits at most `queryTimeoutMs`, or
 * `connectTimeoutMs` for a connection; once PostgreSQL is found unreachable, requests fail at once
 * until it answers again. Declared beside the module it configures; `src/config/schema.ts` composes
 * every module's schema into the one config.
 */
import { z } from 'zod'

export const PostgresConfigSchema = z
  .object({
    /** Connections in the pool. */
    poolSize: z.number().int().min(1).max(1000).default(10),
    /** Opening a connection, or waiting for a free one in the pool. */
    connectTimeoutMs: z.number().int().min(100).default(5_000),
    /** PostgreSQL cancels a statement running longer than this (`statement_timeout`). */
    statementTimeoutMs: z.number().int().min(100).default(5_000),
    /**
     * verigate gives up on an answer after this long, even from a frozen server or a dead network
     * (`query_timeout`). Keep it above `statementTimeoutMs`, so a slow statement is cancelled by the
     * server first.
     */
    queryTimeoutMs: z.number().int().min(100).default(6_000),
    /** An idle pooled connection is closed after this long. */
    idleTimeoutMs: z.number().int().min(100).default(10_000),
    /** PostgreSQL ends a session left idle inside a transaction (`idle_in_transaction_session_timeout`). */
    idleInTransactionTimeoutMs: z.number().int().min(100).default(30_000),
    /** While PostgreSQL is unreachable, the wait between two probes with a fresh connection. */
    probeIntervalMs: z.number().int().min(50).default(1_000),
    /**
     * The hot statements (start, check, hand-over, receipt) run as named prepared statements: parsed
     * and planned once per connection. Turn off behind a pooler that cannot keep them (PgBouncer in
     * transaction mode before 1.21, or without `max_prepared_statements`).
     */
    namedStatements: z.boolean().default(true),
  })
  .strict()
  .refine((p) => p.queryTimeoutMs > p.statementTimeoutMs, {
    message: 'queryTimeoutMs must be greater than statementTimeoutMs',
    path: ['queryTimeoutMs'],
  })
  .prefault({})

export type PostgresConfig = z.output<typeof PostgresConfigSchema>
