/**
 * @module Verify v2 resources the SDK exposes that verigate does not have (Messaging Configurations,
 * Webhooks, Access Tokens for push, challenge Notifications, the entity list, Forms, Safe List). They
 * answer Twilio's 403 / 60204 "Service does not support this feature" rather than a bare 404, so an
 * app learns the feature is missing, not that its sid is wrong. See docs/twilio-compat.md.
 */
import type { FastifyInstance } from 'fastify'
import type { CompatContext } from './context.js'
import { featureNotEnabled } from './errors.js'

const UNAVAILABLE: ReadonlyArray<readonly [path: string, feature: string]> = [
  ['/Services/:serviceSid/MessagingConfigurations', 'MessagingConfigurations'],
  ['/Services/:serviceSid/MessagingConfigurations/*', 'MessagingConfigurations'],
  ['/Services/:serviceSid/Webhooks', 'Webhooks'],
  ['/Services/:serviceSid/Webhooks/*', 'Webhooks'],
  ['/Services/:serviceSid/AccessTokens', 'AccessTokens'],
  ['/Services/:serviceSid/AccessTokens/*', 'AccessTokens'],
  ['/Services/:serviceSid/Entities/:identity/Challenges/:sid/Notifications', 'Notifications'],
  ['/Forms/*', 'Forms'],
  ['/SafeList/*', 'SafeList'],
]

export function registerUnavailableRoutes(app: FastifyInstance, cx: CompatContext): void {
  const read = cx.auth.require('read')
  for (const [path, feature] of UNAVAILABLE) {
    app.all(path, { onRequest: read }, async () => {
      throw featureNotEnabled(feature)
    })
  }
  // Entities exist through their factors; listing every identity of a service is not offered.
  app.get('/Services/:serviceSid/Entities', { onRequest: read }, async () => {
    throw featureNotEnabled('Entities')
  })
}
