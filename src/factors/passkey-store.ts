/**
 * @module What passkeys need from storage: the registered credentials and the pending ceremony
 * challenges. Implemented in `src/storage/passkey-store.ts` and
 * `src/storage/passkey-challenge-store.ts`; the shared behaviour is pinned by
 * `passkey-store.contract.ts`.
 */

/** `singleDevice`: bound to one authenticator. `multiDevice`: may be synced (a "synced passkey"). */
export const PASSKEY_DEVICE_TYPES = ['singleDevice', 'multiDevice'] as const
export type PasskeyDeviceType = (typeof PASSKEY_DEVICE_TYPES)[number]

export function isPasskeyDeviceType(value: string): value is PasskeyDeviceType {
  return (PASSKEY_DEVICE_TYPES as readonly string[]).includes(value)
}

/** A registered WebAuthn credential of an app's user (`entityId`). */
export interface PasskeyRecord {
  /** The credential id (base64url), as the authenticator chose it. Unique across all services. */
  readonly id: string
  readonly serviceId: string
  readonly entityId: string
  /** WebAuthn `user.id` (base64url) the credential was created for: the same for all of an entity's passkeys. */
  readonly userHandle: string
  /** COSE public key, base64url. Not secret, but never needed outside verification. */
  readonly publicKey: string
  /** Signature counter last seen; 0 for authenticators that do not count (most synced passkeys). */
  readonly counter: number
  /** Transport hints (`internal`, `hybrid`, `usb`, ...) the browser reported, for `allowCredentials`. */
  readonly transports: readonly string[]
  /** Authenticator model GUID; all zeros when the authenticator does not say. */
  readonly aaguid: string
  readonly deviceType: PasskeyDeviceType
  /** Whether a multi-device credential is currently backed up (synced). */
  readonly backedUp: boolean
  readonly friendlyName: string
  readonly createdAt: number
  /** Last successful authentication, or null before the first. */
  readonly lastUsedAt: number | null
}

export interface PasskeyStore {
  /**
   * Stores a new credential. Returns false (and changes nothing) when the credential id is already
   * registered, to any service or entity.
   */
  insert(passkey: PasskeyRecord): Promise<boolean>
  /** The credential with this id in this service, whichever entity owns it. */
  get(serviceId: string, credentialId: string): Promise<PasskeyRecord | undefined>
  /** Oldest first. */
  list(serviceId: string, entityId: string): Promise<PasskeyRecord[]>
  /** True when a row was deleted. Scoped to service and entity. */
  delete(serviceId: string, entityId: string, credentialId: string): Promise<boolean>
  /**
   * Records a successful authentication: sets the counter, the backup state and `lastUsedAt`, as a
   * compare-and-set that applies only while the stored counter is below `counter` (or both are 0,
   * for authenticators that do not count). Returns the row after the change, or undefined when the
   * counter did not move forward (a racing use got there first, or a cloned authenticator) or the
   * credential is gone.
   */
  recordUse(
    credentialId: string,
    counter: number,
    backedUp: boolean,
    now: number,
  ): Promise<PasskeyRecord | undefined>
}

export const PASSKEY_CEREMONIES = ['registration', 'authentication'] as const
export type PasskeyCeremony = (typeof PASSKEY_CEREMONIES)[number]

/** A challenge handed to the browser, waiting for the authenticator's answer. */
export interface PasskeyChallengeRecord {
  /** base64url of 32 random bytes: both the value signed by the authenticator and the key. */
  readonly challenge: string
  readonly serviceId: string
  readonly ceremony: PasskeyCeremony
  /** The entity the ceremony is for; null for a discoverable sign-in (the passkey names the user). */
  readonly entityId: string | null
  /** Registration only: the WebAuthn `user.id` (base64url) offered to the authenticator. */
  readonly userHandle: string | null
  readonly createdAt: number
  readonly expiresAt: number
}

export interface PasskeyChallengeStore {
  insert(challenge: PasskeyChallengeRecord): Promise<void>
  /**
   * Removes and returns the challenge matching all of the given fields (`entityId` only when
   * given): `DELETE ... RETURNING`, so of racing callers exactly one gets it, and a challenge works
   * once even when its ceremony then fails. Expired challenges are returned too, so the caller can
   * say "expired" rather than "unknown".
   */
  take(key: {
    serviceId: string
    ceremony: PasskeyCeremony
    challenge: string
    entityId?: string
  }): Promise<PasskeyChallengeRecord | undefined>
  /** Deletes challenges with `expiresAt <= now` (abandoned ceremonies). Returns how many. */
  deleteExpired(now: number): Promise<number>
}
