/**
 * @module Provider configuration (a discriminated union on `type`) and `createProvider`, the one
 * exhaustive switch that builds adapters at boot, so a bad credential shape or an unknown type
 * fails at startup rather than on the first SMS.
 */
import { z } from 'zod'
import { HttpConfigSchema, http } from './http.js'
import { InfobipConfigSchema, infobip } from './infobip.js'
import { KannelConfigSchema, kannel } from './kannel.js'
import { MessagebirdConfigSchema, messagebird } from './messagebird.js'
import { PlivoConfigSchema, plivo } from './plivo.js'
import type { MessageProvider, ProviderDeps } from './provider.js'
import { SinchConfigSchema, sinch } from './sinch.js'
import { SmppConfigSchema, smpp } from './smpp.js'
import { SmtpConfigSchema, smtp } from './smtp.js'
import { SnsConfigSchema, sns } from './sns.js'
import { TelnyxConfigSchema, telnyx } from './telnyx.js'
import { TwilioConfigSchema, twilio } from './twilio.js'
import { VonageConfigSchema, vonage } from './vonage.js'
import { WhatsappCloudConfigSchema, whatsappCloud } from './whatsapp-cloud.js'

/** An extra carrier simulator instance (the built-in one is `simulator`); handy for failover drills. */
export const SimulatorProviderConfigSchema = z
  .object({
    type: z.literal('simulator'),
    id: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9_-]+$/),
    channels: z
      .array(z.enum(['sms', 'call', 'whatsapp', 'email']))
      .min(1)
      .default(['sms', 'call', 'whatsapp', 'email']),
    /** Every submit fails with 503, as if this provider were down. */
    outage: z.boolean().default(false),
    /** Every message accepted here is then blocked by the carrier (failed receipt). */
    carrierBlocks: z.boolean().default(false),
    /** Accepts messages but never sends a receipt (for receipt-timeout drills). */
    silent: z.boolean().default(false),
  })
  .strict()

export const providerConfigSchema = z.discriminatedUnion('type', [
  TwilioConfigSchema,
  VonageConfigSchema,
  TelnyxConfigSchema,
  PlivoConfigSchema,
  InfobipConfigSchema,
  SinchConfigSchema,
  MessagebirdConfigSchema,
  SnsConfigSchema,
  HttpConfigSchema,
  WhatsappCloudConfigSchema,
  SmtpConfigSchema,
  SmppConfigSchema,
  KannelConfigSchema,
  SimulatorProviderConfigSchema,
])
export type ProviderConfig = z.output<typeof providerConfigSchema>
export type SimulatorProviderConfig = z.output<typeof SimulatorProviderConfigSchema>

/**
 * Builds one adapter. Simulator instances are built by the caller (they share the phone inbox).
 */
export function createProvider(
  config: Exclude<ProviderConfig, SimulatorProviderConfig>,
  deps: ProviderDeps,
): MessageProvider {
  switch (config.type) {
    case 'twilio':
      return twilio(config, deps)
    case 'vonage':
      return vonage(config, deps)
    case 'telnyx':
      return telnyx(config, deps)
    case 'plivo':
      return plivo(config, deps)
    case 'infobip':
      return infobip(config, deps)
    case 'sinch':
      return sinch(config, deps)
    case 'messagebird':
      return messagebird(config, deps)
    case 'sns':
      return sns(config, deps)
    case 'http':
      return http(config, deps)
    case 'whatsapp-cloud':
      return whatsappCloud(config, deps)
    case 'smtp':
      return smtp(config, deps)
    case 'smpp':
      return smpp(config, deps)
    case 'kannel':
      return kannel(config, deps)
  }
}
