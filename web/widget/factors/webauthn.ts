/**
 * @module The browser's half of the passkey ceremonies without a library: the server's options
 * JSON (base64url strings) becomes the ArrayBuffers `navigator.credentials` wants, and the
 * credential it returns becomes the JSON (`RegistrationResponseJSON` / `AuthenticationResponseJSON`)
 * the server verifies. Written by hand to keep the widget small (`@simplewebauthn/browser` does
 * the same in more bytes).
 */

type Json = Record<string, unknown>
type Descriptor = { id: string; type: string; transports?: string[] }

export function toB64url(buf: ArrayBuffer | ArrayBufferView): string {
  const bytes =
    buf instanceof ArrayBuffer
      ? new Uint8Array(buf)
      : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function fromB64url(s: string): ArrayBuffer {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4))
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out.buffer
}

const descriptors = (list: unknown): PublicKeyCredentialDescriptor[] | undefined =>
  (list as Descriptor[] | undefined)?.map((d) => ({
    ...d,
    type: 'public-key',
    id: fromB64url(d.id),
    transports: d.transports as AuthenticatorTransport[] | undefined,
  }))

/** Whether this browser can run passkey ceremonies at all. */
export const passkeysSupported = (): boolean => typeof window.PublicKeyCredential === 'function'

/** Registers a passkey with `PublicKeyCredentialCreationOptionsJSON`; answers `RegistrationResponseJSON`. */
export async function createPasskey(options: Json): Promise<Json> {
  const user = options.user as Json & { id: string }
  const publicKey = {
    ...options,
    challenge: fromB64url(options.challenge as string),
    user: { ...user, id: fromB64url(user.id) },
    excludeCredentials: descriptors(options.excludeCredentials),
  } as unknown as PublicKeyCredentialCreationOptions
  const cred = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential | null
  if (!cred) throw new DOMException('No credential', 'NotAllowedError')
  const r = cred.response as AuthenticatorAttestationResponse
  const response: Json = {
    clientDataJSON: toB64url(r.clientDataJSON),
    attestationObject: toB64url(r.attestationObject),
    transports: r.getTransports?.() ?? [],
  }
  // Optional accessors (not in every browser); the server reads them from the attestation otherwise.
  const alg = r.getPublicKeyAlgorithm?.()
  if (alg !== undefined) response.publicKeyAlgorithm = alg
  const key = r.getPublicKey?.()
  if (key) response.publicKey = toB64url(key)
  const data = r.getAuthenticatorData?.()
  if (data) response.authenticatorData = toB64url(data)
  return credentialJson(cred, response)
}

/** Signs in with `PublicKeyCredentialRequestOptionsJSON`; answers `AuthenticationResponseJSON`. */
export async function getPasskey(options: Json): Promise<Json> {
  const publicKey = {
    ...options,
    challenge: fromB64url(options.challenge as string),
    allowCredentials: descriptors(options.allowCredentials),
  } as unknown as PublicKeyCredentialRequestOptions
  const cred = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential | null
  if (!cred) throw new DOMException('No credential', 'NotAllowedError')
  const r = cred.response as AuthenticatorAssertionResponse
  const response: Json = {
    clientDataJSON: toB64url(r.clientDataJSON),
    authenticatorData: toB64url(r.authenticatorData),
    signature: toB64url(r.signature),
  }
  if (r.userHandle && r.userHandle.byteLength > 0) response.userHandle = toB64url(r.userHandle)
  return credentialJson(cred, response)
}

function credentialJson(cred: PublicKeyCredential, response: Json): Json {
  return {
    id: cred.id,
    rawId: toB64url(cred.rawId),
    type: 'public-key',
    response,
    clientExtensionResults: cred.getClientExtensionResults(),
    ...(cred.authenticatorAttachment ? { authenticatorAttachment: cred.authenticatorAttachment } : {}),
  }
}
