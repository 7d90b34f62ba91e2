/**
 * @module "Didn't get the code?": GET /v1/verifications/{id}/diagnosis and
 * GET /v1/phone-numbers/{number}/diagnosis, the ranked causes in the user's words and support's.
 */
import type { FastifyInstance } from 'fastify'
import { CHANNELS, type Channel } from '../../channels/channel.js'
import type { Diagnosis } from '../../diagnosis/index.js'
import { type ApiKeyAuth, serviceFilterOf } from '../auth.js'
import type { HttpContext } from '../http-context.js'
import { phoneJson } from '../representations.js'
import { ownVerification } from './verifications.js'

/** The response of GET /v1/verifications/{id}/diagnosis. */
export type DiagnosisResponse = Diagnosis

/** The response of GET /v1/phone-numbers/{number}/diagnosis. */
export interface NumberDiagnosisResponse {
  readonly number: ReturnType<typeof phoneJson>
  readonly diagnosis: Diagnosis
  readonly verifications: readonly Diagnosis[]
}

export function registerDiagnosisRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  const read = auth.require('read')

  app.get<{ Params: { id: string } }>(
    '/v1/verifications/:id/diagnosis',
    {
      onRequest: read,
      preHandler: ownVerification(deps.verifier),
      schema: {
        tags: ['verifications'],
        summary: "Didn't get the code? The likely causes, ranked, with what the user and support can do",
        description:
          'Reads the verification, its event timeline, its messages, the limit counters and route health. Each cause has a stable id (docs/diagnosis.md), a likelihood, user-facing and support-facing wording, and the evidence it rests on.',
        params: {
          type: 'object',
          properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
          required: ['id'],
        },
      },
    },
    async (request): Promise<DiagnosisResponse> => deps.diagnostician.diagnoseVerification(request.params.id),
  )

  app.get<{
    Params: { number: string }
    Querystring: { service_id?: string; country?: string; channel?: Channel; limit?: string }
  }>(
    '/v1/phone-numbers/:number/diagnosis',
    {
      onRequest: read,
      schema: {
        tags: ['phone numbers'],
        summary:
          'Diagnose a number: what is wrong with it as typed, and the causes for its latest verifications',
        params: {
          type: 'object',
          properties: { number: { type: 'string', minLength: 1, maxLength: 64 } },
          required: ['number'],
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            service_id: {
              type: 'string',
              minLength: 1,
              maxLength: 64,
              description: "Only this service's verifications",
            },
            country: {
              type: 'string',
              pattern: '^[A-Za-z]{2}$',
              description: 'Country for national-format input',
            },
            channel: {
              type: 'string',
              enum: CHANNELS,
              description: 'Channel the code goes on (default sms)',
            },
            limit: {
              type: 'string',
              pattern: '^([1-9]|10)$',
              description: 'Latest verifications to diagnose, 1 to 10 (default 3)',
            },
          },
        },
      },
    },
    async (request): Promise<NumberDiagnosisResponse> => {
      const q = request.query
      const result = await deps.diagnostician.diagnoseNumber(request.params.number, {
        defaultCountry: q.country?.toUpperCase(),
        serviceId: serviceFilterOf(request, q.service_id),
        channel: q.channel,
        limit: q.limit ? Number(q.limit) : undefined,
      })
      return {
        number: phoneJson(result.phone),
        diagnosis: result.diagnosis,
        verifications: result.verifications,
      }
    },
  )
}
