/**
 * @module Rate-drop alerts: the entity, its JSON and the store it lives in (implemented in
 * `kysely-alert-store.ts`). At most one alert is open per kind, dimension and key.
 */

export const ALERT_KINDS = ['delivery_rate_drop', 'conversion_rate_drop'] as const
export type AlertKind = (typeof ALERT_KINDS)[number]

/** The keys alerts are raised for. */
export const ALERT_DIMENSIONS = ['country', 'route', 'channel'] as const
export type AlertDimension = (typeof ALERT_DIMENSIONS)[number]

export const ALERT_STATUSES = ['open', 'recovered'] as const
export type AlertStatus = (typeof ALERT_STATUSES)[number]

export interface Alert {
  /** `alr_...` */
  readonly id: string
  readonly kind: AlertKind
  readonly dimension: AlertDimension
  /** Country code, route id or channel. */
  readonly key: string
  readonly status: AlertStatus
  /** The key's own rate over the baseline window before the drop. */
  readonly baselineRate: number
  readonly baselineSamples: number
  /** The rate over the recent window that raised the alert. */
  readonly recentRate: number
  readonly recentSamples: number
  /** The recent rate when the alert recovered. */
  readonly recoveredRate: number | null
  /** Services whose traffic on this key was in the recent window (they are told by webhook). */
  readonly serviceIds: readonly string[]
  readonly openedAt: number
  readonly recoveredAt: number | null
}

export interface AlertJson {
  id: string
  kind: AlertKind
  dimension: AlertDimension
  key: string
  status: AlertStatus
  /** `delivery_rate` or `conversion_rate`. */
  metric: 'delivery_rate' | 'conversion_rate'
  baseline_rate: number
  baseline_samples: number
  recent_rate: number
  recent_samples: number
  recovered_rate: number | null
  service_ids: string[]
  opened_at: string
  recovered_at: string | null
}

export function alertMetric(kind: AlertKind): 'delivery_rate' | 'conversion_rate' {
  return kind === 'delivery_rate_drop' ? 'delivery_rate' : 'conversion_rate'
}

export function alertJson(a: Alert): AlertJson {
  return {
    id: a.id,
    kind: a.kind,
    dimension: a.dimension,
    key: a.key,
    status: a.status,
    metric: alertMetric(a.kind),
    baseline_rate: a.baselineRate,
    baseline_samples: a.baselineSamples,
    recent_rate: a.recentRate,
    recent_samples: a.recentSamples,
    recovered_rate: a.recoveredRate,
    service_ids: [...a.serviceIds],
    opened_at: new Date(a.openedAt).toISOString(),
    recovered_at: a.recoveredAt === null ? null : new Date(a.recoveredAt).toISOString(),
  }
}

export interface AlertStore {
  /**
   * Stores a new open alert. False (and nothing stored) when one is already open for its kind,
   * dimension and key: a unique column makes that hold across several workers.
   */
  open(alert: Alert): Promise<boolean>
  /** Every open alert. */
  listOpen(): Promise<Alert[]>
  /** Marks an open alert recovered. False when it was not open (another worker got there first). */
  recover(id: string, at: number, recoveredRate: number): Promise<boolean>
  /** Newest first. */
  recent(limit: number): Promise<Alert[]>
  /** Open alerts per kind. */
  countOpen(): Promise<Record<AlertKind, number>>
}
