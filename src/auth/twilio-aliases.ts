/**
 * @module The Twilio names of a verigate API key: the AccountSid (`AC…`) and API key sid (`SK…`) an
 * app configures in the Twilio SDK. They are derived, not stored: `AC`/`SK` + the first 16 bytes of
 * SHA-256 of the key id, in hex. Not secrets (the key id is not one either); the password is the key.
 */
import { createHash } from 'node:crypto'

const digits = (apiKeyId: string) => createHash('sha256').update(apiKeyId).digest('hex').slice(0, 32)

export function twilioAccountSid(apiKeyId: string): string {
  return `AC${digits(apiKeyId)}`
}

export function twilioApiKeySid(apiKeyId: string): string {
  return `SK${digits(apiKeyId)}`
}
