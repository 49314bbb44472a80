import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  agencyCode,
  buildAgencies,
  buildOrgReference,
  parseMergedFrom,
  parseNewUnits,
  ReferenceDataError,
  typeFromName,
  type ReferenceFiles,
} from './org.reference.js'
import { ORG_DATA_DIR } from './org.seed.js'

const read = (f: string) => fs.readFileSync(path.join(ORG_DATA_DIR, f), 'utf8')
const FILES: ReferenceFiles = { provinces: read('provinces.csv'), communes: read('camau_units.csv'), formerCommunes: read('camau_baclieu_units_pre2025.csv') }

/** The problems buildOrgReference reports for tampered files (fails the test if it does not throw). */
function problemsOf(files: ReferenceFiles): string[] {
  try {
    buildOrgReference(files, '96')
  } catch (e) {
    if (e instanceof ReferenceDataError) return e.problems
    throw e
  }
  throw new Error('expected a ReferenceDataError')
}

describe('parseMergedFrom', () => {
  it('reads code, name, district and portion of each former unit', () => {
    const r = parseMergedFrom('31999 Phường 9, Thành phố Cà Mau (toàn bộ); 32122 Xã Lợi An, Huyện Trần Văn Thời (một phần)')
    expect(r.problems).toEqual([])
    expect(r.entries).toEqual([
      { code: '31999', name: 'Phường 9', district: 'Thành phố Cà Mau', portion: 'whole' },
      { code: '32122', name: 'Xã Lợi An', district: 'Huyện Trần Văn Thời', portion: 'part' },
    ])
  })

  it('collapses doubled spaces in names', () => {
    expect(parseMergedFrom('32158 Xã Tạ An Khương  Đông, Huyện Đầm Dơi (toàn bộ)').entries[0]?.name).toBe('Xã Tạ An Khương Đông')
  })

  it.each([
    ['32002 Phường 2 (toàn bộ)', 'no district'],
    ['3200 Phường 2, Thành phố Cà Mau (toàn bộ)', 'four-digit code'],
    ['32002 Phường 2, Thành phố Cà Mau (một nửa)', 'unknown portion'],
    ['32002 Phường 2, Thành phố Cà Mau', 'no portion'],
  ])('reports "%s" (%s) as a problem', (text) => {
    const r = parseMergedFrom(text)
    expect(r.entries).toEqual([])
    expect(r.problems).toHaveLength(1)
    expect(r.problems[0]).toContain('cannot read former unit')
  })

  it('reports an empty list', () => {
    expect(parseMergedFrom(' ; ').problems).toEqual(['no former unit listed'])
  })
})

describe('parseNewUnits', () => {
  it('reads "CODE:Name; CODE:Name"', () => {
    expect(parseNewUnits('32025:Phường Tân Thành; 32041:Phường Hòa Thành').entries).toEqual([
      { code: '32025', name: 'Phường Tân Thành' },
      { code: '32041', name: 'Phường Hòa Thành' },
    ])
    expect(parseNewUnits('32025 Phường Tân Thành').problems).toHaveLength(1)
  })
})

describe('typeFromName', () => {
  it.each([
    ['Thị Trấn Năm Căn', 'commune', 'thi_tran'],
    ['Phường 2', 'commune', 'phuong'],
    ['Xã An Xuyên', 'commune', 'xa'],
    ['Huyện Hoà Bình', 'district', 'huyen'],
    ['Thành phố Cà Mau', 'district', 'thanh_pho'],
    ['Thị xã Giá Rai', 'district', 'thi_xa'],
    ['Tỉnh Bạc Liêu', 'province', 'tinh'],
    ['Ấp 3', 'commune', undefined],
  ] as const)('%s is %s type %s', (name, level, type) => {
    expect(typeFromName(name, level)).toBe(type)
  })
})

describe('buildOrgReference over the shipped data', () => {
  const ref = buildOrgReference(FILES, '96')
  const byId = new Map(ref.units.map((u) => [u.id, u]))
  const successors = (id: string) =>
    ref.lineage
      .filter((l) => l.predecessorId === id)
      .map((l) => [l.successorId, l.portion])
      .sort()

  it('has 34 provinces, 64 current communes and the former units of Cà Mau and Bạc Liêu', () => {
    const count = (level: string, current: boolean) => ref.units.filter((u) => u.level === level && (u.validTo === null) === current).length
    expect(count('province', true)).toBe(34)
    expect(count('commune', true)).toBe(64)
    expect(count('commune', false)).toBe(164)
    expect(count('district', false)).toBe(16)
    expect(count('province', false)).toBe(2)
    expect(new Set(ref.units.map((u) => u.id)).size).toBe(ref.units.length)
  })

  it('keeps reused codes apart: new 32002 Phường An Xuyên is not former 32002 Phường 2', () => {
    expect(byId.get('c96-32002')).toMatchObject({ code: '32002', name: 'Phường An Xuyên', validFrom: '2025-07-01', validTo: null, parentId: 'p96' })
    expect(byId.get('h-32002')).toMatchObject({ code: '32002', name: 'Phường 2', validFrom: null, validTo: '2025-06-30', parentId: 'hd-964' })
    expect(byId.get('hd-964')).toMatchObject({ name: 'Thành phố Cà Mau', type: 'thanh_pho', level: 'district', parentId: 'hp96' })
  })

  it('gives former 32023 Xã An Xuyên the single successor 32002, whole', () => {
    expect(successors('h-32023')).toEqual([['c96-32002', 'whole']])
  })

  it('gives a commune split "một phần" all its successors, each a part', () => {
    expect(successors('h-32053')).toEqual([
      ['c96-32044', 'part'],
      ['c96-32059', 'part'],
      ['c96-32062', 'part'],
    ])
  })

  it('links every former commune to at least one successor and both former provinces to 96', () => {
    for (const u of ref.units.filter((x) => x.id.startsWith('h-'))) expect(successors(u.id).length, u.id).toBeGreaterThan(0)
    expect(successors('hp95')).toEqual([['p96', 'whole']])
    expect(successors('hp96')).toEqual([['p96', 'whole']])
  })

  it('keeps the source of each row', () => {
    expect(byId.get('c96-32002')?.source).toContain('1027/CTK-CSCL')
    expect(byId.get('h-32023')?.source).toContain('dvhcvn')
  })
})

describe('buildOrgReference refuses inconsistent data', () => {
  it('when the former file names another successor than the current file', () => {
    const tampered = { ...FILES, formerCommunes: FILES.formerCommunes.replace('32023,Xã An Xuyên,964,Thành phố Cà Mau,96,Tỉnh Cà Mau,32002:Phường An Xuyên', '32023,Xã An Xuyên,964,Thành phố Cà Mau,96,Tỉnh Cà Mau,32014:Phường Lý Văn Lâm') }
    expect(tampered.formerCommunes).not.toBe(FILES.formerCommunes)
    const problems = problemsOf(tampered)
    expect(problems.some((p) => p.includes('32023') && p.includes('successors 32002'))).toBe(true)
  })

  it('when a commune went "toàn bộ" into one unit and also into others', () => {
    const tampered = { ...FILES, communes: FILES.communes.replace('32053 Xã Nguyễn Phích, Huyện U Minh (một phần); 32059', '32053 Xã Nguyễn Phích, Huyện U Minh (toàn bộ); 32059') }
    expect(tampered.communes).not.toBe(FILES.communes)
    expect(problemsOf(tampered).some((p) => p.includes('32053') && p.includes('toàn bộ'))).toBe(true)
  })

  it('when a former unit is unknown, misnamed, or a count disagrees with provinces.csv', () => {
    const tampered = { ...FILES, communes: FILES.communes.replace('32023 Xã An Xuyên, Thành phố Cà Mau', '39999 Xã An Xuyên, Thành phố Cà Mau').replace('32005 Phường 1, Thành phố Cà Mau', '32005 Phường Một, Thành phố Cà Mau') }
    const problems = problemsOf(tampered)
    expect(problems.some((p) => p.includes('39999') && p.includes('not in camau_baclieu_units_pre2025.csv'))).toBe(true)
    expect(problems.some((p) => p.includes('32005') && p.includes('Phường Một'))).toBe(true)
    expect(problems.some((p) => p.includes('32023') && p.includes('no unit of camau_units.csv'))).toBe(true)

    const lines = FILES.communes.split('\n')
    const fewer = problemsOf({ ...FILES, communes: lines.filter((l) => !l.startsWith('32092,')).join('\n') })
    expect(fewer).toContain('camau_units.csv has 63 total but provinces.csv says 64 for 96')
  })

  it('when a row is malformed', () => {
    const problems = problemsOf({ ...FILES, provinces: FILES.provinces.replace('\n96,Tỉnh Cà Mau,tinh,', '\n96,Tỉnh Cà Mau,bang,') })
    expect(problems.some((p) => p.startsWith('provinces.csv row 35: type'))).toBe(true)
  })
})

describe('buildAgencies', () => {
  const ref = buildOrgReference(FILES, '96')
  const agencies = buildAgencies('96', ref.units)
  const byId = new Map(agencies.map((a) => [a.id, a]))

  it('has the provincial agencies other modules rely on, and two per current commune', () => {
    for (const id of ['ubnd-tinh', 'vp-ubnd-tinh', 'ttpvhcc-tinh', 'so-tu-phap', 'so-xay-dung', 'so-nong-nghiep-moi-truong', 'so-tai-chinh', 'so-noi-vu', 'so-y-te', 'so-giao-duc-dao-tao', 'so-cong-thuong', 'so-van-hoa-the-thao-du-lich', 'so-khoa-hoc-cong-nghe', 'so-dan-toc-ton-giao', 'cong-an-tinh']) {
      expect(byId.get(id)?.level, id).toBe('province')
    }
    expect(agencies).toHaveLength(15 + 2 * 64)
    expect(byId.get('ubnd-tinh')).toMatchObject({ code: '000.00.00.H12', parentId: null, unitId: 'p96' })
    expect(byId.get('ubnd-xa-32002')).toMatchObject({ name: 'Ủy ban nhân dân phường An Xuyên', shortName: 'UBND phường An Xuyên', parentId: 'ubnd-tinh', unitId: 'c96-32002', level: 'commune' })
    expect(byId.get('ttpvhcc-xa-31825')).toMatchObject({ name: 'Trung tâm Phục vụ hành chính công phường Bạc Liêu', parentId: 'ubnd-xa-31825', unitId: 'c96-31825' })
    expect(byId.get('ubnd-xa-32092')?.name).toBe('Ủy ban nhân dân xã Hồ Thị Kỷ')
  })

  it('gives unique QCVN 102 codes ending in H12, each parent existing', () => {
    expect(new Set(agencies.map((a) => a.code)).size).toBe(agencies.length)
    for (const a of agencies) {
      expect(a.code).toMatch(/^\d{3}\.\d{2}\.\d{2}\.H12$/)
      if (a.parentId) expect(byId.has(a.parentId), a.id).toBe(true)
    }
    expect(byId.get('ubnd-xa-32002')?.code).toBe('000.00.20.H12')
    expect(byId.get('ttpvhcc-xa-32002')?.code).toBe('000.01.20.H12')
    expect(byId.get('ttpvhcc-tinh')?.code).toBe('000.01.01.H12')
  })

  it('refuses a province without a known code suffix, and slots out of range', () => {
    expect(() => buildAgencies('01', ref.units)).toThrow(ReferenceDataError)
    expect(() => agencyCode('H12', 100)).toThrow(RangeError)
  })
})
