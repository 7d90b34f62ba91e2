/**
 * @module SoftAuthenticator: a WebAuthn authenticator plus the browser's part of the ceremony, in
 * software. ES256 (P-256) keys from node:crypto, attestation `none`, authenticator data and CBOR
 * built by hand, so registration and authentication responses verify for real against
 * @simplewebauthn/server without a browser.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server'

/** COSE algorithm id of ES256. */
const ES256 = -7

const FLAG = { up: 0x01, uv: 0x04, be: 0x08, bs: 0x10, at: 0x40 } as const

export interface SoftCredential {
  /** Credential id, base64url. */
  readonly id: string
  readonly rpId: string
  /** WebAuthn `user.id` from the registration options, base64url. */
  readonly userHandle: string
  readonly privateKey: KeyObject
  /** Signature counter: the next assertion reports `counter + counterStep`. */
  counter: number
}

export interface SoftAuthenticatorOptions {
  /** Origin the "browser" reports in clientDataJSON. @default 'http://localhost:8080' */
  readonly origin?: string
  /** Added to the counter on each assertion; 0 is an authenticator that does not count. @default 1 */
  readonly counterStep?: number
  /** Whether the user is verified (UV flag). @default true */
  readonly userVerified?: boolean
  /** Backup eligible and backed up (a synced, multi-device passkey). @default false */
  readonly synced?: boolean
  /** 16 bytes. @default all zeros (what `none` attestation reports) */
  readonly aaguid?: Uint8Array
  readonly transports?: readonly string[]
}

/** What a single ceremony may change, to build responses a real authenticator would not. */
export interface CeremonyOverrides {
  readonly origin?: string
  readonly rpId?: string
  readonly challenge?: string
  readonly userVerified?: boolean
  readonly type?: string
}

export class SoftAuthenticator {
  readonly credentials = new Map<string, SoftCredential>()

  constructor(private readonly opts: SoftAuthenticatorOptions = {}) {}

  /**
   * `navigator.credentials.create()` followed by `toJSON()`. Refuses (like the real thing, with
   * InvalidStateError) when it holds a credential listed in `excludeCredentials`.
   */
  create(
    options: PublicKeyCredentialCreationOptionsJSON,
    o: CeremonyOverrides & { credentialId?: string } = {},
  ): RegistrationResponseJSON {
    if (!options.pubKeyCredParams.some((p) => p.alg === ES256)) throw new Error('ES256 not offered')
    const rpId = o.rpId ?? options.rp.id ?? 'localhost'
    for (const excluded of options.excludeCredentials ?? []) {
      if (this.credentials.has(excluded.id))
        throw new Error('InvalidStateError: credential already registered')
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    // A chosen id makes a response for a credential id that is already registered elsewhere.
    const credentialId =
      o.credentialId === undefined ? randomBytes(16) : Buffer.from(o.credentialId, 'base64url')
    const id = credentialId.toString('base64url')
    this.credentials.set(id, { id, rpId, userHandle: options.user.id, privateKey, counter: 0 })

    const jwk = publicKey.export({ format: 'jwk' })
    const coseKey = new Map<number, CborValue>([
      [1, 2], // kty: EC2
      [3, ES256], // alg
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x ?? '', 'base64url')],
      [-3, Buffer.from(jwk.y ?? '', 'base64url')],
    ])
    const attested = Buffer.concat([
      Buffer.from(this.opts.aaguid ?? new Uint8Array(16)),
      u16(credentialId.length),
      credentialId,
      cbor(coseKey),
    ])
    const authData = Buffer.concat([this.authDataHead(rpId, 0, o, FLAG.at), attested])
    const attestationObject = cbor(
      new Map<string, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    )
    const clientDataJSON = this.clientData('webauthn.create', options.challenge, o)
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        transports: [...(this.opts.transports ?? ['internal', 'hybrid'])],
        publicKeyAlgorithm: ES256,
        publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64url'),
      },
    }
  }

  /**
   * `navigator.credentials.get()` followed by `toJSON()`: signs with the credential `credentialId`,
   * else the first held credential that `allowCredentials` lists (any held one when it is empty, as
   * for a discoverable sign-in).
   */
  get(
    options: PublicKeyCredentialRequestOptionsJSON,
    o: CeremonyOverrides & { credentialId?: string; omitUserHandle?: boolean } = {},
  ): AuthenticationResponseJSON {
    const allowed = options.allowCredentials?.map((c) => c.id)
    const credential =
      (o.credentialId === undefined ? undefined : this.credentials.get(o.credentialId)) ??
      [...this.credentials.values()].find(
        (c) => allowed === undefined || allowed.length === 0 || allowed.includes(c.id),
      )
    if (!credential) throw new Error('NotAllowedError: no matching credential')
    credential.counter += this.opts.counterStep ?? 1
    const authData = this.authDataHead(o.rpId ?? options.rpId ?? credential.rpId, credential.counter, o, 0)
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, o)
    const signed = Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()])
    // DER-encoded ECDSA, which is what WebAuthn ES256 signatures are.
    const signature = sign('sha256', signed, credential.privateKey)
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        ...(o.omitUserHandle ? {} : { userHandle: credential.userHandle }),
      },
    }
  }

  /** Another authenticator holding copies of the same keys and counters: a cloned authenticator. */
  clone(): SoftAuthenticator {
    const copy = new SoftAuthenticator(this.opts)
    for (const c of this.credentials.values()) copy.credentials.set(c.id, { ...c })
    return copy
  }

  /** The only credential held (most tests register one per authenticator). */
  get credential(): SoftCredential {
    const [first, ...rest] = [...this.credentials.values()]
    if (!first || rest.length > 0) throw new Error(`expected one credential, have ${this.credentials.size}`)
    return first
  }

  private authDataHead(rpId: string, counter: number, o: CeremonyOverrides, extraFlags: number): Buffer {
    const uv = o.userVerified ?? this.opts.userVerified ?? true
    const synced = this.opts.synced ?? false
    const flags = FLAG.up | (uv ? FLAG.uv : 0) | (synced ? FLAG.be | FLAG.bs : 0) | extraFlags
    const count = Buffer.alloc(4)
    count.writeUInt32BE(counter)
    return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count])
  }

  private clientData(type: string, challenge: string, o: CeremonyOverrides): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: o.type ?? type,
        challenge: o.challenge ?? challenge,
        origin: o.origin ?? this.opts.origin ?? 'http://localhost:8080',
        crossOrigin: false,
      }),
    )
  }
}

/** The CBOR subset WebAuthn needs: integers, byte and text strings, arrays and maps. */
export type CborValue =
  | number
  | string
  | Uint8Array
  | readonly CborValue[]
  | ReadonlyMap<CborValue, CborValue>

export function cbor(value: CborValue): Buffer {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`CBOR: only integers, got ${value}`)
    return value >= 0 ? head(0, value) : head(1, -1 - value)
  }
  if (typeof value === 'string') {
    const utf8 = Buffer.from(value, 'utf8')
    return Buffer.concat([head(3, utf8.length), utf8])
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value])
  if (value instanceof Map) {
    const parts = [head(5, value.size)]
    for (const [k, v] of value) parts.push(cbor(k), cbor(v))
    return Buffer.concat(parts)
  }
  const items = value as readonly CborValue[]
  return Buffer.concat([head(4, items.length), ...items.map(cbor)])
}

function head(major: number, n: number): Buffer {
  const m = major << 5
  if (n < 24) return Buffer.from([m | n])
  if (n < 0x100) return Buffer.from([m | 24, n])
  if (n < 0x10000) return Buffer.concat([Buffer.from([m | 25]), u16(n)])
  if (n < 0x100000000) {
    const b = Buffer.alloc(5)
    b[0] = m | 26
    b.writeUInt32BE(n, 1)
    return b
  }
  throw new Error('CBOR: value too large for this encoder')
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(n)
  return b
}
