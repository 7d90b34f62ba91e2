/** @module GET /v1/phone-numbers/{number}: the analysis of a number, with the reason and a fix when it is unusable. */
import type { FastifyInstance } from 'fastify'
import { analyzePhoneNumber } from '../../phone/index.js'
import type { ApiKeyAuth } from '../auth.js'
import { phoneJson } from '../representations.js'

export function registerPhoneNumberRoutes(app: FastifyInstance, auth: ApiKeyAuth): void {
  app.get<{ Params: { number: string }; Querystring: { country?: string } }>(
    '/v1/phone-numbers/:number',
    {
      onRequest: auth.require('read'),
      schema: {
        tags: ['phone numbers'],
        summary: 'Analyse a phone number: E.164, country, type, SMS capability, and what is wrong with it',
        params: {
          type: 'object',
          properties: { number: { type: 'string', minLength: 1, maxLength: 64 } },
          required: ['number'],
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            country: {
              type: 'string',
              pattern: '^[A-Za-z]{2}$',
              description: 'Country for national-format input',
            },
          },
        },
      },
    },
    async (request) => {
      const country = request.query.country?.toUpperCase()
      return phoneJson(
        analyzePhoneNumber(request.params.number, country ? { defaultCountry: country } : undefined),
      )
    },
  )
}
