/**
 * @module JSON schemas of request bodies that several route modules share: the one-time-code body,
 * the empty body of POSTs without input, and the browser's WebAuthn answers (the native passkey
 * routes and the client API take the same).
 */

/** POST endpoints without input accept no body, `{}` or `null`. */
export const emptyBody = { type: ['object', 'null'], additionalProperties: false, properties: {} } as const

/** A one-time code as typed (spaces allowed; the domain normalises and checks it). */
export const codeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['code'],
  properties: { code: { type: 'string', minLength: 1, maxLength: 32 } },
} as const

/** Attestation objects can carry certificate chains; room for them without raising the global limit. */
export const PASSKEY_BODY_LIMIT = 65_536

/** WebAuthn allows credential ids up to 1023 bytes: 1364 base64url characters. */
export const credentialId = {
  type: 'string',
  minLength: 1,
  maxLength: 1364,
  pattern: '^[A-Za-z0-9_-]+$',
} as const
const base64url = { type: 'string', minLength: 1, maxLength: 16_384, pattern: '^[A-Za-z0-9_-]+$' } as const

/**
 * The browser's `PublicKeyCredential.toJSON()`. Unlike the rest of the API, unknown fields are
 * allowed here: browsers write this object, not apps, and add fields as WebAuthn grows. Only the
 * fields listed are read.
 */
const credentialJson = (response: { required: string[]; properties: Record<string, unknown> }) =>
  ({
    type: 'object',
    required: ['id', 'rawId', 'type', 'response'],
    properties: {
      id: credentialId,
      rawId: credentialId,
      type: { type: 'string', enum: ['public-key'] },
      authenticatorAttachment: { type: 'string', maxLength: 32 },
      clientExtensionResults: { type: 'object', default: {} },
      response: { type: 'object', ...response },
    },
  }) as const
export const registrationResponse = credentialJson({
  required: ['clientDataJSON', 'attestationObject'],
  properties: {
    clientDataJSON: base64url,
    attestationObject: base64url,
    authenticatorData: base64url,
    transports: { type: 'array', maxItems: 16, items: { type: 'string', maxLength: 32 } },
    publicKeyAlgorithm: { type: 'integer' },
    publicKey: base64url,
  },
})
export const authenticationResponse = credentialJson({
  required: ['clientDataJSON', 'authenticatorData', 'signature'],
  properties: {
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: { type: 'string', maxLength: 128, pattern: '^[A-Za-z0-9_-]*$' },
  },
})
