/** @module Public API of the diagnosis domain: "Didn't get the code?" answered with its cause. */

export { DEFAULT_DELIVERY_MS, diagnose } from './diagnose.js'
export type {
  Cause,
  CauseId,
  CounterFacts,
  Diagnosis,
  DiagnosisInput,
  DiagnosisStatus,
  Evidence,
  GeoFacts,
  Likelihood,
  LimitFacts,
  RouteFacts,
} from './diagnosis.js'
export { CAUSE_IDS, isCauseId, LIKELIHOODS } from './diagnosis.js'
export type { DiagnoseNumberOptions, DiagnosticianDeps, NumberDiagnosis } from './diagnostician.js'
export { Diagnostician } from './diagnostician.js'
