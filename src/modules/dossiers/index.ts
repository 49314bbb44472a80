/** Dossiers: the lifecycle, counter and online intake, handling steps, the legal clock, apologies, audit, public tracking. */
export { dossiersModule } from './dossier.routes.js'
/** Checks every dossier's event hash chain; names the first broken link. */
export { verifyAllChains, type AuditReport } from './dossier.audit-verify.js'
/** The lifecycle as data (statuses, actions, national status codes). */
export { DOSSIER_ACTIONS, DOSSIER_STATUSES, NATIONAL_STATUS_CODE, STATUS_LABELS, type DossierAction, type DossierStatus } from './dossier.machine.js'
/** Demo dossiers in every state, for demo mode. */
export { seedDemoDossiers } from './dossier.seed.js'
/** A dossier as stored, by id (`getDossier` throws DOSSIER.NOT_FOUND) or by code; other modules read it, never write it. */
export { getDossier, findDossier, findDossierByCode, type DossierRow } from './dossier.repo.js'
export type { PersonJson } from './dossier.tables.js'
/** One lifecycle action on a dossier by an officer or by the system (e.g. `confirm_payment` after a signed payment callback). */
export { act, type ActionInput, type DossierDeps, type SystemPrincipal } from './dossier.service.js'
/** An online submission (status 1, awaiting receipt by the competent desk), e.g. a dossier taken in from the national portal. */
export { submitOnline } from './dossier.service.js'
/** The server-side pdfmake printer with Vietnamese fonts, and a QR code as a PNG data URL, for official documents. */
export { loadPdfPrinter } from './dossier.forms.fonts.js'
export { qrPngDataUrl } from './dossier.forms.js'
/** The public lookup fields (code + 4 digits) and the not-found answer, shared by tracking and fee payment. */
export { DossierLookupFields, DossierNotFound } from './dossier.pages.js'
/** Online intake's input, and the applicant acting on their own dossier (withdraw, supplement). */
export { type IntakeInput, type ApplicantPrincipal, APPLICANT_ACTIONS } from './dossier.service.js'
/** The applicant's own actions online: files at submission and with a supplement, the supplement itself, reads for "my dossiers". */
export { attachApplicantDocuments, handInSupplement, lastSupplementRequest, findDossiers, APPLICANT_FILE_STATUSES } from './dossier.applicant.js'
/** A dossier's files (links and document records), oldest first. */
export { listDossierFiles, type DossierFileView } from './dossier.files.js'
/** The public tracking view of a dossier (status, appointment, public timeline, approved apologies). */
export { publicView } from './dossier.tracking.js'
/** The dossiers a person is applicant or owner of, with their history (their own data export). */
export { dossiersOfPerson } from './dossier.personal-data.js'
