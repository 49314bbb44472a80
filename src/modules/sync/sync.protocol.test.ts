import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { diffEvents } from './sync.reconcile.js'
import { fromPortalTime, PortalDossier, PortalEvent, portalTime, signRequest, verifySignature } from './sync.protocol.js'

// The national portal's formats (DOMAIN B §12.2: dates yyyyMMddHHmmss, status codes of B §2.3.1).

const ev = (TrangThai: number, ThoiDiemXuLy: string, NoiDungXuLy = 'x'): PortalEvent => ({ MaHoSo: 'H', NguoiXuLy: 'A', ChucDanh: 'c', ThoiDiemXuLy, PhongBanXuLy: 'p', NoiDungXuLy, TrangThai, NgayBatDau: ThoiDiemXuLy })

describe('portal times', () => {
  it('writes Vietnam time (UTC+7) as yyyyMMddHHmmss', () => {
    expect(portalTime(new Date('2026-12-31T17:30:05Z'))).toBe('20270101003005')
  })
  it('reads back what it writes, to the second', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        expect(fromPortalTime(portalTime(d)).getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000)
      }),
    )
  })
})

describe('payload schemas', () => {
  it('accepts status codes 1–10 only, and no field B §12.2 does not list', () => {
    const rec = { MaHoSo: 'H', MaTTHC: '1.001193', TenTTHC: 't', KenhThucHien: 2, ChuHoSo: 'A', LoaiDoiTuong: 1, TrichYeuHoSo: 'x', NgayNopHoSo: '20261201090000', TrangThaiHoSo: 10 }
    expect(PortalDossier.safeParse(rec).success).toBe(true)
    for (const bad of [{ TrangThaiHoSo: 0 }, { TrangThaiHoSo: 11 }, { KenhThucHien: 4 }, { NgayNopHoSo: '2026-12-01' }, { TrichYeuHoSo: 'x'.repeat(1001) }, { Unknown: 1 }]) {
      expect(PortalDossier.safeParse({ ...rec, ...bad }).success, JSON.stringify(bad)).toBe(false)
    }
    expect(PortalEvent.safeParse({ ...ev(2, '20261201090000'), NguoiXuLy: 'x'.repeat(51) }).success).toBe(false)
  })
})

describe('signature', () => {
  it('verifies what was signed and nothing else', () => {
    const sig = signRequest('secret-0123456789', '1', '{"a":1}')
    expect(verifySignature('secret-0123456789', '1', '{"a":1}', sig)).toBe(true)
    expect(verifySignature('secret-0123456789', '1', '{"a":2}', sig)).toBe(false)
    expect(verifySignature('secret-0123456789', '2', '{"a":1}', sig)).toBe(false)
    expect(verifySignature('secret-0123456789', '1', '{"a":1}', 'ab')).toBe(false)
  })
})

describe('diffEvents', () => {
  const a = ev(1, '20261201090000')
  const b = ev(2, '20261201090000', 'receive')
  const c = ev(4, '20261201091000')
  it.each([
    ['same', [a, b, c], [a, b, c], []],
    ['missing', [a, b, c], [a, c], ['missing_event']],
    ['extra', [a, b], [a, b, c], ['extra_event']],
    ['duplicate', [a, b], [a, b, b], ['duplicate_event']],
    ['out of order', [a, b, c], [a, c, b], ['out_of_order']],
  ])('%s', (_name, ours, theirs, kinds) => {
    expect(diffEvents(ours, theirs).map((d) => d.kind)).toEqual(kinds)
  })
})
