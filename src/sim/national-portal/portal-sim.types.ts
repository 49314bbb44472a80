import type { PortalDossier, PortalEvent, PortalSubmission } from '../../modules/sync/index.js'

/** Faults for the sync endpoints (create, update, progress): probabilities in [0, 1] drawn per call. */
export interface PortalFaults {
  /** Answer 503 without doing anything. */
  http5xx: number
  /** Never answer (the client times out); nothing is stored. */
  timeout: number
  /** Store, then drop the connection without answering: the client sees an error. */
  drop: number
  /** Wait this long before handling each call. */
  slowMs: number
  /** Answer a create with "đã tồn tại" (the record is stored all the same). */
  alreadyExists: boolean
}

export const NO_PORTAL_FAULTS: PortalFaults = { http5xx: 0, timeout: 0, drop: 0, slowMs: 0, alreadyExists: false }

export interface SimDossier {
  record: PortalDossier
  events: (PortalEvent & { receivedAt: string })[]
  createdAt: string
  updates: number
}

export interface SimSubmission {
  submission: PortalSubmission
  acknowledged: boolean
  ourCode: string | null
}

export interface PortalSimStats {
  calls: number
  accepted: number
  rejected: number
  /** Events received, resends included. */
  eventsReceived: number
  /** Events stored whose identical twin was stored before: must stay 0. */
  duplicatesStored: number
  faults: { http5xx: number; timeout: number; drop: number; alreadyExists: number }
}

