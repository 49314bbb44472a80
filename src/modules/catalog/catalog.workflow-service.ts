import { z } from 'zod'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { ConcurrentUpdateError, ValidationError } from '../../shared/errors.js'
import { appendOutboxEvent } from '../../shared/outbox.js'
import { listAgencies } from '../org/index.js'
import type { CatalogActor } from './catalog.admin.js'
import { insertAudit } from './catalog.admin.repo.js'
import { lockHead } from './catalog.repo.js'
import type { ProcedureDto } from './catalog.schemas.js'
import { currentDrafts, getProcedure, ProcedureNotFoundError, writeDrafts, type CatalogDeps } from './catalog.service.js'
import { defaultWorkflowSteps, legalLimitOf, validateWorkflow, WorkflowStep, type WorkflowEdit, type WorkflowTemplate } from './catalog.workflow.js'
import './catalog.tables.js'

const StoredSteps = z.array(WorkflowStep)

/** The template row that applies to a procedure version: the latest set at or before it. */
async function findTemplateRow(db: Db | Trx, code: string, version: number) {
  const row = await db
    .selectFrom('catalogWorkflows')
    .select(['procedureVersion', 'steps'])
    .where('code', '=', code)
    .where('procedureVersion', '<=', version)
    .orderBy('procedureVersion', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { templateVersion: row.procedureVersion, steps: StoredSteps.parse(row.steps) } : undefined
}

/**
 * The workflow a procedure version's dossiers follow: its template (the one set by the latest
 * template edit at or before that version), or the default two steps when none was set or the
 * procedure's limit cannot be counted.
 */
export async function getWorkflowTemplate(deps: CatalogDeps, code: string, opts: { version?: number; at?: Date } = {}): Promise<WorkflowTemplate> {
  return workflowOfVersion(deps.db, await getProcedure(deps, code, opts))
}

/** The workflow of a procedure version already read (see getWorkflowTemplate). */
export async function workflowOfVersion(db: Db | Trx, p: Pick<ProcedureDto, 'code' | 'version' | 'content'>): Promise<WorkflowTemplate> {
  const code = p.code
  const limit = legalLimitOf(p.content) ?? null
  const row = await findTemplateRow(db, code, p.version)
  if (row) return { code, procedureVersion: p.version, templateVersion: row.templateVersion, source: 'template', limit, steps: row.steps }
  return { code, procedureVersion: p.version, templateVersion: null, source: 'default', limit, steps: limit ? defaultWorkflowSteps(limit) : [] }
}

const same = (a: WorkflowStep[], b: WorkflowStep[]) => JSON.stringify(a) === JSON.stringify(b)

/**
 * An administrator's edit of a procedure's workflow template: checked against the version the
 * administrator saw (409 otherwise), validated with every problem at once (400, nothing
 * written), then a new procedure version carrying the template, its audit row and its outbox
 * event in one transaction, as every catalogue edit. Running dossiers keep the plan they copied.
 */
export async function editWorkflow(deps: CatalogDeps, code: string, input: WorkflowEdit, actor: CatalogActor): Promise<WorkflowTemplate> {
  const steps = input.steps.map((s) => ({ ...s, name: s.name.normalize('NFC'), agency: s.agency.trim() }))
  const known = new Set((await listAgencies(deps.db)).map((a) => a.id))
  const version = await inTransaction(deps.db, async (trx) => {
    const currentVersion = await lockHead(trx, code)
    if (currentVersion === undefined) throw new ProcedureNotFoundError(code)
    if (currentVersion !== input.expectedVersion) throw new ConcurrentUpdateError('procedure', code)
    const cur = (await currentDrafts(trx, [code])).get(code)
    if (!cur) throw new ProcedureNotFoundError(code)
    const problems = validateWorkflow(steps, legalLimitOf(cur.content), known)
    if (Object.keys(problems).length) throw new ValidationError('CATALOG.INVALID_WORKFLOW', 'Chưa lưu được quy trình, xem lỗi từng mục.', { fields: problems })
    const before = await findTemplateRow(trx, code, currentVersion)
    if (before && same(before.steps, steps)) throw new ValidationError('CATALOG.NO_CHANGE', 'Quy trình không thay đổi so với phiên bản hiện hành.')
    const now = deps.clock.now()
    const changeNote = input.changeNote.normalize('NFC')
    const w = await writeDrafts(trx, [cur], { source: 'edit', changeNote, createdBy: actor.id, at: now, force: true })
    const written = w.written[0]!
    await trx.insertInto('catalogWorkflows').values({ code, procedureVersion: written.version, steps: JSON.stringify(steps), createdAt: now, createdBy: actor.id }).execute()
    await insertAudit(trx, {
      at: now,
      action: 'edit',
      code,
      version: written.version,
      actorId: actor.id,
      actorName: actor.name,
      reason: changeNote,
      details: { fromVersion: currentVersion, fields: ['workflow'], workflow: { from: before?.steps ?? null, to: steps } },
    })
    await appendOutboxEvent(trx, {
      topic: 'catalog.procedure_version_published',
      aggregateType: 'procedure',
      aggregateId: code,
      actorId: actor.id,
      payload: { code, version: written.version, changeNote, workflow: true },
    })
    return written.version
  })
  return getWorkflowTemplate(deps, code, { version })
}
