import type { Clock } from '../../shared/clock.js'
import type { Db } from '../../shared/database.js'
import { ValidationError } from '../../shared/errors.js'
import { assertPublished, getProcedure, limitOfTime, workflowOfVersion, type WorkflowTemplate } from '../catalog/index.js'
import type { DeadlineUnit } from '../calendar/index.js'

export type DossierChannel = 'counter' | 'online' | 'post' | 'national_portal'

export interface Limit {
  amount: number
  unit: DeadlineUnit
}

/** What a dossier keeps of the procedure version in force at its receipt. */
export interface ProcedureSnapshot {
  code: string
  version: number
  name: string
  /** undefined when the published time could not be parsed: the officer must state it. */
  limit: Limit | undefined
  limitText: string
  competentAgencyId: string
  caseName: string | null
  documents: { name: string; originals: number; copies: number }[]
  /** The workflow template of this version (or the default), planned at receipt. */
  workflow: WorkflowTemplate
}

const CHANNEL_OF: Record<DossierChannel, 'in_person' | 'online' | 'postal'> = { counter: 'in_person', online: 'online', post: 'postal', national_portal: 'online' }

/**
 * Resolves the procedure version in force at `at`, its time limit for the channel (a local
 * override wins), the competent agency (a commune-level rule resolves to the chosen commune's
 * agency) and the documents of the chosen case.
 */
export async function resolveProcedure(
  deps: { db: Db; clock: Clock },
  input: { code: string; at: Date; channel: DossierChannel; communeCode?: string | undefined; caseName?: string | undefined },
): Promise<ProcedureSnapshot> {
  const p = await getProcedure(deps, input.code, { at: input.at })
  // An unpublished procedure no longer applies: no dossier is received under it.
  assertPublished(p)
  const channel = p.content.channels.find((c) => c.channel === CHANNEL_OF[input.channel]) ?? p.content.channels[0]
  const time = p.content.local?.time ?? channel?.time
  const competent = p.agencies.find((a) => a.role === 'competent') ?? p.agencies[0]
  if (!competent) throw new ValidationError('DOSSIER.NO_COMPETENT_AGENCY', `Thủ tục ${p.code} chưa được gán cơ quan có thẩm quyền.`, { code: p.code })
  let competentAgencyId = competent.ref
  if (competent.ref.startsWith('@')) {
    if (!input.communeCode) {
      throw new ValidationError('DOSSIER.COMMUNE_REQUIRED', 'Thủ tục cấp xã: cần chọn xã, phường có thẩm quyền giải quyết.', { fields: { communeCode: ['Cần chọn xã, phường.'] } })
    }
    competentAgencyId = `${competent.ref.slice(1)}-${input.communeCode}`
  }
  const cases = p.content.cases
  const chosen = (input.caseName ? cases.find((c) => c.name === input.caseName) : undefined) ?? cases[0]
  if (input.caseName && !cases.some((c) => c.name === input.caseName)) {
    throw new ValidationError('DOSSIER.UNKNOWN_CASE', 'Trường hợp đã chọn không có trong thủ tục.', { fields: { caseName: ['Trường hợp không hợp lệ.'] } })
  }
  return {
    code: p.code,
    version: p.version,
    name: p.name,
    limit: limitOfTime(time),
    limitText: time?.original ?? '',
    competentAgencyId,
    caseName: chosen?.name ?? null,
    documents: (chosen?.documents ?? []).filter((d) => d.originals + d.copies > 0).map((d) => ({ name: d.name, originals: d.originals, copies: d.copies })),
    workflow: await workflowOfVersion(deps.db, p),
  }
}
