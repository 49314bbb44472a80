import type { Generated } from 'kysely'

export interface OnlineFormDefinitionsTable {
  procedureCode: string
  /** FormField[] (online.forms.ts), checked with zod when read back. */
  fields: unknown
  /** { amount, unit } or null. */
  defaultLimit: unknown
  updatedAt: Date
}

export interface OnlineDraftsTable {
  id: string
  citizenId: string
  procedureCode: string
  /** The form's text values by field name, as typed. */
  values: unknown
  /** DraftAttachment[]: documents uploaded into the draft or chosen from the wallet, per requirement. */
  attachments: Generated<unknown>
  dossierId: string | null
  version: Generated<number>
  createdAt: Date
  updatedAt: Date
}

export interface OnlineSubmissionsTable {
  dossierId: string
  /** The applicant, by identity number: whose dossier it is (their "my dossiers"). */
  applicantIdentityNumber: string
  /** Their citizen account, when they have logged in at least once. */
  applicantCitizenId: string | null
  actorKind: 'citizen' | 'team_member'
  actorId: string
  actorName: string
  consentRef: string | null
  draftId: string | null
  extra: Generated<unknown>
  submittedAt: Date
}

export type WalletSource = 'result' | 'upload' | 'digitised'

export interface WalletItemsTable {
  id: string
  ownerIdentityNumber: string
  documentId: string
  source: WalletSource
  title: string
  dossierId: string | null
  resultCode: string | null
  legalCopy: Generated<boolean>
  addedAt: Date
}

export interface OnlineDossierDocumentsTable {
  dossierId: string
  position: number
  requirement: string
  documentId: string | null
  /** DOMAIN B §7.3 TrangThaiSoHoa: 0 not digitised, 1 digitised, 2 reused from another dossier's document, 3 reused from another dossier's result. */
  digitisationStatus: 0 | 1 | 2 | 3
  /** B §7.3 DuocTaiSuDung: 0 none, 1 reused document, 2 reused result. */
  reuseKind: 0 | 1 | 2
  walletItemId: string | null
  sourceDossierId: string | null
  recordedAt: Date
}

declare module '../../shared/database.js' {
  interface Database {
    onlineFormDefinitions: OnlineFormDefinitionsTable
    onlineDrafts: OnlineDraftsTable
    onlineSubmissions: OnlineSubmissionsTable
    walletItems: WalletItemsTable
    onlineDossierDocuments: OnlineDossierDocumentsTable
  }
}
