import { describe, expect, it } from 'vitest'
import { LatestByRevision } from './catalog.search.js'

describe('LatestByRevision', () => {
  const loader = () => {
    let runs = 0
    let revision = 'r1'
    return {
      set: (r: string) => (revision = r),
      get runs() {
        return runs
      },
      load: async () => ({ revision, value: ++runs }),
    }
  }

  it('loads once per revision, and again when a request reads another revision', async () => {
    const h = new LatestByRevision<{ revision: string; value: number }>()
    const l = loader()
    expect((await h.get('r1', l.load)).value).toBe(1)
    expect((await h.get('r1', l.load)).value).toBe(1)
    l.set('r2')
    expect(await h.get('r2', l.load)).toEqual({ revision: 'r2', value: 2 })
    expect((await h.get('r2', l.load)).value).toBe(2)
    expect(l.runs).toBe(2)
  })

  it('shares one load among the requests that read the revision being loaded', async () => {
    const h = new LatestByRevision<{ revision: string; value: number }>()
    const l = loader()
    const all = await Promise.all([h.get('r1', l.load), h.get('r1', l.load), h.get('r1', l.load)])
    expect(all.map((v) => v.value)).toEqual([1, 1, 1])
    expect(l.runs).toBe(1)
  })

  it('never answers a request with a value loaded before the revision it read', async () => {
    const h = new LatestByRevision<{ revision: string; value: string }>()
    let release: () => void = () => {}
    // A slow load of r1 is under way when the catalogue changes and a request reads r2.
    const slow = h.get('r1', () => new Promise((resolve) => (release = () => resolve({ revision: 'r1', value: 'old' }))))
    const fresh = h.get('r2', async () => ({ revision: 'r2', value: 'new' }))
    release()
    expect((await slow).value).toBe('old')
    expect((await fresh).value).toBe('new')
  })

  it('passes a failed load on to the request that started it; the others try their own', async () => {
    const h = new LatestByRevision<{ revision: string }>()
    const failing = h.get('r1', () => Promise.reject(new Error('connection lost')))
    const other = h.get('r1', async () => ({ revision: 'r1' }))
    await expect(failing).rejects.toThrow('connection lost')
    expect(await other).toEqual({ revision: 'r1' })
    expect(await h.get('r1', () => Promise.reject(new Error('not called')))).toEqual({ revision: 'r1' })
  })
})
