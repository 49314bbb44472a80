import type { StaffRole } from '../../shared/auth.js'
import type { Clock } from '../../shared/clock.js'
import type { Db } from '../../shared/database.js'
import { findAgencyById } from '../org/index.js'
import { createAccount, type IdentityDeps } from './identity.service.js'

export interface DemoCredential {
  username: string
  password: string
  role: StaffRole
  agencyId: string
}

/** One password for every demo account; demo accounts are disabled in production mode. */
export const DEMO_PASSWORD = 'ViDan-demo-2026'

// The provincial centre, one provincial department, and two communes (one from the former Cà
// Mau, one from the former Bạc Liêu), so cross-agency work can be shown.
const DEMO: { username: string; fullName: string; role: StaffRole; agencyId: string }[] = [
  { username: 'quantri', fullName: 'Nguyễn Văn Quản', role: 'admin', agencyId: 'vp-ubnd-tinh' },
  { username: 'giamsat', fullName: 'Trần Thị Giám', role: 'supervisor', agencyId: 'vp-ubnd-tinh' },
  { username: 'motcua.tinh', fullName: 'Lê Thị Một', role: 'counter_officer', agencyId: 'ttpvhcc-tinh' },
  { username: 'chuyenvien.tuphap', fullName: 'Phạm Văn Chuyên', role: 'processing_officer', agencyId: 'so-tu-phap' },
  { username: 'lanhdao.tuphap', fullName: 'Võ Minh Lãnh', role: 'agency_leader', agencyId: 'so-tu-phap' },
  { username: 'motcua.anxuyen', fullName: 'Huỳnh Thị Xuyên', role: 'counter_officer', agencyId: 'ttpvhcc-xa-32002' },
  { username: 'chuyenvien.anxuyen', fullName: 'Đặng Văn An', role: 'processing_officer', agencyId: 'ubnd-xa-32002' },
  { username: 'lanhdao.anxuyen', fullName: 'Lý Thị Hòa', role: 'agency_leader', agencyId: 'ubnd-xa-32002' },
  { username: 'motcua.baclieu', fullName: 'Châu Văn Bạc', role: 'counter_officer', agencyId: 'ttpvhcc-xa-31825' },
  { username: 'chuyenvien.baclieu', fullName: 'Tạ Thị Liêu', role: 'processing_officer', agencyId: 'ubnd-xa-31825' },
]

/** Creates the demo staff accounts that do not exist yet; returns every demo credential. */
export async function seedDemoStaff(db: Db, clock: Clock): Promise<DemoCredential[]> {
  const deps: IdentityDeps = { db, clock, settings: { sessionIdleMinutes: 120, maxFailedLogins: 10, lockMinutes: 15 } }
  const out: DemoCredential[] = []
  for (const d of DEMO) {
    if (!(await findAgencyById(db, d.agencyId))) throw new Error(`demo seed: agency ${d.agencyId} is missing; seed the organisation first`)
    const exists = await db.selectFrom('staffAccounts').select('id').where('username', '=', d.username).executeTakeFirst()
    if (!exists) await createAccount(deps, null, { ...d, password: DEMO_PASSWORD, isDemo: true })
    out.push({ username: d.username, password: DEMO_PASSWORD, role: d.role, agencyId: d.agencyId })
  }
  return out
}
