import type { Generated } from 'kysely'

export interface AdminUnitsTable {
  id: string
  code: string
  name: string
  type: string
  level: 'province' | 'district' | 'commune'
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
  portion: 'whole' | 'part'
  effectiveOn: string
  source: string
}

export interface AgenciesTable {
  id: string
  code: string
  name: string
  shortName: string | null
  kind: string
  level: 'province' | 'commune'
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
