/**
 * @module `createProvider`: the one exhaustive switch that builds adapters at boot, so a bad
 * credential shape or an unknown type fails at startup rather than on the first SMS. The config
 * union itself is in `provider-config.ts`, which loads no adapter.
 */
import { http } from './http.js'
import { infobip } from './infobip.js'
import { kannel } from './kannel.js'
import { messagebird } from './messagebird.js'
import { plivo } from './plivo.js'
import type { MessageProvider, ProviderDeps } from './provider.js'
import type { AdapterConfig } from './provider-config.js'
import { sinch } from './sinch.js'
import { smpp } from './smpp.js'
import { smtp } from './smtp.js'
import { sns } from './sns.js'
import { telegram } from './telegram.js'
import { telnyx } from './telnyx.js'
import { twilio } from './twilio.js'
import { vonage } from './vonage.js'
import { whatsappCloud } from './whatsapp-cloud.js'

/**
 * Builds one adapter. Simulator instances are built by the caller (they share the phone inbox).
 */
export function createProvider(config: AdapterConfig, deps: ProviderDeps): MessageProvider {
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
    case 'telegram':
      return telegram(config, deps)
  }
}
