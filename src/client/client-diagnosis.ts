/**
 * @module The browser's "Didn't get the code?": a diagnosis with the user's words only. Support's
 * explanations, evidence (routes, providers, raw codes) and actions never leave the server here.
 */
import type { Channel } from '../channels/channel.js'
import type { CauseId, Diagnosis, DiagnosisStatus, Likelihood } from '../diagnosis/index.js'
import { diagnosisInUserWords } from '../diagnosis/user-words/index.js'

export interface ClientCause {
  readonly id: CauseId
  readonly likelihood: Likelihood
  readonly rank: number
  readonly title: string
  readonly explanation: string
  readonly next_actions: readonly string[]
  readonly wait_seconds?: number
  readonly sender_id?: string
  /** A corrected number, or another channel that can reach the number. */
  readonly suggestion?: { readonly number?: string; readonly channel?: Channel }
}

export interface ClientDiagnosis {
  readonly status: DiagnosisStatus
  /** One or two plain sentences for the person waiting for the code. */
  readonly summary: string
  readonly causes: readonly ClientCause[]
}

/** `locale`: any language tag; the 13 SMS-template languages are told in their own words, others in English. */
export function clientDiagnosis(d: Diagnosis, locale?: string): ClientDiagnosis {
  const words = diagnosisInUserWords(d, locale)
  return {
    status: d.status,
    summary: words.summary,
    causes: words.causes.map((c) => {
      const suggestion =
        c.suggested_number !== undefined || c.suggested_channel !== undefined
          ? {
              ...(c.suggested_number !== undefined ? { number: c.suggested_number } : {}),
              ...(c.suggested_channel !== undefined ? { channel: c.suggested_channel } : {}),
            }
          : undefined
      return {
        id: c.id,
        likelihood: c.likelihood,
        rank: c.rank,
        title: c.title,
        explanation: c.explanation,
        next_actions: c.next_actions,
        ...(c.wait_seconds !== undefined ? { wait_seconds: c.wait_seconds } : {}),
        ...(c.sender_id !== undefined ? { sender_id: c.sender_id } : {}),
        ...(suggestion ? { suggestion } : {}),
      }
    }),
  }
}
