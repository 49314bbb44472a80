/**
 * Dossier code (DOMAIN A7, B §3.1): `{agency code}-{YYMMDD}-{NNNN}`, the receiving agency's
 * identifier, the receipt date in Vietnam time and a per-agency daily sequence of at least
 * four digits.
 */
export const DOSSIER_CODE_PATTERN = /^[0-9A-Z]{1,5}(\.[0-9A-Z]{1,5}){2,6}-\d{6}-\d{4,}$/

const VN_OFFSET_MS = 7 * 3600_000

/** 'YYYY-MM-DD' of an instant in Vietnam time (UTC+7, no daylight saving). */
export function vnDate(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10)
}

/** The code without its sequence number: `{agency code}-{YYMMDD}-`. */
export function dossierCodePrefix(agencyCode: string, receivedAt: Date): string {
  const d = vnDate(receivedAt)
  return `${agencyCode}-${d.slice(2, 4)}${d.slice(5, 7)}${d.slice(8, 10)}-`
}

/** The sequence number as the code writes it: at least four digits (the repo's SQL does the same). */
export function dossierCodeSeq(seq: number): string {
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`sequence must be a positive integer, got ${seq}`)
  return String(seq).padStart(4, '0')
}

export function formatDossierCode(agencyCode: string, receivedAt: Date, seq: number): string {
  return dossierCodePrefix(agencyCode, receivedAt) + dossierCodeSeq(seq)
}

export function isDossierCode(s: string): boolean {
  return s.length <= 60 && DOSSIER_CODE_PATTERN.test(s)
}
