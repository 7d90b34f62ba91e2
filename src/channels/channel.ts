/** @module The channels a code can travel on. */

/** `telegram`: the Telegram Gateway API, which delivers to the Telegram account of a phone number. */
export const CHANNELS = ['sms', 'call', 'whatsapp', 'email', 'telegram'] as const
export type Channel = (typeof CHANNELS)[number]

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value)
}
