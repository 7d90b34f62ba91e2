/** @module The channels a code can travel on. */

export const CHANNELS = ['sms', 'call', 'whatsapp', 'email'] as const
export type Channel = (typeof CHANNELS)[number]

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value)
}
