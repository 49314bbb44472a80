import { describe, expect, it } from 'vitest'
import { RevisionCache } from './catalog.search.js'

describe('RevisionCache', () => {
  it('computes a key once per revision, and again when the revision changes', async () => {
    const c = new RevisionCache()
    let runs = 0
    const compute = async () => ++runs
    expect(await c.get('r1', 'k', compute)).toBe(1)
    expect(await c.get('r1', 'k', compute)).toBe(1)
    expect(await c.get('r2', 'k', compute)).toBe(2)
    expect(await c.get('r2', 'k', compute)).toBe(2)
    // Back to an older revision (a request that read it before the change): computed, never the newer value.
    expect(await c.get('r1', 'k', compute)).toBe(3)
  })

  it('keeps keys apart and forgets the oldest beyond its size', async () => {
    const c = new RevisionCache(2)
    const seen: string[] = []
    const get = (k: string) => c.get('r', k, async () => (seen.push(k), k.toUpperCase()))
    expect([await get('a'), await get('b'), await get('a')]).toEqual(['A', 'B', 'A'])
    await get('c')
    await get('b')
    await get('a')
    expect(seen).toEqual(['a', 'b', 'c', 'a'])
  })

  it('does not keep a value computed for a revision read before the catalogue changed', async () => {
    const c = new RevisionCache()
    let release: () => void = () => {}
    const slow = c.get('old', 'k', () => new Promise<string>((resolve) => (release = () => resolve('old value'))))
    expect(await c.get('new', 'k', async () => 'new value')).toBe('new value')
    release()
    expect(await slow).toBe('old value')
    expect(await c.get('new', 'k', async () => 'new value again')).not.toBe('old value')
  })
})
