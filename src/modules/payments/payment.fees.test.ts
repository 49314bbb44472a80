import { describe, expect, it } from 'vitest'
import { decideFee } from './payment.fees.js'

// DOMAIN B §12.2 (DanhSachLePhi per dossier) and §4 (payment indicator over fee-bearing dossiers):
// the amount comes from the catalogue row of the dossier's channel.
const amount = (n: number, note: string | null = null) => ({ kind: 'amount' as const, amountVnd: n, original: `${n} đồng`, note })
const free = { kind: 'free' as const, original: 'Miễn phí', note: null }
const council = { kind: 'council' as const, original: 'Miễn phí', note: 'Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định' }
const unparsed = { kind: 'unparsed' as const, original: '', note: null, reason: 'no fee value' }
const time = { kind: 'working_days' as const, value: 3, original: '3 Ngày làm việc' }
const row = (channel: 'online' | 'in_person' | 'postal', fee: object) => ({ channel, time, fee, description: null }) as never
const full = { percent: 100, basis: null }

describe('fee of a dossier from the catalogue, per channel', () => {
  it.each([
    ['counter pays the in-person row', [row('online', amount(7000)), row('in_person', amount(10000))], 'counter', 10000],
    ['online pays the online row', [row('online', amount(7000)), row('in_person', amount(10000))], 'online', 7000],
    ['post pays the postal row', [row('postal', amount(30000)), row('in_person', amount(10000))], 'post', 30000],
    ['identical rows of one channel agree', [row('in_person', amount(50000)), row('in_person', amount(50000))], 'counter', 50000],
    ['a channel without rows falls back to rows that agree', [row('in_person', amount(20000))], 'online', 20000],
  ])('%s', (_name, channels, channel, want) => {
    const d = decideFee({ channels, local: null }, channel, full)
    expect(d).toMatchObject({ kind: 'amount', amountVnd: want })
  })

  it('is nothing owed for a free procedure', () => {
    expect(decideFee({ channels: [row('online', free), row('in_person', free)], local: null }, 'counter', full)).toMatchObject({ kind: 'none' })
  })

  it('leaves the amount to an officer when the provincial council sets it, when rows disagree, or when unreadable', () => {
    expect(decideFee({ channels: [row('in_person', council)], local: null }, 'counter', full)).toMatchObject({ kind: 'needs_amount', reason: expect.stringContaining('Hội đồng nhân dân') })
    expect(decideFee({ channels: [row('in_person', amount(2000, '/trang')), row('in_person', unparsed)], local: null }, 'counter', full)).toMatchObject({ kind: 'needs_amount', candidates: [2000] })
    expect(decideFee({ channels: [row('in_person', amount(2000)), row('in_person', amount(3000))], local: null }, 'counter', full)).toMatchObject({ kind: 'needs_amount', candidates: [2000, 3000] })
    expect(decideFee({ channels: [], local: null }, 'counter', full)).toMatchObject({ kind: 'needs_amount', candidates: [] })
  })

  it("prefers the province's local fee to the national rows", () => {
    expect(decideFee({ channels: [row('in_person', amount(50000))], local: { time: null, fee: amount(40000), note: null } }, 'counter', full)).toMatchObject({ kind: 'amount', amountVnd: 40000, basis: { rule: 'local' } })
  })

  it('charges one unit of a per-unit fee and says so', () => {
    const d = decideFee({ channels: [row('in_person', amount(50000, '/di chúc'))], local: null }, 'counter', full)
    expect(d).toMatchObject({ kind: 'amount', amountVnd: 50000, basis: { perUnit: '/di chúc' } })
    expect(d.kind === 'amount' && d.text).toBe('50.000 đồng/di chúc × 1')
  })

  it('applies the provincial online rule to online dossiers only: zero means exempt (as in Cà Mau), 50 halves', () => {
    const channels = [row('online', amount(50000)), row('in_person', amount(50000))]
    const exempt = { percent: 0, basis: 'Nghị quyết của HĐND tỉnh' }
    expect(decideFee({ channels, local: null }, 'online', exempt)).toMatchObject({ kind: 'none', reason: expect.stringContaining('trực tuyến') })
    expect(decideFee({ channels, local: null }, 'counter', exempt)).toMatchObject({ kind: 'amount', amountVnd: 50000 })
    expect(decideFee({ channels, local: null }, 'online', { percent: 50, basis: null })).toMatchObject({ kind: 'amount', amountVnd: 25000, basis: { onlinePercent: 50 } })
  })
})
