/** Faults a test or a drill switches on; all off by default. */
export interface SimFaults {
  /** Extra copies of every result notice (the platform resending). */
  duplicate: number
  /** With a success, also send the notice of an earlier failed attempt, after it (stale, out of order). */
  outOfOrder: boolean
  /** Keep notices until `flush()` (late notices). */
  hold: boolean
  /** Wait this long before sending a notice (the redirect does not wait). */
  delayMs: number
  /** Never send notices: our side must learn the outcome by querying. */
  drop: boolean
}

export const NO_FAULTS: SimFaults = { duplicate: 0, outOfOrder: false, hold: false, delayMs: 0, drop: false }
