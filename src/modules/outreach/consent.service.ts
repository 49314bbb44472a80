import crypto from 'node:crypto'
import { sql, type Selectable } from 'kysely'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../../shared/errors.js'
import { findCitizen, findCitizenByIdentityNumber, getCitizen, maskIdentityNumber, parseIdentityNumber } from '../identity/index.js'
import { normalizeVnMobile, SmsUnavailableError, type SmsSender } from '../notify/index.js'
import { generateOtp, hashOtp, OTP_POLICY, otpMatches, otpMessage } from './otp.js'
import { findMembership, requireMembership, type OutreachBase } from './outreach.service.js'
import type { ConsentMethod, ConsentScope, OutreachConsentRequestsTable, OutreachConsentsTable } from './outreach.tables.js'

// Consent to act for a citizen (issue 6 §5; DOMAIN B §10: a public body processes personal data
// on a legal basis, and submitting for someone needs their say-so). A member asks; the citizen
// agrees either by reading out a one-time code sent to their phone (method sms_otp) or by
// approving the request in their own session (in_session). Only then is a consent written.
// Codes: 6 digits, 5 minutes, stored as an HMAC, 5 wrong entries lock the request, resends
// spaced and capped, sends per phone and requests per member capped per hour (otp.ts).
// The SMS goes out after the request is committed (never inside a transaction), and a failed
// send leaves the request marked failed, with no code and no consent.

export interface ConsentDeps extends OutreachBase {
  sms: SmsSender
  /** Server secret the codes' HMAC is keyed with. */
  otpSecret: string
}

export type ConsentRequestRow = Selectable<OutreachConsentRequestsTable>
export type ConsentRow = Selectable<OutreachConsentsTable>

export interface StartRequestInput {
  identityNumber: string
  phone?: string | undefined
  purpose: string
  scope: ConsentScope
  validDays: number
  method: ConsentMethod
}

/** An in-session request waits this long for the citizen; a code request can be resent for this long. */
const IN_SESSION_REQUEST_MS = 24 * 3600_000
const CODE_REQUEST_MS = 3600_000
const HOUR = 3600_000
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Why a member may not act for a citizen: a coded refusal (HTTP 403) the e-form shows as it is. */
export class NoConsentError extends DomainError {
  constructor(code: 'OUTREACH.CONSENT_NOT_FOUND' | 'OUTREACH.CONSENT_OTHER_CITIZEN' | 'OUTREACH.CONSENT_REVOKED' | 'OUTREACH.CONSENT_EXPIRED' | 'OUTREACH.CONSENT_USED' | 'OUTREACH.NOT_A_MEMBER', message: string) {
    super('forbidden', code, message)
  }
}

const requestNotFound = () => new NotFoundError('OUTREACH.REQUEST_NOT_FOUND', 'Không tìm thấy yêu cầu uỷ quyền này.')

function validateStart(input: StartRequestInput, now: Date): { identityNumber: string; phone: string | undefined; purpose: string; fields: Record<string, string[]> } {
  const fields: Record<string, string[]> = {}
  const identityNumber = input.identityNumber.replace(/\s/g, '')
  const id = parseIdentityNumber(identityNumber, { today: now })
  if (!id.ok) fields['identityNumber'] = [id.problem]
  let phone: string | undefined
  if (input.method === 'sms_otp') {
    phone = input.phone ? normalizeVnMobile(input.phone) : undefined
    if (!phone) fields['phone'] = [input.phone?.trim() ? 'Số điện thoại không phải số di động Việt Nam hợp lệ (ví dụ 0912 345 678).' : 'Cần nhập số điện thoại di động của công dân để gửi mã xác nhận.']
  }
  const purpose = input.purpose.trim().normalize('NFC')
  if (purpose.length < 3 || purpose.length > 200) fields['purpose'] = ['Cần ghi việc sẽ làm thay (3–200 ký tự), ví dụ "Nộp hồ sơ đăng ký khai sinh".']
  if (!Number.isInteger(input.validDays) || input.validDays < 1 || input.validDays > 30) fields['validDays'] = ['Thời hạn uỷ quyền từ 1 đến 30 ngày.']
  return { identityNumber, phone, purpose, fields }
}

/**
 * A member asks a citizen's consent. With `sms_otp` a code goes to the citizen's phone: the one
 * the identity provider gave for that citizen when Vì Dân knows it (so a member cannot send the
 * code to a phone of their own), otherwise the number the member typed; which one is recorded.
 * With `in_session` the request waits in the citizen's account pages.
 */
export async function startConsentRequest(deps: ConsentDeps, memberCitizenId: string, input: StartRequestInput): Promise<ConsentRequestRow> {
  const now = deps.clock.now()
  const member = await requireMembership(deps.db, memberCitizenId)
  const v = validateStart(input, now)
  if (!v.fields['identityNumber'] && v.identityNumber === member.identityNumber) v.fields['identityNumber'] = ['Không thể tự uỷ quyền cho chính mình: hãy tự nộp hồ sơ bằng tài khoản của bạn.']
  if (Object.keys(v.fields).length) throw new ValidationError('OUTREACH.INVALID_REQUEST', 'Thông tin yêu cầu uỷ quyền chưa hợp lệ.', { fields: v.fields })
  const known = await findCitizenByIdentityNumber(deps.db, v.identityNumber)
  const onRecord = known?.phone ? normalizeVnMobile(known.phone) : undefined
  const phone = input.method === 'sms_otp' ? (onRecord ?? v.phone!) : null
  const id = crypto.randomUUID()
  const code = generateOtp()

  const request = await inTransaction(deps.db, async (trx) => {
    // One member's requests, and one phone's codes, are counted one transaction at a time.
    await trx.selectFrom('outreachMembers').select('id').where('id', '=', member.memberId).forUpdate().execute()
    const recent = await trx.selectFrom('outreachConsentRequests').select((eb) => eb.fn.countAll<number>().as('n')).where('memberCitizenId', '=', memberCitizenId).where('createdAt', '>', new Date(now.getTime() - HOUR)).executeTakeFirstOrThrow()
    if (Number(recent.n) >= OTP_POLICY.maxRequestsPerMemberPerHour) throw rateLimited('Bạn đã tạo quá nhiều yêu cầu uỷ quyền trong một giờ. Vui lòng thử lại sau.')
    if (phone) await assertPhoneQuota(trx, phone, now)
    return trx
      .insertInto('outreachConsentRequests')
      .values({
        id,
        memberCitizenId,
        memberName: member.memberName,
        teamId: member.teamId,
        citizenIdentityNumber: v.identityNumber,
        phone,
        phoneSource: phone ? (onRecord ? 'identity_provider' : 'entered') : null,
        purpose: v.purpose,
        scope: input.scope,
        validDays: input.validDays,
        method: input.method,
        status: phone ? 'sending' : 'awaiting_citizen',
        otpHash: phone ? hashOtp(deps.otpSecret, id, code) : null,
        otpExpiresAt: phone ? new Date(now.getTime() + OTP_POLICY.ttlMs) : null,
        sendCount: phone ? 1 : 0,
        lastSentAt: phone ? now : null,
        providerMessageId: null,
        expiresAt: new Date(now.getTime() + (phone ? CODE_REQUEST_MS : IN_SESSION_REQUEST_MS)),
        consentId: null,
        createdAt: now,
        decidedAt: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
  })
  if (phone) await deliverCode(deps, request, code)
  return getRequestOfMember(deps.db, memberCitizenId, id)
}

function rateLimited(message: string) {
  return new DomainError('rate_limited', 'OUTREACH.RATE_LIMITED', message)
}

async function assertPhoneQuota(trx: Trx, phone: string, now: Date) {
  await sql`select pg_advisory_xact_lock(hashtext(${`outreach-phone:${phone}`}))`.execute(trx)
  const sent = await trx
    .selectFrom('outreachConsentRequests')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('sendCount'), eb.lit(0)).as('n'))
    .where('phone', '=', phone)
    .where('lastSentAt', '>', new Date(now.getTime() - HOUR))
    .executeTakeFirstOrThrow()
  if (Number(sent.n) >= OTP_POLICY.maxSendsPerPhonePerHour) throw rateLimited('Số điện thoại này đã nhận quá nhiều mã xác nhận trong một giờ. Vui lòng thử lại sau.')
}

/** Sends the code; on failure the request keeps no code and the send is not counted. Never inside a transaction. */
async function deliverCode(deps: ConsentDeps, r: ConsentRequestRow, code: string): Promise<void> {
  try {
    const { messageId } = await deps.sms.send(r.phone!, otpMessage(code, r.memberName, r.purpose), { requestId: `${r.id}.${r.sendCount}`, type: 'otp' })
    await deps.db.updateTable('outreachConsentRequests').set({ status: 'code_sent', providerMessageId: messageId }).where('id', '=', r.id).where('status', '=', 'sending').execute()
  } catch (e) {
    await deps.db
      .updateTable('outreachConsentRequests')
      .set((eb) => ({ status: 'send_failed', otpHash: null, otpExpiresAt: null, lastSentAt: null, sendCount: eb('sendCount', '-', 1) }))
      .where('id', '=', r.id)
      .where('status', '=', 'sending')
      .execute()
    if (e instanceof DomainError) throw e
    throw new SmsUnavailableError('send: unexpected error')
  }
}

/** A new code for a request whose code expired, failed to go or was not received: spaced and capped. */
export async function resendConsentCode(deps: ConsentDeps, memberCitizenId: string, requestId: string): Promise<ConsentRequestRow> {
  const now = deps.clock.now()
  const code = generateOtp()
  const r = await inTransaction(deps.db, async (trx) => {
    const r = await lockRequest(trx, requestId)
    if (!r || r.memberCitizenId !== memberCitizenId || r.method !== 'sms_otp' || !r.phone) throw requestNotFound()
    await requireMembership(trx, memberCitizenId)
    if (r.status !== 'code_sent' && r.status !== 'send_failed') throw closed(r)
    if (r.expiresAt <= now) throw new ConflictError('OUTREACH.REQUEST_EXPIRED', 'Yêu cầu này đã quá hạn; vui lòng tạo yêu cầu mới.')
    if (r.sendCount >= OTP_POLICY.maxSendsPerRequest) throw rateLimited(`Đã gửi mã ${OTP_POLICY.maxSendsPerRequest} lần cho yêu cầu này; vui lòng tạo yêu cầu mới sau ít phút.`)
    if (r.lastSentAt && now.getTime() - r.lastSentAt.getTime() < OTP_POLICY.resendGapMs) {
      const wait = Math.ceil((OTP_POLICY.resendGapMs - (now.getTime() - r.lastSentAt.getTime())) / 1000)
      throw rateLimited(`Vui lòng chờ ${wait} giây nữa rồi mới gửi lại mã.`)
    }
    await assertPhoneQuota(trx, r.phone, now)
    return trx
      .updateTable('outreachConsentRequests')
      .set((eb) => ({ status: 'sending', otpHash: hashOtp(deps.otpSecret, r.id, code), otpExpiresAt: new Date(now.getTime() + OTP_POLICY.ttlMs), attempts: 0, sendCount: eb('sendCount', '+', 1), lastSentAt: now }))
      .where('id', '=', r.id)
      .returningAll()
      .executeTakeFirstOrThrow()
  })
  await deliverCode(deps, r, code)
  return getRequestOfMember(deps.db, memberCitizenId, requestId)
}

function closed(r: ConsentRequestRow) {
  if (r.status === 'locked') return new DomainError('locked', 'OUTREACH.TOO_MANY_ATTEMPTS', `Đã nhập sai mã ${OTP_POLICY.maxAttempts} lần; yêu cầu này bị khoá. Vui lòng tạo yêu cầu mới.`)
  if (r.status === 'approved') return new ConflictError('OUTREACH.REQUEST_DONE', 'Yêu cầu này đã được công dân đồng ý.')
  return new ConflictError('OUTREACH.REQUEST_CLOSED', 'Yêu cầu này đã kết thúc; vui lòng tạo yêu cầu mới.')
}

async function lockRequest(trx: Trx, id: string): Promise<ConsentRequestRow | undefined> {
  if (!UUID.test(id)) return undefined
  return trx.selectFrom('outreachConsentRequests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** The member enters the code the citizen read out; the right code writes the consent. */
export async function verifyConsentCode(deps: ConsentDeps, memberCitizenId: string, requestId: string, rawCode: string): Promise<ConsentRow> {
  const now = deps.clock.now()
  const code = rawCode.replace(/\s/g, '')
  // Refusals that count an attempt are returned, so the count commits, and thrown after.
  const outcome = await inTransaction(deps.db, async (trx): Promise<{ consent: ConsentRow } | { error: DomainError }> => {
    const r = await lockRequest(trx, requestId)
    if (!r || r.memberCitizenId !== memberCitizenId || r.method !== 'sms_otp') throw requestNotFound()
    await requireMembership(trx, memberCitizenId)
    if (r.status !== 'code_sent' || !r.otpHash || !r.otpExpiresAt) throw r.status === 'send_failed' || r.status === 'sending' ? new ConflictError('OUTREACH.NO_CODE_PENDING', 'Chưa có mã nào được gửi thành công cho yêu cầu này; hãy bấm "Gửi lại mã".') : closed(r)
    if (!/^\d{6}$/.test(code)) throw new ValidationError('OUTREACH.CODE_FORMAT', 'Mã xác nhận gồm 6 chữ số.', { fields: { code: ['Mã xác nhận gồm 6 chữ số.'] } })
    if (now >= r.otpExpiresAt) return { error: new DomainError('invalid', 'OUTREACH.CODE_EXPIRED', 'Mã xác nhận đã hết hạn (quá 5 phút). Hãy bấm "Gửi lại mã" để công dân nhận mã mới.', { fields: { code: ['Mã đã hết hạn.'] } }) }
    if (!otpMatches(deps.otpSecret, r.id, code, r.otpHash)) {
      const attempts = r.attempts + 1
      if (attempts >= OTP_POLICY.maxAttempts) {
        await trx.updateTable('outreachConsentRequests').set({ attempts, status: 'locked', otpHash: null, decidedAt: now }).where('id', '=', r.id).execute()
        return { error: closed({ ...r, status: 'locked' }) }
      }
      await trx.updateTable('outreachConsentRequests').set({ attempts }).where('id', '=', r.id).execute()
      const left = OTP_POLICY.maxAttempts - attempts
      return { error: new ValidationError('OUTREACH.CODE_WRONG', `Mã xác nhận không đúng. Còn ${left} lần thử.`, { attemptsLeft: left, fields: { code: [`Mã không đúng, còn ${left} lần thử.`] } }) }
    }
    return { consent: await grant(trx, r, now) }
  })
  if ('error' in outcome) throw outcome.error
  return outcome.consent
}

async function grant(trx: Trx, r: ConsentRequestRow, now: Date): Promise<ConsentRow> {
  const consent = await trx
    .insertInto('outreachConsents')
    .values({
      id: crypto.randomUUID(),
      requestId: r.id,
      memberCitizenId: r.memberCitizenId,
      memberName: r.memberName,
      teamId: r.teamId,
      citizenIdentityNumber: r.citizenIdentityNumber,
      purpose: r.purpose,
      scope: r.scope,
      method: r.method,
      phoneSource: r.phoneSource,
      grantedAt: now,
      expiresAt: new Date(now.getTime() + r.validDays * 24 * HOUR),
      revokedAt: null,
      revokedReason: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  await trx.updateTable('outreachConsentRequests').set({ status: 'approved', consentId: consent.id, otpHash: null, decidedAt: now }).where('id', '=', r.id).execute()
  return consent
}

/** The citizen, in their own session, approves or declines a member's pending request. */
export async function decideInSession(deps: OutreachBase, citizenId: string, requestId: string, decision: 'approve' | 'decline'): Promise<ConsentRow | undefined> {
  const now = deps.clock.now()
  return inTransaction(deps.db, async (trx) => {
    const me = await getCitizen(trx, citizenId)
    const r = await lockRequest(trx, requestId)
    if (!r || r.citizenIdentityNumber !== me.identityNumber || r.method !== 'in_session') throw requestNotFound()
    if (r.status !== 'awaiting_citizen') throw closed(r)
    if (r.expiresAt <= now) throw new ConflictError('OUTREACH.REQUEST_EXPIRED', 'Yêu cầu này đã quá hạn; người hỗ trợ cần gửi yêu cầu mới.')
    if (decision === 'decline') {
      await trx.updateTable('outreachConsentRequests').set({ status: 'declined', decidedAt: now }).where('id', '=', r.id).execute()
      return undefined
    }
    if (!(await findMembership(trx, r.memberCitizenId))) throw new ConflictError('OUTREACH.MEMBER_INACTIVE', 'Người gửi yêu cầu không còn là thành viên tổ công nghệ số cộng đồng; không thể uỷ quyền.')
    return grant(trx, r, now)
  })
}

/** The citizen withdraws a consent; it stops working at once. */
export async function revokeConsent(deps: OutreachBase, citizenId: string, consentId: string): Promise<void> {
  const me = await getCitizen(deps.db, citizenId)
  if (!UUID.test(consentId)) throw new NotFoundError('OUTREACH.CONSENT_NOT_FOUND', 'Không tìm thấy uỷ quyền này.')
  const r = await deps.db
    .updateTable('outreachConsents')
    .set({ revokedAt: deps.clock.now(), revokedReason: 'citizen' })
    .where('id', '=', consentId)
    .where('citizenIdentityNumber', '=', me.identityNumber)
    .where('revokedAt', 'is', null)
    .executeTakeFirst()
  if (!r.numUpdatedRows) throw new NotFoundError('OUTREACH.CONSENT_NOT_FOUND', 'Không tìm thấy uỷ quyền đang hiệu lực này.')
}

/** Who may act for whom, as `assertActingFor` establishes it. */
export interface ActingConsent {
  consentId: string
  teamId: string
  memberCitizenId: string
  memberName: string
  applicantIdentityNumber: string
  /** Set when the citizen has logged in to Vì Dân at least once. */
  applicantCitizenId: string | null
  purpose: string
  scope: ConsentScope
  method: ConsentMethod
  expiresAt: Date
}

export interface ActingForInput {
  memberCitizenId: string
  consentId: string
  /** The applicant as a citizen account, or by identity number (the dossier's applicant.idNumber); one is required. */
  applicantCitizenId?: string | undefined
  applicantIdentityNumber?: string | undefined
}

/**
 * Checks, inside the caller's transaction, that a member may act for an applicant now: an active
 * member of a team, holding this consent, given by this applicant, neither revoked nor expired
 * nor already used (one-dossier consents). Locks the consent row until the caller commits, so a
 * one-dossier consent serves one submission. Throws NoConsentError (403) with a code for each case.
 */
export async function assertActingFor(trx: Trx, input: ActingForInput, now: Date): Promise<ActingConsent> {
  const member = await findCitizen(trx, input.memberCitizenId)
  if (!member || !(await findMembership(trx, member.id))) throw new NoConsentError('OUTREACH.NOT_A_MEMBER', 'Chỉ thành viên tổ công nghệ số cộng đồng đang hoạt động mới được nộp hồ sơ thay người khác.')
  const c = UUID.test(input.consentId) ? await trx.selectFrom('outreachConsents').selectAll().where('id', '=', input.consentId).forUpdate().executeTakeFirst() : undefined
  if (!c || c.memberCitizenId !== input.memberCitizenId) throw new NoConsentError('OUTREACH.CONSENT_NOT_FOUND', 'Không có uỷ quyền của công dân cho bạn (mã uỷ quyền không đúng).')
  const applicant = input.applicantCitizenId ? await findCitizen(trx, input.applicantCitizenId) : input.applicantIdentityNumber ? await findCitizenByIdentityNumber(trx, input.applicantIdentityNumber) : undefined
  const applicantNumber = input.applicantCitizenId ? applicant?.identityNumber : input.applicantIdentityNumber
  if (!applicantNumber || applicantNumber !== c.citizenIdentityNumber) throw new NoConsentError('OUTREACH.CONSENT_OTHER_CITIZEN', 'Uỷ quyền này do một công dân khác cấp; không dùng được cho người nộp hồ sơ này.')
  if (c.revokedAt) throw new NoConsentError('OUTREACH.CONSENT_REVOKED', 'Công dân đã thu hồi uỷ quyền này.')
  if (c.expiresAt <= now) throw new NoConsentError('OUTREACH.CONSENT_EXPIRED', 'Uỷ quyền này đã hết hạn; cần xin lại sự đồng ý của công dân.')
  if (c.scope === 'one_dossier' && c.useCount >= 1) throw new NoConsentError('OUTREACH.CONSENT_USED', 'Uỷ quyền này chỉ dùng cho một hồ sơ và đã được dùng.')
  return {
    consentId: c.id,
    teamId: c.teamId,
    memberCitizenId: c.memberCitizenId,
    memberName: c.memberName,
    applicantIdentityNumber: c.citizenIdentityNumber,
    applicantCitizenId: applicant?.id ?? null,
    purpose: c.purpose,
    scope: c.scope,
    method: c.method,
    expiresAt: c.expiresAt,
  }
}

/**
 * Records that a consent was used for a dossier, in the transaction that submits it (after
 * `assertActingFor`). Recording the same dossier again changes nothing; a one-dossier consent
 * refuses a second dossier (NoConsentError OUTREACH.CONSENT_USED).
 */
/**
 * The consent a member holds, checked as `assertActingFor` checks it, for the applicant the
 * consent itself names (opening the e-form in assisted mode: the member does not type who).
 */
export async function actingConsentOfMember(trx: Trx, memberCitizenId: string, consentId: string, now: Date): Promise<ActingConsent> {
  const c = UUID.test(consentId) ? await trx.selectFrom('outreachConsents').select(['citizenIdentityNumber', 'memberCitizenId']).where('id', '=', consentId).executeTakeFirst() : undefined
  if (!c || c.memberCitizenId !== memberCitizenId) throw new NoConsentError('OUTREACH.CONSENT_NOT_FOUND', 'Không có uỷ quyền của công dân cho bạn (mã uỷ quyền không đúng).')
  return assertActingFor(trx, { memberCitizenId, consentId, applicantIdentityNumber: c.citizenIdentityNumber }, now)
}

export async function recordConsentUse(trx: Trx, input: { consentId: string; memberCitizenId: string; dossierId: string; dossierCode?: string | null }, now: Date): Promise<{ useId: string }> {
  const seen = await trx.selectFrom('outreachConsentUses').select('id').where('consentId', '=', input.consentId).where('dossierId', '=', input.dossierId).executeTakeFirst()
  if (seen) return { useId: seen.id }
  const counted = await trx
    .updateTable('outreachConsents')
    .set((eb) => ({ useCount: eb('useCount', '+', 1) }))
    .where('id', '=', input.consentId)
    .where('memberCitizenId', '=', input.memberCitizenId)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', now)
    .where((eb) => eb.or([eb('scope', '=', 'until_expiry'), eb('useCount', '=', 0)]))
    .executeTakeFirst()
  if (!counted.numUpdatedRows) throw new NoConsentError('OUTREACH.CONSENT_USED', 'Uỷ quyền này không còn dùng được cho một hồ sơ mới.')
  const useId = crypto.randomUUID()
  await trx.insertInto('outreachConsentUses').values({ id: useId, consentId: input.consentId, dossierId: input.dossierId, dossierCode: input.dossierCode ?? null, memberCitizenId: input.memberCitizenId, usedAt: now }).execute()
  return { useId }
}

export async function getRequestOfMember(db: Db | Trx, memberCitizenId: string, requestId: string): Promise<ConsentRequestRow> {
  const r = UUID.test(requestId) ? await db.selectFrom('outreachConsentRequests').selectAll().where('id', '=', requestId).executeTakeFirst() : undefined
  if (!r || r.memberCitizenId !== memberCitizenId) throw requestNotFound()
  return r
}

export type ConsentState = 'active' | 'revoked' | 'expired' | 'used'
export interface ConsentListItem {
  id: string
  memberName: string
  teamName: string
  citizenIdentityNumber: string
  purpose: string
  scope: ConsentScope
  method: ConsentMethod
  grantedAt: Date
  expiresAt: Date
  revokedAt: Date | null
  state: ConsentState
  uses: { dossierId: string; dossierCode: string | null; usedAt: Date }[]
}

export function consentState(c: Pick<ConsentRow, 'revokedAt' | 'expiresAt' | 'scope' | 'useCount'>, now: Date): ConsentState {
  if (c.revokedAt) return 'revoked'
  if (c.expiresAt <= now) return 'expired'
  if (c.scope === 'one_dossier' && c.useCount >= 1) return 'used'
  return 'active'
}

async function listConsents(db: Db | Trx, where: { citizenIdentityNumber: string } | { memberCitizenId: string }, now: Date): Promise<ConsentListItem[]> {
  let q = db.selectFrom('outreachConsents as c').innerJoin('outreachTeams as t', 't.id', 'c.teamId').selectAll('c').select('t.name as teamName')
  q = 'citizenIdentityNumber' in where ? q.where('c.citizenIdentityNumber', '=', where.citizenIdentityNumber) : q.where('c.memberCitizenId', '=', where.memberCitizenId)
  const rows = await q.orderBy('c.grantedAt', 'desc').orderBy('c.id').limit(200).execute()
  const uses = rows.length
    ? await db.selectFrom('outreachConsentUses').select(['consentId', 'dossierId', 'dossierCode', 'usedAt']).where('consentId', 'in', rows.map((r) => r.id)).orderBy('usedAt').orderBy('id').execute()
    : []
  return rows.map((c) => ({
    id: c.id,
    memberName: c.memberName,
    teamName: c.teamName,
    citizenIdentityNumber: c.citizenIdentityNumber,
    purpose: c.purpose,
    scope: c.scope,
    method: c.method,
    grantedAt: c.grantedAt,
    expiresAt: c.expiresAt,
    revokedAt: c.revokedAt,
    state: consentState(c, now),
    uses: uses.filter((u) => u.consentId === c.id).map((u) => ({ dossierId: u.dossierId, dossierCode: u.dossierCode, usedAt: u.usedAt })),
  }))
}

/** The citizen's side: requests waiting for them, and every consent they gave, with its uses. */
export async function citizenConsents(db: Db | Trx, citizenId: string, now: Date) {
  const me = await getCitizen(db, citizenId)
  const pending = await db
    .selectFrom('outreachConsentRequests as r')
    .innerJoin('outreachTeams as t', 't.id', 'r.teamId')
    .select(['r.id', 'r.memberName', 't.name as teamName', 'r.purpose', 'r.scope', 'r.validDays', 'r.createdAt', 'r.expiresAt'])
    .where('r.citizenIdentityNumber', '=', me.identityNumber)
    .where('r.status', '=', 'awaiting_citizen')
    .where('r.expiresAt', '>', now)
    .orderBy('r.createdAt', 'desc')
    .orderBy('r.id')
    .execute()
  return { pending, consents: await listConsents(db, { citizenIdentityNumber: me.identityNumber }, now) }
}

/** The member's side: their recent requests and the consents they hold (identity numbers masked). */
export async function memberConsents(db: Db | Trx, memberCitizenId: string, now: Date) {
  const requests = await db
    .selectFrom('outreachConsentRequests')
    .select(['id', 'citizenIdentityNumber', 'purpose', 'method', 'status', 'createdAt', 'consentId'])
    .where('memberCitizenId', '=', memberCitizenId)
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .limit(20)
    .execute()
  const consents = await listConsents(db, { memberCitizenId }, now)
  return {
    requests: requests.map((r) => ({ ...r, citizenIdentityNumber: maskIdentityNumber(r.citizenIdentityNumber) })),
    consents: consents.map((c) => ({ ...c, citizenIdentityNumber: maskIdentityNumber(c.citizenIdentityNumber) })),
  }
}

/** What outreach holds about one citizen, for their own data export. Other people's identity numbers are masked. */
export async function outreachPersonalData(db: Db | Trx, citizenId: string, now: Date) {
  const me = await getCitizen(db, citizenId)
  const memberships = await db
    .selectFrom('outreachMembers as m')
    .innerJoin('outreachTeams as t', 't.id', 'm.teamId')
    .select(['m.id', 't.name as teamName', 't.communeCode', 'm.fullName', 'm.addedAt', 'm.removedAt'])
    .where('m.identityNumber', '=', me.identityNumber)
    .orderBy('m.addedAt')
    .orderBy('m.id')
    .execute()
  const requestsAboutMe = await db
    .selectFrom('outreachConsentRequests')
    .select(['id', 'memberName', 'purpose', 'scope', 'validDays', 'method', 'status', 'phone', 'phoneSource', 'sendCount', 'attempts', 'createdAt', 'decidedAt', 'consentId'])
    .where('citizenIdentityNumber', '=', me.identityNumber)
    .orderBy('createdAt')
    .orderBy('id')
    .execute()
  const mine = await memberConsents(db, citizenId, now)
  return { memberships, consentsGiven: await listConsents(db, { citizenIdentityNumber: me.identityNumber }, now), consentRequestsAboutMe: requestsAboutMe, asMember: mine }
}
