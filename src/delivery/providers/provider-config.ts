/**
 * @module The `providers` config entry: a discriminated union on `type` over every adapter's own
 * config schema. It imports those schemas only (zod, no adapter), so the config can be validated
 * without loading any adapter or its libraries (smpp, nodemailer).
 */
import { z } from 'zod'
import { HttpConfigSchema } from './http-config.js'
import { InfobipConfigSchema } from './infobip-config.js'
import { KannelConfigSchema } from './kannel-config.js'
import { MessagebirdConfigSchema } from './messagebird-config.js'
import { PlivoConfigSchema } from './plivo-config.js'
import { type SimulatorProviderConfig, SimulatorProviderConfigSchema } from './simulator-config.js'
import { SinchConfigSchema } from './sinch-config.js'
import { SmppConfigSchema } from './smpp-config.js'
import { SmtpConfigSchema } from './smtp-config.js'
import { SnsConfigSchema } from './sns-config.js'
import { TelegramConfigSchema } from './telegram-config.js'
import { TelnyxConfigSchema } from './telnyx-config.js'
import { TwilioConfigSchema } from './twilio-config.js'
import { VonageConfigSchema } from './vonage-config.js'
import { WhatsappCloudConfigSchema } from './whatsapp-cloud-config.js'

/** One entry of the `providers` list; `type` picks the adapter. */
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
  TelegramConfigSchema,
  SimulatorProviderConfigSchema,
])

/** A validated `providers` entry, defaults applied. */
export type ProviderConfig = z.output<typeof providerConfigSchema>

/** Every adapter type the config accepts (`twilio`, ..., `simulator`). */
export type ProviderType = ProviderConfig['type']

/** Entries `createProvider` builds: all but simulator instances, which share the phone inbox. */
export type AdapterConfig = Exclude<ProviderConfig, SimulatorProviderConfig>

export type { SimulatorProviderConfig }
