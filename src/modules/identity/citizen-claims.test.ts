import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mapCitizenClaims, maskIdentityNumber, maskPhone } from './citizen-claims.js'

const today = new Date('2026-11-26T00:00:00Z')
const base = {
  sub: 'sub-1',
  identity_number: '096190004512',
  name: 'Nguyễn Thị Mai',
  birthdate: '1990-03-14',
  gender: 'female',
  phone_number: '+84918204512',
  address: { formatted: 'Phường An Xuyên, tỉnh Cà Mau', country: 'VN' },
  vneid_level: 2,
}

describe('claims from the identity provider (issue 6 §1, DOMAIN B §10)', () => {
  it('maps the VNeID-style claims to a citizen', () => {
    expect(mapCitizenClaims(base, { today })).toEqual({
      ok: true,
      claims: {
        subject: 'sub-1',
        identityNumber: '096190004512',
        fullName: 'Nguyễn Thị Mai',
        birthDate: '1990-03-14',
        gender: 'female',
        phone: '+84918204512',
        address: 'Phường An Xuyên, tỉnh Cà Mau',
        businessTaxCode: null,
        businessName: null,
        assuranceLevel: 2,
      },
    })
  })

  it.each([
    [2, 2],
    ['2', 2],
    [1, 1],
    ['1', 1],
    [3, 1],
    [undefined, 1],
    ['level2', 1],
  ])('level %j counts as %i: level 2 only when the provider says so', (given, level) => {
    const r = mapCitizenClaims({ ...base, vneid_level: given }, { today })
    expect(r.ok && r.claims.assuranceLevel).toBe(level)
  })

  it('rejects an identity number that fails the structure of DOMAIN A10, without echoing it', () => {
    for (const n of ['999190004512', '09619000451', '096990004512']) {
      const r = mapCitizenClaims({ ...base, identity_number: n }, { today })
      expect(r).toMatchObject({ ok: false, code: 'CITIZEN.INVALID_IDENTITY_NUMBER' })
      expect(!r.ok && r.problem).not.toContain(n)
    }
  })

  it('reports missing or malformed claims by name, every one of them', () => {
    const r = mapCitizenClaims({ ...base, name: '', birthdate: '14/03/1990', identity_number: undefined }, { today })
    expect(r).toMatchObject({ ok: false, code: 'CITIZEN.INVALID_CLAIMS' })
    expect(!r.ok && r.problem).toContain('name')
    expect(!r.ok && r.problem).toContain('birthdate')
    expect(!r.ok && r.problem).toContain('identity_number')
  })

  it('accepts an address as text, an unknown gender as none, and a business representative', () => {
    const r = mapCitizenClaims({ ...base, address: 'Xã Năm Căn', gender: 'other', business_tax_code: '2001987654', business_name: 'Công ty TNHH A' }, { today })
    expect(r).toMatchObject({ ok: true, claims: { address: 'Xã Năm Căn', gender: null, businessTaxCode: '2001987654', businessName: 'Công ty TNHH A' } })
    expect(mapCitizenClaims({ ...base, business_tax_code: '12345' }, { today })).toMatchObject({ ok: false, code: 'CITIZEN.INVALID_CLAIMS' })
  })

  it('normalises names to NFC (decomposed Vietnamese from another system)', () => {
    const r = mapCitizenClaims({ ...base, name: 'Nguyễn Thị Mai'.normalize('NFD') }, { today })
    expect(r.ok && r.claims.fullName).toBe('Nguyễn Thị Mai')
  })
})

describe('masks', () => {
  it('shows the province code and the last four digits of an identity number only', () => {
    expect(maskIdentityNumber('096190004512')).toBe('096*****4512')
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), (n) => {
        const m = maskIdentityNumber(n)
        return m.length === 12 && m.slice(3, 8) === '*****' && m.startsWith(n.slice(0, 3)) && m.endsWith(n.slice(-4))
      }),
    )
  })

  it('masks phones in national or international form the same way', () => {
    expect(maskPhone('+84918204512')).toBe('091*****12')
    expect(maskPhone('0918204512')).toBe('091*****12')
    expect(maskPhone('1234')).toBe('****')
  })
})
