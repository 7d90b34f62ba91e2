/**
 * @module Services: the one administration of services (create, update, delete, list) with its
 * validation and cache invalidation, used by the native API, the Twilio-compatible API, the pages
 * and the CLI alike, plus the cached lookup the hot path reads settings through.
 */
import { AppError } from '../errors/app-error.js'
import type { Clock } from '../shared/clock.js'
import { newId } from '../shared/ids.js'
import { SERVICE_DEFAULTS, type Service, type ServiceLookup, type ServiceStore } from './service.js'
import { ServiceDirectory } from './service-directory.js'

/** The settings a caller may set; absent keys keep their default (create) or current value (update). */
export type ServiceSettings = Partial<Omit<Service, 'id' | 'createdAt' | 'updatedAt'>>

export class Services implements ServiceLookup {
  private readonly directory: ServiceDirectory

  constructor(
    private readonly store: ServiceStore,
    private readonly clock: Clock,
  ) {
    this.directory = new ServiceDirectory(store, clock)
  }

  /** Cached for a few seconds (another instance's change shows within that time). */
  get(id: string): Promise<Service | undefined> {
    return this.directory.get(id)
  }

  /** Read from the store, not the cache (administration reads). @throws AppError SERVICE_NOT_FOUND */
  async load(id: string): Promise<Service> {
    const service = await this.store.get(id)
    if (!service) throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${id}".` })
    return service
  }

  /** Services ordered by id, after the id `after` when given. */
  /**
   * A page of services in id order; `only` limits it to those ids (a key limited to services sees
   * just its own, paged the same way).
   */
  async list(opts: {
    limit: number
    after?: string | undefined
    only?: readonly string[] | null | undefined
  }): Promise<Service[]> {
    if (opts.only === null || opts.only === undefined) return this.store.list(opts)
    const after = opts.after
    const ids = [...new Set(opts.only)].filter((id) => after === undefined || id > after).sort()
    const found: Service[] = []
    for (const id of ids) {
      if (found.length >= opts.limit) break
      const service = await this.store.get(id)
      if (service) found.push(service)
    }
    return found
  }

  /** The first service with this exact name, if any (the demo finds its own service this way). */
  async findByName(name: string): Promise<Service | undefined> {
    let after: string | undefined
    for (;;) {
      const page = await this.store.list({ limit: 100, after })
      const hit = page.find((s) => s.name === name)
      if (hit || page.length < 100) return hit
      after = page.at(-1)?.id
    }
  }

  /** @throws AppError VALIDATION_FAILED when a setting breaks a rule the schema cannot express */
  async create(settings: ServiceSettings & { readonly name: string }): Promise<Service> {
    validate(settings)
    const now = this.clock.now()
    const service: Service = {
      id: newId('service'),
      name: settings.name,
      codeLength: settings.codeLength ?? SERVICE_DEFAULTS.codeLength,
      codeTtlSeconds: settings.codeTtlSeconds ?? SERVICE_DEFAULTS.codeTtlSeconds,
      maxCheckAttempts: settings.maxCheckAttempts ?? SERVICE_DEFAULTS.maxCheckAttempts,
      maxSends: settings.maxSends ?? SERVICE_DEFAULTS.maxSends,
      brandName: settings.brandName ?? null,
      messageTemplate: settings.messageTemplate ?? null,
      channels: settings.channels ?? SERVICE_DEFAULTS.channels,
      defaultLocale: settings.defaultLocale ?? SERVICE_DEFAULTS.defaultLocale,
      webotpDomain: settings.webotpDomain ?? null,
      fallbackChannels: settings.fallbackChannels ?? null,
      androidAppHash: settings.androidAppHash ?? null,
      returnUrlOrigins: settings.returnUrlOrigins ?? null,
      clientOrigins: settings.clientOrigins ?? null,
      lineChecks: settings.lineChecks ?? null,
      whatsappOneTap: settings.whatsappOneTap ?? null,
      fraud: settings.fraud ?? null,
      createdAt: now,
      updatedAt: now,
    }
    await this.store.insert(service)
    return service
  }

  /** @throws AppError SERVICE_NOT_FOUND, VALIDATION_FAILED */
  async update(id: string, patch: ServiceSettings): Promise<Service> {
    validate(patch)
    const current = await this.store.get(id)
    if (!current) throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${id}".` })
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
    const next: Service = { ...current, ...defined, id, updatedAt: this.clock.now() }
    await this.store.update(next)
    this.directory.invalidate(id)
    return next
  }

  /** Deletes a service with its verifications (foreign keys cascade). @throws AppError SERVICE_NOT_FOUND */
  async delete(id: string): Promise<void> {
    const deleted = await this.store.delete(id)
    this.directory.invalidate(id)
    if (!deleted) throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${id}".` })
  }
}

function validate(settings: ServiceSettings): void {
  const template = settings.messageTemplate
  if (template && !template.includes('{code}')) {
    throw new AppError('VALIDATION_FAILED', {
      message:
        'message_template must contain {code} where the code goes (it may also use {brand} and {minutes}).',
      details: { field: 'message_template' },
    })
  }
}
