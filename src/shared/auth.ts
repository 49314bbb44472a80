/** Staff roles (DESIGN "Who uses it"). Permissions are checked server-side on every route. */
export const STAFF_ROLES = ['counter_officer', 'processing_officer', 'agency_leader', 'supervisor', 'admin'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

export const ROLE_LABELS: Record<StaffRole, { vi: string; en: string }> = {
  counter_officer: { vi: 'Công chức một cửa', en: 'Counter officer' },
  processing_officer: { vi: 'Chuyên viên xử lý', en: 'Processing officer' },
  agency_leader: { vi: 'Lãnh đạo cơ quan', en: 'Agency leader' },
  supervisor: { vi: 'Giám sát (Văn phòng UBND tỉnh)', en: 'Supervisor (province office)' },
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
}

/** An officer signed in with a staff account. */
export interface StaffPrincipal {
  kind: 'staff'
  accountId: string
  sessionId: string
  username: string
  fullName: string
  role: StaffRole
  agencyId: string
  agencyCode: string
  agencyName: string
  mustChangePassword: boolean
}

/** VNeID account levels (Decree 69/2024, DOMAIN B §10): 2 = identity verified in person. */
export type AssuranceLevel = 1 | 2

/** A citizen or business representative signed in through the national identity provider. */
export interface CitizenPrincipal {
  kind: 'citizen'
  citizenId: string
  sessionId: string
  fullName: string
  /** Level of the account at this login; level 2 is reported to the national portal (TaiKhoanDuocXacThucVoiVNeID). */
  assuranceLevel: AssuranceLevel
}

/** Who is making a request, as far as the web layer knows. Guards check `kind`: staff pages never accept a citizen and vice versa. */
export type Principal = StaffPrincipal | CitizenPrincipal
