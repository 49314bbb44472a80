import { describe, expect, it } from 'vitest'
import { compareWithStatement, parseStatement } from './payment.reconcile.js'
import type { IntentRow } from './payment.repo.js'

const HEADER = 'MaDoiTac,MaThamChieu,MaGiaoDich,SoTien,MaTienTe,TrangThaiGD,ThoiGianGD,ThoiGianThanhToan,MaNganHang'
const line = (ref: string, amount: number, state: string) => `P,${ref},PG1,${amount},VND,${state},20261126091503,,VCB`
const intent = (reference: string, amountVnd: number, status: IntentRow['status']) => ({ id: `i-${reference}`, reference, amountVnd, status, dossierId: 'd' }) as IntentRow

describe('daily reconciliation against the platform statement', () => {
  it('finds nothing when both sides agree (an expired payment the platform still holds or failed agrees)', () => {
    const { rows } = parseStatement([HEADER, line('A', 50000, '1'), line('B', 7000, '4'), line('C', 7000, '3'), line('D', 7000, '4')].join('\n'), 'P')
    expect(compareWithStatement([intent('A', 50000, 'paid'), intent('B', 7000, 'refused'), intent('C', 7000, 'expired'), intent('D', 7000, 'expired')], rows)).toEqual([])
  })

  it('flags each kind of mismatch', () => {
    const { rows } = parseStatement([HEADER, line('A', 5000, '1'), line('B', 7000, '1'), line('X', 9000, '1')].join('\n'), 'P')
    const m = compareWithStatement([intent('A', 50000, 'paid'), intent('B', 7000, 'expired'), intent('C', 7000, 'paid')], rows)
    expect(m.map((x) => [x.reference, x.kind])).toEqual([
      ['A', 'amount_differs'],
      ['B', 'status_differs'],
      ['C', 'missing_statement'],
      ['X', 'missing_ours'],
    ])
    expect(m[1]!.message).toContain('Cổng thanh toán đã thu tiền')
  })

  it('reports unreadable lines, other partners and repeated references without stopping', () => {
    const { rows, problems } = parseStatement([HEADER, line('A', 1, '1'), 'P,,PG2,x,VND,9,,,', 'Q,B,PG3,1,VND,1,20261126091503,,VCB', line('A', 1, '1')].join('\n'), 'P')
    expect(rows.map((r) => r.reference)).toEqual(['A'])
    expect(problems).toHaveLength(3)
    expect(problems[0]).toMatch(/^Dòng 3/)
  })

  it('refuses a file without the statement columns', () => {
    expect(() => parseStatement('a,b\n1,2', 'P')).toThrow(/thiếu cột/)
  })
})
