import crypto from 'node:crypto'

/**
 * The hash chain of a dossier's events (issue "audit you can prove"). Each event's hash covers
 * its content and the previous event's hash, so changing, removing or reordering any stored
 * event breaks the chain from that event on; the dossier row keeps the head hash, so dropping
 * the newest events is caught too. A chain per dossier (not one global chain) keeps writers of
 * different dossiers independent and lets dossier tables be distributed by dossier id.
 */
export const GENESIS_HASH = '0'.repeat(64)

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

export interface ChainedContent {
  dossierId: string
  seq: number
  [key: string]: unknown
}

export function eventHash(prevHash: string, content: ChainedContent): string {
  return crypto.createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex')
}

export interface StoredChainEvent {
  id: number
  seq: number
  prevHash: string
  hash: string
  content: ChainedContent
}

export type ChainBreak =
  | { kind: 'hash_mismatch'; eventId: number; seq: number }
  | { kind: 'broken_link'; eventId: number; seq: number }
  | { kind: 'sequence_gap'; eventId: number; seq: number; expectedSeq: number }
  | { kind: 'head_mismatch'; seq: number }

/** Checks one dossier's events (ordered by seq) against its stored head; returns the first break. */
export function verifyChain(events: StoredChainEvent[], head: { seq: number; hash: string }): ChainBreak | undefined {
  let prev = GENESIS_HASH
  let expectedSeq = 1
  for (const e of events) {
    if (e.seq !== expectedSeq) return { kind: 'sequence_gap', eventId: e.id, seq: e.seq, expectedSeq }
    if (e.prevHash !== prev) return { kind: 'broken_link', eventId: e.id, seq: e.seq }
    if (eventHash(e.prevHash, e.content) !== e.hash) return { kind: 'hash_mismatch', eventId: e.id, seq: e.seq }
    prev = e.hash
    expectedSeq++
  }
  if (head.seq !== expectedSeq - 1 || head.hash !== prev) return { kind: 'head_mismatch', seq: head.seq }
  return undefined
}
