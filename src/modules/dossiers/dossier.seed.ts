import type { StaffPrincipal, StaffRole } from '../../shared/auth.js'
import { ManualClock, type Clock } from '../../shared/clock.js'
import { inTransaction, type Db } from '../../shared/database.js'
import { listActiveStaff } from '../identity/index.js'
import { findAgencyById } from '../org/index.js'
import type { DossierAction } from './dossier.machine.js'
import { act, intakeAtCounter, submitOnline, type DossierDeps, type IntakeInput } from './dossier.service.js'

/**
 * Demo dossiers (demo mode only): a dozen dossiers at the An Xuyên commune centre in every
 * state an officer meets — new, assigned, awaiting a supplement, awaiting approval, decided,
 * returned, late with a public apology, late without one, refused, online awaiting receipt —
 * made through the same lifecycle service as real ones, so their events, hash chains, codes,
 * due dates and forms are real. The times are set in the days before `clock.now()`.
 * Idempotent: does nothing when any dossier exists.
 */
export async function seedDemoDossiers(db: Db, clock: Clock, provinceCode: string): Promise<number> {
  const existing = await db.selectFrom('dossiers').select('id').limit(1).executeTakeFirst()
  if (existing) return 0
  const staff = await demoStaff(db)
  if (!staff) return 0 // demo accounts not seeded
  const demoClock = new ManualClock(clock.now())
  const deps: DossierDeps = { db, clock: demoClock, provinceCode }
  const now = clock.now()

  /** `n` weekdays before today, at hh:mm Vietnam time. */
  const daysAgo = (n: number, hh: number, mm = 0): Date => {
    const local = new Date(now.getTime() + 7 * 3600_000)
    let d = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate())
    for (let left = n; left > 0; ) {
      d -= 86_400_000
      const wd = new Date(d).getUTCDay()
      if (wd !== 0 && wd !== 6) left--
    }
    const at = new Date(d + (hh - 7) * 3600_000 + mm * 60_000)
    return at > now ? new Date(now.getTime() - 60_000) : at
  }

  const intake = async (at: Date, input: Omit<IntakeInput, 'decision'> & { decision?: IntakeInput['decision'] }) => {
    demoClock.set(at)
    const d = await inTransaction(db, (trx) => intakeAtCounter(trx, deps, staff.counter, { decision: 'accept', ...input }))
    return { id: d.id, version: d.version }
  }
  const step = async (d: { id: string; version: number }, at: Date, who: StaffPrincipal, action: DossierAction, extra: Record<string, unknown> = {}) => {
    demoClock.set(at)
    const r = await inTransaction(db, (trx) => act(trx, deps, who, d.id, { action, expectedVersion: d.version, ...extra }))
    d.version = r.version
    return d
  }

  const BIRTH = '1.001193' // Đăng ký khai sinh (published time not parsed: the officer states 3 working days)
  const MARRIAGE = '1.000894' // Đăng ký kết hôn
  const PARENTAGE = '1.001022' // Đăng ký nhận cha, mẹ, con
  const threeDays = { amount: 3, unit: 'working_days' as const }
  const person = (fullName: string, idNumber: string, phone: string, address: string) => ({ fullName, idNumber, phone, address })
  const people = [
    person('Nguyễn Thị Hoa', '096190001234', '0912345678', 'Khóm 1, phường An Xuyên'),
    person('Trần Văn Bình', '096088004521', '0918234567', 'Khóm 3, phường An Xuyên'),
    person('Lê Thị Thu Trang', '096195007733', '0939456123', 'Khóm 5, phường An Xuyên'),
    person('Phạm Minh Tuấn', '096092002468', '0907123987', 'Ấp Bà Điều, phường An Xuyên'),
    person('Huỳnh Ngọc Ánh', '096197003579', '0945678321', 'Khóm 7, phường An Xuyên'),
    person('Võ Thanh Sơn', '096085006802', '0913579246', 'Khóm 2, phường An Xuyên'),
    person('Đỗ Thị Mai', '096198001357', '0988246135', 'Khóm 4, phường An Xuyên'),
    person('Bùi Văn Khánh', '096090009876', '0977135246', 'Khóm 6, phường An Xuyên'),
    person('Tạ Thị Ngọc Hân', '096199004444', '0932111222', 'Khóm 8, phường An Xuyên'),
    person('Châu Văn Lợi', '096087005555', '0944333555', 'Ấp Cống Đá, phường An Xuyên'),
  ] as const
  const birth = (i: number) => ({ procedureCode: BIRTH, communeCode: '32002', applicant: people[i]!, limit: threeDays })
  const { counter, officer, leader } = staff
  let n = 0

  // 1. Returned early.
  {
    const d = await intake(daysAgo(9, 8, 10), birth(0))
    await step(d, daysAgo(9, 9), leader, 'assign', { assigneeId: officer.accountId })
    await step(d, daysAgo(8, 10), officer, 'submit_for_approval', { note: 'Hồ sơ đủ điều kiện' })
    await step(d, daysAgo(8, 15), leader, 'approve')
    await step(d, daysAgo(7, 9), counter, 'return_result')
    n++
  }
  // 2. Decided, awaiting return at the counter.
  {
    const d = await intake(daysAgo(3, 8, 30), { procedureCode: MARRIAGE, communeCode: '32002', applicant: people[1], limit: threeDays })
    await step(d, daysAgo(3, 9), leader, 'assign', { assigneeId: officer.accountId })
    await step(d, daysAgo(2, 10), officer, 'submit_for_approval', { note: 'Đủ điều kiện kết hôn' })
    await step(d, daysAgo(1, 14), leader, 'approve')
    n++
  }
  // 3. Assigned, being handled.
  {
    const d = await intake(daysAgo(1, 9, 15), birth(2))
    await step(d, daysAgo(1, 10), leader, 'assign', { assigneeId: officer.accountId })
    n++
  }
  // 4. Just received, awaiting assignment.
  {
    await intake(daysAgo(0, 8, 5), birth(3))
    n++
  }
  // 5. Awaiting a supplement (form 02 during handling: the clock is paused).
  {
    const d = await intake(daysAgo(2, 9, 40), { procedureCode: PARENTAGE, communeCode: '32002', applicant: people[4], limit: threeDays })
    await step(d, daysAgo(2, 10), leader, 'assign', { assigneeId: officer.accountId })
    await step(d, daysAgo(1, 9), officer, 'request_supplement', { reason: 'Thiếu văn bản xác nhận quan hệ cha, mẹ, con của cơ sở y tế.', missing: ['Văn bản của cơ sở y tế xác nhận quan hệ cha, mẹ, con'] })
    n++
  }
  // 6. Awaiting the leader's approval.
  {
    const d = await intake(daysAgo(2, 14), birth(5))
    await step(d, daysAgo(2, 15), leader, 'assign', { assigneeId: officer.accountId })
    await step(d, daysAgo(0, 8, 30), officer, 'submit_for_approval', { note: 'Hồ sơ đủ điều kiện' })
    n++
  }
  // 7. Late, with an approved public apology and a new appointment (A6, form 04).
  {
    const d = await intake(daysAgo(6, 9), birth(6))
    await step(d, daysAgo(6, 10), leader, 'assign', { assigneeId: officer.accountId })
    const proposed = new Date(daysAgo(0, 17).getTime() + 2 * 86_400_000)
    await step(d, daysAgo(3, 15), officer, 'draft_apology', { reason: 'Cần xác minh thông tin nơi sinh với cơ sở y tế tỉnh khác.', proposedAppointment: proposed.toISOString() })
    await step(d, daysAgo(3, 16), leader, 'approve_apology')
    n++
  }
  // 8. Late, no apology yet: the deadline job marks it, the inbox warns.
  {
    const d = await intake(daysAgo(5, 10), birth(7))
    await step(d, daysAgo(5, 11), leader, 'assign', { assigneeId: officer.accountId })
    n++
  }
  // 9. Refused at the counter (form 03).
  {
    await intake(daysAgo(4, 9), { ...birth(8), decision: 'refuse', reason: 'Trẻ đã được đăng ký khai sinh tại xã khác (kiểm tra trên cơ sở dữ liệu hộ tịch).' })
    n++
  }
  // 10. Incomplete at the counter: guidance to complete it (form 02, one list of everything missing).
  {
    await intake(daysAgo(1, 15), { ...birth(9), decision: 'supplement', reason: 'Hồ sơ chưa đầy đủ.', missing: ['Giấy chứng sinh (bản chính)', 'Văn bản ủy quyền có chứng thực (người đi đăng ký không phải cha, mẹ)'] })
    n++
  }
  // 11. Submitted online, awaiting receipt by the commune centre.
  {
    demoClock.set(daysAgo(0, 7, 45))
    await inTransaction(db, (trx) => submitOnline(trx, deps, { id: null, name: people[2].fullName, role: 'citizen', agencyId: null }, { ...birth(2), applicant: person('Lý Gia Hân', '096201008888', '0966777888', 'Khóm 9, phường An Xuyên') }))
    n++
  }
  return n
}

async function demoStaff(db: Db): Promise<{ counter: StaffPrincipal; officer: StaffPrincipal; leader: StaffPrincipal } | undefined> {
  const one = async (agencyId: string, role: StaffRole): Promise<StaffPrincipal | undefined> => {
    const [s] = await listActiveStaff(db, agencyId, role)
    const agency = await findAgencyById(db, agencyId)
    if (!s || !agency) return undefined
    return { kind: 'staff', accountId: s.id, sessionId: 'seed', username: 'seed', fullName: s.fullName, role, agencyId, agencyCode: agency.code, agencyName: agency.name, mustChangePassword: false }
  }
  const counter = await one('ttpvhcc-xa-32002', 'counter_officer')
  const officer = await one('ubnd-xa-32002', 'processing_officer')
  const leader = await one('ubnd-xa-32002', 'agency_leader')
  return counter && officer && leader ? { counter, officer, leader } : undefined
}
