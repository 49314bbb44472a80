import { describe, expect, it } from 'vitest'
import { canonicalJson, eventHash, GENESIS_HASH, verifyChain, type StoredChainEvent } from './dossier.audit.js'
import { formatDossierCode, isDossierCode } from './dossier.code.js'

function chain(n: number): { events: StoredChainEvent[]; head: { seq: number; hash: string } } {
  const events: StoredChainEvent[] = []
  let prev = GENESIS_HASH
  for (let seq = 1; seq <= n; seq++) {
    const content = { dossierId: 'd1', seq, action: `a${seq}`, at: new Date(Date.UTC(2026, 0, seq)).toISOString() }
    const hash = eventHash(prev, content)
    events.push({ id: 100 + seq, seq, prevHash: prev, hash, content })
    prev = hash
  }
  return { events, head: { seq: n, hash: prev } }
}

describe('event hash chain', () => {
  it('is independent of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}')
  })

  it('verifies an intact chain', () => {
    const { events, head } = chain(5)
    expect(verifyChain(events, head)).toBeUndefined()
  })

  it('names the first tampered event', () => {
    const { events, head } = chain(5)
    events[2]!.content = { ...events[2]!.content, action: 'forged' }
    expect(verifyChain(events, head)).toEqual({ kind: 'hash_mismatch', eventId: 103, seq: 3 })
  })

  it('catches a removed event and a dropped tail', () => {
    const a = chain(5)
    a.events.splice(1, 1)
    expect(verifyChain(a.events, a.head)).toMatchObject({ kind: 'sequence_gap', seq: 3 })
    const b = chain(5)
    b.events.pop()
    expect(verifyChain(b.events, b.head)).toEqual({ kind: 'head_mismatch', seq: 5 })
  })
})

describe('dossier code (DOMAIN A7)', () => {
  it('uses the receipt date in Vietnam time and at least four digits', () => {
    // 2026-11-26 18:30 UTC is already 27/11 in Vietnam.
    expect(formatDossierCode('000.00.00.H12', new Date('2026-11-26T18:30:00Z'), 7)).toBe('000.00.00.H12-261127-0007')
    expect(formatDossierCode('000.00.00.H12', new Date('2026-11-26T01:00:00Z'), 12345)).toBe('000.00.00.H12-261126-12345')
    expect(isDossierCode('000.00.06.H56-231027-0361')).toBe(true)
    expect(isDossierCode('000.00.06.H56-231027-361')).toBe(false)
    expect(() => formatDossierCode('X.Y.Z', new Date(), 0)).toThrow(RangeError)
  })
})
