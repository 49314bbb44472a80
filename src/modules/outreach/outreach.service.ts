import crypto from 'node:crypto'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../../shared/errors.js'
import { getCitizen, parseIdentityNumber } from '../identity/index.js'
import { findUnit } from '../org/index.js'

// Community digital teams per commune and their members (tổ công nghệ số cộng đồng, DOMAIN B
// §2.1: the commune centre supports them). A member is a citizen named by identity number: they
// act after logging in through the identity provider, and only while linked to a team.

export interface OutreachBase {
  db: Db
  clock: Clock
}

export interface TeamView {
  id: string
  communeCode: string
  communeName: string
  name: string
  activeMembers: number
  createdAt: Date
}

export interface MemberView {
  id: string
  teamId: string
  identityNumber: string
  fullName: string
  addedAt: Date
  removedAt: Date | null
}

/** An active member as the consent pages see them. */
export interface Membership {
  memberId: string
  teamId: string
  teamName: string
  communeCode: string
  identityNumber: string
  memberName: string
}

const isUniqueViolation = (e: unknown) => (e as { code?: string } | null)?.code === '23505'

export class NotAMemberError extends DomainError {
  constructor() {
    super('forbidden', 'OUTREACH.NOT_A_MEMBER', 'Chức năng "nộp hồ sơ thay" chỉ dành cho thành viên tổ công nghệ số cộng đồng. Tài khoản của bạn chưa được liên kết với tổ nào; vui lòng liên hệ UBND xã, phường.')
  }
}

export async function listTeams(db: Db | Trx): Promise<TeamView[]> {
  const rows = await db
    .selectFrom('outreachTeams as t')
    .leftJoin('outreachMembers as m', (j) => j.onRef('m.teamId', '=', 't.id').on('m.removedAt', 'is', null))
    .select(['t.id', 't.communeCode', 't.name', 't.createdAt'])
    .select((eb) => eb.fn.count<number>('m.id').as('activeMembers'))
    .groupBy(['t.id', 't.communeCode', 't.name', 't.createdAt'])
    .orderBy('t.communeCode')
    .orderBy('t.name')
    .execute()
  const names = new Map<string, string>()
  for (const r of rows) if (!names.has(r.communeCode)) names.set(r.communeCode, (await findUnit(db, r.communeCode))?.name ?? r.communeCode)
  return rows.map((r) => ({ ...r, activeMembers: Number(r.activeMembers), communeName: names.get(r.communeCode) ?? r.communeCode }))
}

export async function getTeam(db: Db | Trx, id: string): Promise<TeamView> {
  const t = (await listTeams(db)).find((x) => x.id === id)
  if (!t) throw new NotFoundError('OUTREACH.TEAM_NOT_FOUND', 'Không tìm thấy tổ công nghệ số cộng đồng.', { id })
  return t
}

export async function listMembers(db: Db | Trx, teamId: string): Promise<MemberView[]> {
  return db
    .selectFrom('outreachMembers')
    .select(['id', 'teamId', 'identityNumber', 'fullName', 'addedAt', 'removedAt'])
    .where('teamId', '=', teamId)
    .orderBy('removedAt', 'desc')
    .orderBy('fullName')
    .orderBy('id')
    .execute()
}

/** A new team of a current commune (the commune's people's committee supports it). */
export async function createTeam(deps: OutreachBase, actorId: string, input: { communeCode: string; name: string }): Promise<TeamView> {
  const name = input.name.trim().normalize('NFC')
  const fields: Record<string, string[]> = {}
  const unit = /^\d{5}$/.test(input.communeCode) ? await findUnit(deps.db, input.communeCode) : undefined
  if (!unit || unit.level !== 'commune' || unit.validTo) fields['communeCode'] = ['Chọn một xã, phường hiện hành.']
  if (name.length < 3 || name.length > 200) fields['name'] = ['Tên tổ cần 3–200 ký tự.']
  if (Object.keys(fields).length) throw new ValidationError('OUTREACH.INVALID_TEAM', 'Thông tin tổ chưa hợp lệ.', { fields })
  const id = crypto.randomUUID()
  try {
    await deps.db.insertInto('outreachTeams').values({ id, communeCode: input.communeCode, name, createdBy: actorId, createdAt: deps.clock.now() }).execute()
  } catch (e) {
    if (isUniqueViolation(e)) throw new ConflictError('OUTREACH.TEAM_EXISTS', 'Xã, phường này đã có một tổ cùng tên.', { fields: { name: ['Xã, phường này đã có một tổ cùng tên.'] } })
    throw e
  }
  return getTeam(deps.db, id)
}

/** Links a citizen (by identity number, DOMAIN A10) to a team; a person is in one team at a time. */
export async function addMember(deps: OutreachBase, actorId: string, teamId: string, input: { identityNumber: string; fullName: string }): Promise<MemberView> {
  await getTeam(deps.db, teamId)
  const identityNumber = input.identityNumber.replace(/\s/g, '')
  const fullName = input.fullName.trim().normalize('NFC')
  const fields: Record<string, string[]> = {}
  const parsed = parseIdentityNumber(identityNumber, { today: deps.clock.now() })
  if (!parsed.ok) fields['identityNumber'] = [parsed.problem]
  if (fullName.length < 2 || fullName.length > 120) fields['fullName'] = ['Cần nhập họ tên (2–120 ký tự).']
  if (Object.keys(fields).length) throw new ValidationError('OUTREACH.INVALID_MEMBER', 'Thông tin thành viên chưa hợp lệ.', { fields })
  const id = crypto.randomUUID()
  try {
    await deps.db.insertInto('outreachMembers').values({ id, teamId, identityNumber, fullName, addedBy: actorId, addedAt: deps.clock.now(), removedBy: null, removedAt: null }).execute()
  } catch (e) {
    if (isUniqueViolation(e)) throw new ConflictError('OUTREACH.ALREADY_MEMBER', 'Người này đang là thành viên của một tổ công nghệ số; cần rời tổ đó trước.', { fields: { identityNumber: ['Người này đang là thành viên của một tổ khác.'] } })
    throw e
  }
  return (await listMembers(deps.db, teamId)).find((m) => m.id === id)!
}

/** Ends a membership; the member's consents stop working at once (assertActingFor checks membership). */
export async function removeMember(deps: OutreachBase, actorId: string, teamId: string, memberId: string): Promise<void> {
  const r = await deps.db
    .updateTable('outreachMembers')
    .set({ removedAt: deps.clock.now(), removedBy: actorId })
    .where('id', '=', memberId)
    .where('teamId', '=', teamId)
    .where('removedAt', 'is', null)
    .executeTakeFirst()
  if (!r.numUpdatedRows) throw new NotFoundError('OUTREACH.MEMBER_NOT_FOUND', 'Không tìm thấy thành viên đang hoạt động này trong tổ.', { memberId })
}

/** The active membership of the logged-in citizen, or undefined. */
export async function findMembership(db: Db | Trx, citizenId: string): Promise<Membership | undefined> {
  const c = await getCitizen(db, citizenId)
  const row = await db
    .selectFrom('outreachMembers as m')
    .innerJoin('outreachTeams as t', 't.id', 'm.teamId')
    .select(['m.id as memberId', 'm.teamId', 't.name as teamName', 't.communeCode', 'm.identityNumber'])
    .where('m.identityNumber', '=', c.identityNumber)
    .where('m.removedAt', 'is', null)
    .executeTakeFirst()
  return row ? { ...row, memberName: c.fullName } : undefined
}

export async function requireMembership(db: Db | Trx, citizenId: string): Promise<Membership> {
  const m = await findMembership(db, citizenId)
  if (!m) throw new NotAMemberError()
  return m
}

// Demo teams: three communes (one from the former Cà Mau city, one rural, one from the former
// Bạc Liêu) and one member, the demo provider's citizen Trần Văn Hùng of Đầm Dơi (096085001237).
const DEMO_TEAMS = [
  { communeCode: '32002', name: 'Tổ công nghệ số cộng đồng khóm 3' },
  { communeCode: '32152', name: 'Tổ công nghệ số cộng đồng ấp Tân Long' },
  { communeCode: '31825', name: 'Tổ công nghệ số cộng đồng khóm 1' },
]
export const DEMO_MEMBER = { identityNumber: '096085001237', fullName: 'Trần Văn Hùng', communeCode: '32152' } as const

/** Demo mode: the demo teams and member, where missing (idempotent). */
export async function seedDemoOutreach(db: Db, clock: Clock): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const t of DEMO_TEAMS) {
      if (!(await findUnit(trx, t.communeCode))) continue
      await trx.insertInto('outreachTeams').values({ id: crypto.randomUUID(), ...t, createdBy: null, createdAt: clock.now() }).onConflict((oc) => oc.columns(['communeCode', 'name']).doNothing()).execute()
    }
    const team = await trx.selectFrom('outreachTeams').select('id').where('communeCode', '=', DEMO_MEMBER.communeCode).orderBy('createdAt').orderBy('id').executeTakeFirst()
    const member = await trx.selectFrom('outreachMembers').select('id').where('identityNumber', '=', DEMO_MEMBER.identityNumber).where('removedAt', 'is', null).executeTakeFirst()
    if (team && !member) {
      await trx.insertInto('outreachMembers').values({ id: crypto.randomUUID(), teamId: team.id, identityNumber: DEMO_MEMBER.identityNumber, fullName: DEMO_MEMBER.fullName, addedBy: null, addedAt: clock.now(), removedBy: null, removedAt: null }).execute()
    }
  })
}
