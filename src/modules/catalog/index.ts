/** Catalogue: versioned administrative procedures, their import, search and public pages. */
import './catalog.tables.js'

/** The module the composition root mounts: JSON API under /api/v1/procedures and the pages /thu-tuc, /co-quan. */
export { catalogModule } from './catalog.routes.js'

/** `vidan catalog import-national | import-province`: runs a subcommand, returns the exit code. */
export { runCatalogCommand, CATALOG_USAGE, type CatalogCliDeps } from './catalog.cli.js'

/** Loads the demo catalogue (102 national records, the 78-procedure province list) into an empty catalogue; fast no-op otherwise. */
export { seedCatalog } from './catalog.seed.js'

/**
 * A procedure as published now, at a given version, or the version in force at an instant
 * (throws `CATALOG.PROCEDURE_NOT_FOUND` / `CATALOG.NO_VERSION_IN_FORCE`).
 */
export { getProcedure } from './catalog.service.js'

/** The (code, version) a dossier received at an instant must follow, or undefined if none was published then. */
export { findVersionInForceAt } from './catalog.service.js'

/** Imports parsed in-process (the CLI reads files); each returns its report. */
export { importNational, importProvince } from './catalog.import.js'

/** Errors a caller may want to tell apart. */
export { ProcedureNotFoundError, NoVersionInForceError } from './catalog.service.js'

/**
 * Refuses a procedure an administrator unpublished (it no longer applies): throws
 * `CATALOG.PROCEDURE_UNPUBLISHED` (409, Vietnamese message, `details.fields.procedureCode`).
 * Intake calls it on what `getProcedure` returned (`unpublishedAt` is on the DTO).
 */
export { assertPublished, ProcedureUnpublishedError } from './catalog.admin.js'

/** Public shapes: the procedure, its code, its online level. */
export type { ProcedureDto, OnlineLevel, ProcedureContent } from './catalog.schemas.js'
export { ProcedureCode } from './catalog.schemas.js'

/** The province's published procedures (code, name, field), ordered by name. */
export { listProvinceProcedures } from './catalog.list.js'

/**
 * Workflow templates per procedure version (issue 5 §3): the steps after receipt with their
 * performers and time budgets. `getWorkflowTemplate`/`workflowOfVersion` answer the template a
 * version's dossiers follow (the default two steps when none was set); `scaleBudgets` fits it
 * to another limit; `COMPETENT` names the dossier's competent agency as performer.
 */
export { getWorkflowTemplate, workflowOfVersion } from './catalog.workflow-service.js'
export { COMPETENT, defaultWorkflowSteps, limitOfTime, scaleBudgets, type WorkflowLimit, type WorkflowStep, type WorkflowStepKind, type WorkflowTemplate } from './catalog.workflow.js'
