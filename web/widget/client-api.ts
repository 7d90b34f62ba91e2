/** @module The widget's calls to `/v1/client/*`, each carrying the client token (docs/client-api.md). */
import { requestJson } from '../shared/api.js'
import type { Channel, ClientDiagnosis, ClientSession, ClientVerification, PhoneAnalysis } from './types.js'

export class ClientApi {
  constructor(
    readonly base: string,
    readonly token: string,
  ) {}

  private call<T>(method: string, path: string, json?: unknown): Promise<T> {
    return requestJson<T>(`${this.base}/v1/client/${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}` },
      ...(json === undefined ? {} : { json }),
    })
  }

  session = () => this.call<ClientSession>('GET', 'session')
  analyse = (number: string, country?: string) =>
    this.call<PhoneAnalysis>('POST', 'phone-analysis', country ? { number, country } : { number })
  /** `locale`: the widget's language, so the message matches the page when the token names none. */
  start = (to: string, channel: Channel, locale: string) =>
    this.call<ClientVerification>('POST', 'verification', { to, channel, locale })
  verification = () => this.call<ClientVerification>('GET', 'verification')
  check = (code: string) => this.call<ClientVerification>('POST', 'verification/check', { code })
  resend = (channel?: Channel) =>
    this.call<ClientVerification>('POST', 'verification/resend', channel ? { channel } : {})
  /** In the widget's language: the server tells the causes in each of the 13 languages. */
  diagnosis = (locale: string) =>
    this.call<ClientDiagnosis>('GET', `verification/diagnosis?locale=${encodeURIComponent(locale)}`)

  /** URLs a browser opens without headers take the token in the query. */
  url(path: 'verification/stream' | 'resume.svg'): string {
    return `${this.base}/v1/client/${path}?token=${encodeURIComponent(this.token)}`
  }
}
