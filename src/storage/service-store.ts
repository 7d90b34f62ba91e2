/** @module KyselyServiceStore: per-app settings. */
import type { Kysely } from 'kysely'
import type { Service, ServiceStore } from '../services/service.js'
import { fromService, toService } from './rows.js'
import type { Database } from './schema.js'

export class KyselyServiceStore implements ServiceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(service: Service): Promise<void> {
    await this.db.insertInto('services').values(fromService(service)).execute()
  }

  async get(id: string): Promise<Service | undefined> {
    const row = await this.db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toService(row)
  }

  async list(opts: { limit: number; after?: string | undefined }): Promise<Service[]> {
    let q = this.db.selectFrom('services').selectAll().orderBy('id').limit(opts.limit)
    if (opts.after) q = q.where('id', '>', opts.after)
    return (await q.execute()).map(toService)
  }

  async update(service: Service): Promise<boolean> {
    const { id, created_at: _created, ...rest } = fromService(service)
    const res = await this.db.updateTable('services').set(rest).where('id', '=', id).executeTakeFirst()
    return Number(res.numUpdatedRows) === 1
  }

  async delete(id: string): Promise<boolean> {
    const res = await this.db.deleteFrom('services').where('id', '=', id).executeTakeFirst()
    return Number(res.numDeletedRows) === 1
  }
}
