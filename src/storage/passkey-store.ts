/** @module KyselyPasskeyStore: registered passkeys with their signature counters, on either dialect. */
import type { Kysely, Selectable } from 'kysely'
import { isPasskeyDeviceType, type PasskeyRecord, type PasskeyStore } from '../factors/passkey-store.js'
import type { Database, PasskeyTable } from './schema.js'

export function toPasskey(r: Selectable<PasskeyTable>): PasskeyRecord {
  if (!isPasskeyDeviceType(r.device_type))
    throw new Error(`passkey ${r.id}: unknown device type "${r.device_type}"`)
  return {
    id: r.id,
    serviceId: r.service_id,
    entityId: r.entity_id,
    userHandle: r.user_handle,
    publicKey: r.public_key,
    counter: Number(r.counter),
    transports: JSON.parse(r.transports) as string[],
    aaguid: r.aaguid,
    deviceType: r.device_type,
    backedUp: r.backed_up === 1,
    friendlyName: r.friendly_name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }
}

export function fromPasskey(p: PasskeyRecord): Selectable<PasskeyTable> {
  return {
    id: p.id,
    service_id: p.serviceId,
    entity_id: p.entityId,
    user_handle: p.userHandle,
    public_key: p.publicKey,
    counter: p.counter,
    transports: JSON.stringify(p.transports),
    aaguid: p.aaguid,
    device_type: p.deviceType,
    backed_up: p.backedUp ? 1 : 0,
    friendly_name: p.friendlyName,
    created_at: p.createdAt,
    last_used_at: p.lastUsedAt,
  }
}

export class KyselyPasskeyStore implements PasskeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(passkey: PasskeyRecord): Promise<boolean> {
    // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL a failed statement
    // would poison any transaction the caller may be in.
    const row = await this.db
      .insertInto('passkeys')
      .values(fromPasskey(passkey))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst()
    return row !== undefined
  }

  async get(serviceId: string, credentialId: string): Promise<PasskeyRecord | undefined> {
    const row = await this.db
      .selectFrom('passkeys')
      .selectAll()
      .where('id', '=', credentialId)
      .where('service_id', '=', serviceId)
      .executeTakeFirst()
    return row && toPasskey(row)
  }

  async list(serviceId: string, entityId: string): Promise<PasskeyRecord[]> {
    const rows = await this.db
      .selectFrom('passkeys')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('entity_id', '=', entityId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toPasskey)
  }

  async delete(serviceId: string, entityId: string, credentialId: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('passkeys')
      .where('id', '=', credentialId)
      .where('service_id', '=', serviceId)
      .where('entity_id', '=', entityId)
      .executeTakeFirst()
    return Number(res.numDeletedRows) === 1
  }

  async recordUse(
    credentialId: string,
    counter: number,
    backedUp: boolean,
    now: number,
  ): Promise<PasskeyRecord | undefined> {
    // The counter guard is the compare-and-set: a counter that does not move forward (a clone, or
    // the loser of a race) changes nothing. Authenticators that never count stay at 0 and pass.
    const row = await this.db
      .updateTable('passkeys')
      .set({ counter, backed_up: backedUp ? 1 : 0, last_used_at: now })
      .where('id', '=', credentialId)
      .where((eb) => (counter === 0 ? eb('counter', '=', 0) : eb('counter', '<', counter)))
      .returningAll()
      .executeTakeFirst()
    return row && toPasskey(row)
  }
}
