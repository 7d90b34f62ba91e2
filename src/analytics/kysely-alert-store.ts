/** @module KyselyAlertStore: rate-drop alerts in the `alerts` table, on either dialect. */
import type { Kysely, Selectable } from 'kysely'
import type { AlertTable, Database } from '../storage/schema.js'
import {
  ALERT_KINDS,
  type Alert,
  type AlertDimension,
  type AlertKind,
  type AlertStatus,
  type AlertStore,
} from './alert.js'

function openKey(a: Pick<Alert, 'kind' | 'dimension' | 'key'>): string {
  return `${a.kind}|${a.dimension}|${a.key}`
}

function toAlert(r: Selectable<AlertTable>): Alert {
  return {
    id: r.id,
    kind: r.kind as AlertKind,
    dimension: r.dimension as AlertDimension,
    key: r.key,
    status: r.status as AlertStatus,
    baselineRate: Number(r.baseline_rate),
    baselineSamples: Number(r.baseline_samples),
    recentRate: Number(r.recent_rate),
    recentSamples: Number(r.recent_samples),
    recoveredRate: r.recovered_rate === null ? null : Number(r.recovered_rate),
    serviceIds: JSON.parse(r.service_ids) as string[],
    openedAt: Number(r.opened_at),
    recoveredAt: r.recovered_at === null ? null : Number(r.recovered_at),
  }
}

/** Unique-constraint violations: SQLite `SQLITE_CONSTRAINT_UNIQUE`, PostgreSQL `23505`. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string })?.code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505'
}

export class KyselyAlertStore implements AlertStore {
  constructor(private readonly db: Kysely<Database>) {}

  async open(alert: Alert): Promise<boolean> {
    try {
      await this.db
        .insertInto('alerts')
        .values({
          id: alert.id,
          kind: alert.kind,
          dimension: alert.dimension,
          key: alert.key,
          status: 'open',
          open_key: openKey(alert),
          baseline_rate: alert.baselineRate,
          baseline_samples: alert.baselineSamples,
          recent_rate: alert.recentRate,
          recent_samples: alert.recentSamples,
          recovered_rate: null,
          service_ids: JSON.stringify(alert.serviceIds),
          opened_at: alert.openedAt,
          recovered_at: null,
          updated_at: alert.openedAt,
        })
        .execute()
      return true
    } catch (err) {
      if (isUniqueViolation(err)) return false
      throw err
    }
  }

  async listOpen(): Promise<Alert[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('status', '=', 'open')
      .orderBy('opened_at')
      .execute()
    return rows.map(toAlert)
  }

  async recover(id: string, at: number, recoveredRate: number): Promise<boolean> {
    // `status = 'open'` in the WHERE: of two workers recovering the same alert, one updates a row.
    const result = await this.db
      .updateTable('alerts')
      .set({
        status: 'recovered',
        open_key: null,
        recovered_rate: recoveredRate,
        recovered_at: at,
        updated_at: at,
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async recent(limit: number): Promise<Alert[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .selectAll()
      .orderBy('opened_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return rows.map(toAlert)
  }

  async countOpen(): Promise<Record<AlertKind, number>> {
    const rows = await this.db
      .selectFrom('alerts')
      .select(['kind', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('status', '=', 'open')
      .groupBy('kind')
      .execute()
    const out = Object.fromEntries(ALERT_KINDS.map((k) => [k, 0])) as Record<AlertKind, number>
    for (const r of rows)
      if ((ALERT_KINDS as readonly string[]).includes(r.kind)) out[r.kind as AlertKind] = Number(r.n)
    return out
  }
}
