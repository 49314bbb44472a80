import type { Generated } from 'kysely'

export type UnitLevel = 'province' | 'district' | 'commune'
/** Kinds of unit: tỉnh, thành phố, huyện, thị xã, quận, phường, xã, thị trấn, đặc khu. */
export type UnitType = 'tinh' | 'thanh_pho' | 'huyen' | 'thi_xa' | 'quan' | 'phuong' | 'xa' | 'thi_tran' | 'dac_khu'
export type LineagePortion = 'whole' | 'part'
export type AgencyLevel = 'province' | 'commune'
/** ubnd: people's committee; van_phong: its office; ttpvhcc: public administration service centre; so: department; nganh_doc: vertically managed agency. */
export type AgencyKind = 'ubnd' | 'van_phong' | 'ttpvhcc' | 'so' | 'nganh_doc'

export interface AdminUnitsTable {
  id: string
  code: string
  name: string
  type: UnitType
  level: UnitLevel
  parentId: string | null
  provinceCode: string
  validFrom: string | null
  validTo: string | null
  extra: Generated<unknown>
  source: string
  nameFolded: Generated<string>
}

export interface AdminUnitLineageTable {
  predecessorId: string
  successorId: string
  portion: LineagePortion
  effectiveOn: string
  source: string
}

export interface AgenciesTable {
  id: string
  code: string
  name: string
  shortName: string | null
  kind: AgencyKind
  level: AgencyLevel
  unitId: string | null
  parentId: string | null
  validFrom: string | null
  validTo: string | null
  source: string
  nameFolded: Generated<string>
}

declare module '../../shared/database.js' {
  interface Database {
    adminUnits: AdminUnitsTable
    adminUnitLineage: AdminUnitLineageTable
    agencies: AgenciesTable
  }
}
