/**
 * Demo accounts of the bundled identity provider ("VNeID mô phỏng"). Invented people of Cà Mau:
 * each identity number follows DOMAIN A10 (province-of-birth code from cccd_province_codes.csv,
 * gender-and-century digit and birth year matching the birth date, six further digits), but
 * belongs to no one. One account is at level 1; one represents a business.
 */
export interface DemoCitizen {
  /** The provider's subject identifier: stable, opaque, not the identity number. */
  sub: string
  identityNumber: string
  name: string
  /** 'YYYY-MM-DD' */
  birthdate: string
  gender: 'male' | 'female'
  phone: string
  address: string
  level: 1 | 2
  business?: { taxCode: string; name: string }
}

/** One password for every demo account of the demo provider (demo mode only). */
export const DEMO_CITIZEN_PASSWORD = 'VNeID-demo-2026'

export const DEMO_CITIZENS: readonly DemoCitizen[] = [
  {
    sub: 'vneid-demo-0001',
    identityNumber: '096190004512',
    name: 'Nguyễn Thị Mai',
    birthdate: '1990-03-14',
    gender: 'female',
    phone: '+84918204512',
    address: 'Số 12 đường Phan Ngọc Hiển, khóm 3, Phường An Xuyên, tỉnh Cà Mau',
    level: 2,
  },
  {
    sub: 'vneid-demo-0002',
    identityNumber: '096085001237',
    name: 'Trần Văn Hùng',
    birthdate: '1985-07-02',
    gender: 'male',
    phone: '+84945301237',
    address: 'Ấp Tân Long, Xã Đầm Dơi, tỉnh Cà Mau',
    level: 2,
  },
  {
    sub: 'vneid-demo-0003',
    identityNumber: '095203006418',
    name: 'Lê Hoàng Nam',
    birthdate: '2003-11-20',
    gender: 'male',
    phone: '+84387006418',
    address: 'Ấp Nội Ô, Xã Hòa Bình, tỉnh Cà Mau',
    level: 1,
  },
  {
    sub: 'vneid-demo-0004',
    identityNumber: '096178002359',
    name: 'Phạm Thị Thu Hà',
    birthdate: '1978-05-09',
    gender: 'female',
    phone: '+84913502359',
    address: 'Khóm 2, Xã Năm Căn, tỉnh Cà Mau',
    level: 2,
    business: { taxCode: '2001987654', name: 'Công ty TNHH Thủy sản Năm Căn Xanh' },
  },
]
