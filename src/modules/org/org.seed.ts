import type { Db } from '../../shared/database.js'
import './org.tables.js'

// Placeholder until the full organisation import lands: the agencies the demo staff need.
const AGENCIES = [
  { id: 'ubnd-tinh', code: '000.00.00.H12', name: 'Ủy ban nhân dân tỉnh Cà Mau', kind: 'ubnd', level: 'province' as const, parentId: null },
  { id: 'vp-ubnd-tinh', code: '000.01.00.H12', name: 'Văn phòng Ủy ban nhân dân tỉnh Cà Mau', kind: 'van_phong', level: 'province' as const, parentId: 'ubnd-tinh' },
  { id: 'ttpvhcc-tinh', code: '000.02.00.H12', name: 'Trung tâm Phục vụ hành chính công tỉnh Cà Mau', kind: 'ttpvhcc', level: 'province' as const, parentId: 'vp-ubnd-tinh' },
  { id: 'so-tu-phap', code: '000.03.00.H12', name: 'Sở Tư pháp', kind: 'so', level: 'province' as const, parentId: 'ubnd-tinh' },
  { id: 'ubnd-xa-32002', code: '000.00.01.H12', name: 'UBND phường An Xuyên', kind: 'ubnd', level: 'commune' as const, parentId: 'ubnd-tinh' },
  { id: 'ttpvhcc-xa-32002', code: '000.01.01.H12', name: 'Trung tâm Phục vụ hành chính công phường An Xuyên', kind: 'ttpvhcc', level: 'commune' as const, parentId: 'ubnd-xa-32002' },
  { id: 'ubnd-xa-31825', code: '000.00.02.H12', name: 'UBND phường Bạc Liêu', kind: 'ubnd', level: 'commune' as const, parentId: 'ubnd-tinh' },
  { id: 'ttpvhcc-xa-31825', code: '000.01.02.H12', name: 'Trung tâm Phục vụ hành chính công phường Bạc Liêu', kind: 'ttpvhcc', level: 'commune' as const, parentId: 'ubnd-xa-31825' },
]

/** Loads the organisation reference data; safe to run again. */
export async function seedOrganisation(db: Db): Promise<void> {
  for (const a of AGENCIES) {
    await db
      .insertInto('agencies')
      .values({ ...a, shortName: null, unitId: null, validFrom: '2025-07-01', validTo: null, source: 'placeholder' })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }
}
