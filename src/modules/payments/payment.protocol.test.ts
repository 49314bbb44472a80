import { describe, expect, it } from 'vitest'
import { buildInit, buildQuery, gatewayTime, hashInput, makeReference, maXacThuc, parseGatewayTime, verifyMaXacThuc, type ReceiptInfo } from './payment.protocol.js'

// DOMAIN B §12.3: MaXacThuc = SHA-256 (lower-case hex) of the fields joined by "|", then "|SecretKey".
// The expected digests below were computed outside this code, with `printf '%s' '<fields>' | sha256sum`.
const SECRET = 'khoa-bi-mat-thu-nghiem'
const REF = 'dvc0000000H12261126000120261126091503'
const CODE = '000.00.00.H12-261126-0001'

const receipt: ReceiptInfo = {
  MaDichVu: '2', MaDVC: '2.001019.01', TenDVC: 'Chứng thực di chúc', MaTTHC: '2.001019', TenTTHC: 'Chứng thực di chúc', MaDonVi: '000.00.00.H12', TenDonVi: 'UBND', MaHoSo: CODE,
  TKThuHuong: '', MaNHThuHuong: '', TenTKThuHuong: '', HoTenNguoiNop: 'Nguyễn Văn A', SoCMNDNguoiNop: '', DiaChiNguoiNop: '', HuyenNguoiNop: '', TinhNguoiNop: '', NoiDungThanhToan: 'x',
  PhiLePhi: [], DSKhoanNop: [],
}

describe('MaXacThuc (DOMAIN B §12.3)', () => {
  it('signs INIT over LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|SoTien|LoaiHinhThanhToan|MaKenhThanhToan|MaThietBi|NgonNgu|MaTienTe|MaNganHang|ThongTinGiaoDich|ThoiGianGD|Ip|SecretKey', () => {
    const init = buildInit({ partnerCode: 'VIDAN-CAMAU', reference: REF, amountVnd: 50_000, info: `THANH TOAN HO SO ${CODE}`, stamp: '20261126091503', ip: '10.0.0.7', receipt }, SECRET)
    expect(hashInput('INIT', init, SECRET)).toBe(`INIT|1.0.6|VIDAN-CAMAU|${REF}|50000|PAY|1|1|vi-VN|VND|PAYMENT|THANH TOAN HO SO ${CODE}|20261126091503|10.0.0.7|${SECRET}`)
    expect(init.MaXacThuc).toBe('20dbebf44036db3b8112fd130d8d5d9980d687f03ced61acee7b8158dd2072d8')
    expect(init).toMatchObject({ LoaiBanTin: 'INIT', PhienBan: '1.0.6', LoaiHinhThanhToan: 'PAY', MaKenhThanhToan: '1', MaThietBi: '1', NgonNgu: 'vi-VN', MaTienTe: 'VND', MaNganHang: 'PAYMENT', SoTien: '50000' })
    expect(verifyMaXacThuc('INIT', init, SECRET)).toBe(true)
  })

  it('signs the status query over LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|ThoiGianGD|SecretKey', () => {
    const q = buildQuery('QUERY', { partnerCode: 'VIDAN-CAMAU', reference: REF, stamp: '20261126091503' }, SECRET)
    expect(q.MaXacThuc).toBe('f5da977217441db29122a495132bf974d78fb1840880ce99f73efae4a5b3ed36')
  })

  it('checks the platform result notice over LoaiBanTin|MaLoi|MaDoiTac|MaThamChieu|SoTien|MaTienTe|MaGiaoDich|MaNganHang|ThoiGianGD|ThongTinGiaoDich|SecretKey (S9)', () => {
    const notice = { LoaiBanTin: 'CONFIRM', MaLoi: '00', MaDoiTac: 'VIDAN-CAMAU', MaThamChieu: REF, SoTien: '50000', MaTienTe: 'VND', MaGiaoDich: 'GD0001', MaNganHang: 'VCB', ThoiGianGD: '20261126091503', ThongTinGiaoDich: `THANH TOAN HO SO ${CODE}` }
    expect(maXacThuc('CONFIRM', notice, SECRET)).toBe('a9fc61e2b7c6d3b894ed13e8c7b08b3d83135ffc7dc92f74a373ac2205431a44')
    const signed = { ...notice, MaXacThuc: 'A9FC61E2B7C6D3B894ED13E8C7B08B3D83135FFC7DC92F74A373AC2205431A44' }
    expect(verifyMaXacThuc('CONFIRM', signed, SECRET)).toBe(true) // hex case does not matter
    expect(verifyMaXacThuc('CONFIRM', { ...signed, SoTien: '5000' }, SECRET)).toBe(false) // a changed amount breaks it
    expect(verifyMaXacThuc('CONFIRM', signed, 'another-secret')).toBe(false)
    expect(verifyMaXacThuc('CONFIRM', { ...notice, MaXacThuc: 'short' }, SECRET)).toBe(false)
    expect(verifyMaXacThuc('CONFIRM', notice, SECRET)).toBe(false)
  })

  it('hashes Vietnamese text as UTF-8', () => {
    expect(maXacThuc('INIT', { LoaiBanTin: 'INIT', PhienBan: '1.0.6', MaDoiTac: 'P', MaThamChieu: 'dvcX20261126211503', SoTien: '7000', LoaiHinhThanhToan: 'PAY', MaKenhThanhToan: '1', MaThietBi: '1', NgonNgu: 'vi-VN', MaTienTe: 'VND', MaNganHang: 'PAYMENT', ThongTinGiaoDich: 'THANH TOAN HO SO Đăng ký', ThoiGianGD: '20261126211503', Ip: '127.0.0.1' }, 's')).toBe(
      'dbe0cdc3595544e7e34e27c01dfb2a850b1609d76f932168edd12b588e423225',
    )
  })
})

describe('transaction time and reference', () => {
  it('writes yyyyMMddHHmmss in Vietnam time on the 24-hour clock', () => {
    expect(gatewayTime(new Date('2026-11-26T02:15:03Z'))).toBe('20261126091503')
    expect(gatewayTime(new Date('2026-11-26T14:15:03Z'))).toBe('20261126211503') // not 09: .NET "hh" would collide
    expect(gatewayTime(new Date('2026-12-31T17:00:00Z'))).toBe('20270101000000')
    expect(parseGatewayTime('20261126091503')?.toISOString()).toBe('2026-11-26T02:15:03.000Z')
    expect(parseGatewayTime('2026112609150')).toBeUndefined()
  })

  it('makes MaThamChieu from "dvc", the code without non-word characters and the time', () => {
    expect(makeReference(CODE, '20261126091503')).toBe(REF)
    expect(makeReference(CODE, '20261126091503', 2)).toBe(`${REF}2`)
  })
})
