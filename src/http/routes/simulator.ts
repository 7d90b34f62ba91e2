/**
 * @module The carrier simulator's surface: the phone inbox (JSON, a live SSE stream and a small web
 * page) and the scenario switch. Open in development; in production (where the simulator must be
 * named to run at all) it needs an admin key, since the inbox holds codes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../../errors/app-error.js'
import { analyzePhoneNumber } from '../../phone/index.js'
import type { InboxMessage } from '../../simulator/phone-inbox.js'
import { SIMULATOR_SCENARIOS, type SimulatorScenario, TEST_NUMBERS } from '../../simulator/scenarios.js'
import type { ApiKeyAuth } from '../auth.js'
import type { HttpContext } from '../http-context.js'
import { simulatorPage } from './simulator-page.js'

/** `?to=+4477...` arrives as ` 4477...` (a `+` in a query string is a space); put the plus back. */
function normalizeTo(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined
  const restored = /^\s+\d/.test(raw) ? `+${raw.trim()}` : raw.trim()
  if (restored.includes('@')) return restored.toLowerCase()
  return analyzePhoneNumber(restored).e164 ?? restored
}

function messageJson(m: InboxMessage) {
  return {
    id: m.id,
    to: m.to,
    from: m.from,
    channel: m.channel,
    body: m.body,
    subject: m.subject ?? null,
    received_at: new Date(m.receivedAt).toISOString(),
  }
}

export function registerSimulatorRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  const guard = async (request: FastifyRequest) => {
    if (!deps.simulator) {
      throw new AppError('SIMULATOR_DISABLED', {
        message: 'The carrier simulator is off on this server (VERIGATE_SIMULATOR=false or production).',
      })
    }
    if (deps.config.env === 'production')
      await auth.require('admin', { audit: false, global: true })(request, undefined as never)
  }
  const toQuery = {
    type: 'object',
    additionalProperties: false,
    properties: {
      to: { type: 'string', maxLength: 254 },
      limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$' },
    },
  } as const

  app.get<{ Querystring: { to?: string; limit?: string } }>(
    '/v1/simulator/messages',
    {
      onRequest: guard,
      schema: {
        tags: ['simulator'],
        summary: 'Messages the simulated phones received, newest first',
        querystring: toQuery,
      },
    },
    async (request) => ({
      data: deps
        .simulator!.inbox.list({
          to: normalizeTo(request.query.to),
          limit: Number(request.query.limit ?? 50),
        })
        .map(messageJson),
    }),
  )

  app.get<{ Querystring: { to?: string } }>(
    '/v1/simulator/messages/stream',
    {
      onRequest: guard,
      schema: {
        tags: ['simulator'],
        summary: 'Server-Sent Events: one `message` event per message received',
        querystring: toQuery,
      },
    },
    (request, reply) => {
      const to = normalizeTo(request.query.to)
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      })
      res.write(': connected\n\n')
      const unsubscribe = deps.simulator!.inbox.subscribe((m) => {
        if (to === undefined || m.to === to)
          res.write(`event: message\ndata: ${JSON.stringify(messageJson(m))}\n\n`)
      })
      const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000)
      heartbeat.unref()
      request.raw.on('close', () => {
        clearInterval(heartbeat)
        unsubscribe()
      })
    },
  )

  app.delete(
    '/v1/simulator/messages',
    { onRequest: guard, schema: { tags: ['simulator'], summary: 'Empty the inbox' } },
    async (_r, reply) => {
      deps.simulator!.inbox.clear()
      return reply.code(204).send()
    },
  )

  app.get(
    '/v1/simulator/scenarios',
    {
      onRequest: guard,
      schema: { tags: ['simulator'], summary: 'The test numbers and what each reproduces' },
    },
    async () => ({
      scenarios: SIMULATOR_SCENARIOS,
      test_numbers: TEST_NUMBERS,
    }),
  )

  app.put<{ Params: { number: string }; Body: { scenario: SimulatorScenario | null } }>(
    '/v1/simulator/scenarios/:number',
    {
      onRequest: guard,
      schema: {
        tags: ['simulator'],
        summary: 'Make a number behave as a scenario (null restores its default)',
        params: {
          type: 'object',
          properties: { number: { type: 'string', maxLength: 32 } },
          required: ['number'],
        },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['scenario'],
          properties: { scenario: { type: ['string', 'null'], enum: [...SIMULATOR_SCENARIOS, null] } },
        },
      },
    },
    async (request) => {
      const analysis = analyzePhoneNumber(request.params.number)
      if (!analysis.e164) {
        throw new AppError('PHONE_NUMBER_INVALID', {
          message: analysis.problem?.message ?? 'Not a valid number.',
          details: { suggestion: analysis.suggestion ?? null },
        })
      }
      deps.simulator!.setScenario(analysis.e164, request.body.scenario ?? undefined)
      return { number: analysis.e164, scenario: deps.simulator!.scenarioOf(analysis.e164) }
    },
  )

  app.get('/simulator', { onRequest: guard, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(simulatorPage()),
  )
}
