import { describe, expect, it } from 'vitest'
import { assignAddressPieces, nameMatches, readAddressPart, readName, splitAddressLine } from './org.address.js'

// Inputs here are already folded (as vn_fold returns them): lower case, no accents, đ → d.

describe('readName', () => {
  it.each([
    ['xa an xuyen', 'commune', [{ prefix: 'xa', bare: 'an xuyen' }, { bare: 'xa an xuyen' }]],
    ['p.2', 'commune', [{ prefix: 'phuong', bare: '2' }, { bare: 'p.2' }]],
    ['p2', 'commune', [{ prefix: 'phuong', bare: '2' }, { bare: 'p2' }]],
    ['phuong 02', 'commune', [{ prefix: 'phuong', bare: '2' }, { bare: 'phuong 2' }]],
    ['tt  nam can', 'commune', [{ prefix: 'thi tran', bare: 'nam can' }, { bare: 'tt nam can' }]],
    ['tp. ca mau', 'district', [{ prefix: 'thanh pho', bare: 'ca mau' }, { bare: 'tp. ca mau' }]],
    ['tx gia rai', 'district', [{ prefix: 'thi xa', bare: 'gia rai' }, { bare: 'tx gia rai' }]],
    ['ca mau', 'province', [{ bare: 'ca mau' }]],
    ['phuong', 'commune', [{ bare: 'phuong' }]],
  ] as const)('reads "%s" at %s', (text, level, readings) => {
    expect(readName(text, level)).toEqual(readings)
  })
})

describe('readAddressPart', () => {
  it('reads codes with the length of the level, leading zeros allowed', () => {
    expect(readAddressPart('096', 'province')).toEqual({ kind: 'code', code: '96' })
    expect(readAddressPart('964', 'district')).toEqual({ kind: 'code', code: '964' })
    expect(readAddressPart('32023', 'commune')).toEqual({ kind: 'code', code: '32023' })
  })

  it('gives a prefilter piece every reading contains', () => {
    const part = readAddressPart('xa an xuyen', 'commune')
    expect(part).toMatchObject({ kind: 'name', contains: 'an xuyen' })
  })

  it('reads nothing from blank text', () => {
    expect(readAddressPart('  ', 'commune')).toBeUndefined()
  })
})

describe('nameMatches', () => {
  const part = (text: string, level: 'province' | 'district' | 'commune' = 'commune') => readAddressPart(text, level)!

  it('matches with or without the kind word, and never across kinds', () => {
    expect(nameMatches('xa an xuyen', 'commune', part('an xuyen'))).toBe(true)
    expect(nameMatches('xa an xuyen', 'commune', part('xa an xuyen'))).toBe(true)
    expect(nameMatches('xa an xuyen', 'commune', part('phuong an xuyen'))).toBe(false)
    expect(nameMatches('phuong tan xuyen', 'commune', part('an xuyen'))).toBe(false)
    expect(nameMatches('phuong 2', 'commune', part('p.02'))).toBe(true)
    expect(nameMatches('thanh pho ca mau', 'district', part('tp ca mau', 'district'))).toBe(true)
    expect(nameMatches('tinh ca mau', 'province', part('ca mau', 'province'))).toBe(true)
  })

  it('reads a name that starts like a kind word both ways ("Xà Phiên")', () => {
    expect(nameMatches('xa xa phien', 'commune', part('xa phien'))).toBe(true)
    expect(nameMatches('xa phien', 'commune', part('xa phien'))).toBe(true)
  })

  it('never matches a code part by name', () => {
    expect(nameMatches('xa an xuyen', 'commune', part('32023'))).toBe(false)
  })
})

describe('one-line addresses', () => {
  it('splits on commas and drops empty pieces', () => {
    expect(splitAddressLine(' Ấp 3,, Xã An Xuyên , TP Cà Mau,Tỉnh Cà Mau ')).toEqual(['Ấp 3', 'Xã An Xuyên', 'TP Cà Mau', 'Tỉnh Cà Mau'])
  })

  it.each([
    [['ap 3', 'xa an xuyen', 'tp ca mau', 'tinh ca mau'], { commune: 1, district: 2, province: 3 }],
    [['xa an xuyen', 'thanh pho ca mau', 'tinh ca mau'], { commune: 0, district: 1, province: 2 }],
    [['xa an xuyen', 'tinh ca mau'], { commune: 0, province: 1 }],
    [['xa an xuyen', 'thanh pho ca mau'], { commune: 0, district: 1 }],
    [['xa an xuyen'], { commune: 0 }],
    [[], {}],
  ])('assigns %j', (pieces, expected) => {
    expect(assignAddressPieces(pieces)).toEqual(expected)
  })
})
