import type { Generated } from 'kysely'

export interface CatalogProceduresTable {
  code: string
  currentVersion: number
  inProvince: Generated<boolean>
  unpublishedAt: Date | null
  /** Why it was unpublished (set with `unpublishedAt`). */
  unpublishedReason: string | null
  name: string
  field: string
  levels: string[]
  subjects: string[]
  onlineLevel: 'full' | 'partial' | 'none' | null
  agencyRefs: Generated<string[]>
  searchText: Generated<string>
  nameFolded: Generated<string>
  fieldFolded: Generated<string>
  nameWords: Generated<string[]>
  fieldWords: Generated<string[]>
  allWords: Generated<string[]>
  updatedAt: Date
}

export interface CatalogProcedureVersionsTable {
  code: string
  version: number
  name: string
  field: string
  levels: string[]
  subjects: string[]
  inProvince: boolean
  onlineLevel: 'full' | 'partial' | 'none' | null
  partialReason: string | null
  partialLegalBasis: string | null
  /** AgencyAssignment[] as JSON text on write, parsed value on read. */
  agencies: unknown
  /** ProcedureContent as JSON text on write, parsed value on read. */
  content: unknown
  contentHash: string
  source: string
  changeNote: string | null
  publishedAt: Date
  duePublishBy: Date | null
  createdAt: Date
  createdBy: string | null
}

export type CatalogAuditAction = 'edit' | 'publish' | 'unpublish' | 'national_import' | 'province_import' | 'seed'

/** Every change to the catalogue: who, when, what, why (append-only). */
export interface CatalogAuditTable {
  id: Generated<number>
  at: Date
  action: CatalogAuditAction
  code: string | null
  version: number | null
  actorId: string | null
  actorName: string | null
  reason: string | null
  /** JSON text on write, parsed value on read. */
  details: unknown
}

/** A workflow template, set by an edit that created `procedureVersion`; applies to it and later versions until the next. */
export interface CatalogWorkflowsTable {
  code: string
  procedureVersion: number
  /** WorkflowStep[] as JSON text on write, parsed value on read (checked with zod). */
  steps: unknown
  createdAt: Date
  createdBy: string | null
}

export interface CatalogTermsTable {
  term: string
}

declare module '../../shared/database.js' {
  interface Database {
    catalogTerms: CatalogTermsTable
    catalogProcedures: CatalogProceduresTable
    catalogProcedureVersions: CatalogProcedureVersionsTable
    catalogAudit: CatalogAuditTable
    catalogWorkflows: CatalogWorkflowsTable
  }
}
