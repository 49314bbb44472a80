import { z } from 'zod'
import type { AssuranceLevel } from '../../shared/auth.js'
import { parseIdentityNumber } from './identity-number.js'

/**
 * The claims Vì Dân reads from the identity provider (ID token and userinfo together), in the
 * style of VNeID: standard OpenID Connect claims (`name`, `birthdate`, `gender`, `phone_number`,
 * `address`) plus `identity_number` (the 12-digit personal identity number), `vneid_level`
 * (1 or 2) and, for a business representative, `business_tax_code` and `business_name`.
 */
const Claims = z.object({
  sub: z.string().min(1).max(255),
  identity_number: z.string().max(40),
  name: z.string().trim().min(1).max(200),
  birthdate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  gender: z.string().max(20).optional(),
  phone_number: z.string().trim().max(30).optional(),
  address: z.union([z.object({ formatted: z.string().trim().max(500).optional() }), z.string().trim().max(500)]).optional(),
  vneid_level: z.union([z.number(), z.string()]).optional(),
  business_tax_code: z.string().trim().regex(/^\d{10}(-\d{3})?$/).optional(),
  business_name: z.string().trim().min(1).max(300).optional(),
})

export interface CitizenClaims {
  subject: string
  identityNumber: string
  fullName: string
  birthDate: string | null
  gender: 'male' | 'female' | null
  phone: string | null
  address: string | null
  businessTaxCode: string | null
  businessName: string | null
  assuranceLevel: AssuranceLevel
}

export type ClaimsResult = { ok: true; claims: CitizenClaims } | { ok: false; code: 'CITIZEN.INVALID_IDENTITY_NUMBER' | 'CITIZEN.INVALID_CLAIMS'; problem: string }

/**
 * Maps the provider's claims to a citizen. The identity number is checked by structure
 * (DOMAIN A10: no checksum); a level is 2 only when the provider says so, anything else is 1.
 * Problems are reported in Vietnamese without echoing the personal data itself.
 */
export function mapCitizenClaims(raw: Record<string, unknown>, opts: { today?: Date } = {}): ClaimsResult {
  const parsed = Claims.safeParse(raw)
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '?')))].join(', ')
    return { ok: false, code: 'CITIZEN.INVALID_CLAIMS', problem: `Thông tin nhận từ hệ thống định danh thiếu hoặc sai định dạng (${fields}).` }
  }
  const c = parsed.data
  const id = parseIdentityNumber(c.identity_number, opts)
  if (!id.ok) return { ok: false, code: 'CITIZEN.INVALID_IDENTITY_NUMBER', problem: id.problem }
  const address = typeof c.address === 'string' ? c.address : c.address?.formatted
  return {
    ok: true,
    claims: {
      subject: c.sub,
      identityNumber: c.identity_number.trim(),
      fullName: c.name.normalize('NFC'),
      birthDate: c.birthdate ?? null,
      gender: c.gender === 'male' || c.gender === 'female' ? c.gender : null,
      phone: c.phone_number || null,
      address: address ? address.normalize('NFC') : null,
      businessTaxCode: c.business_tax_code ?? null,
      businessName: c.business_name?.normalize('NFC') ?? null,
      assuranceLevel: String(c.vneid_level) === '2' ? 2 : 1,
    },
  }
}

/** "096*****1234": the province-of-birth code and the last four digits, never the whole number. */
export function maskIdentityNumber(n: string): string {
  return n.length <= 7 ? '*'.repeat(n.length) : `${n.slice(0, 3)}${'*'.repeat(n.length - 7)}${n.slice(-4)}`
}

/** "091******56": enough for a person to recognise their own number. */
export function maskPhone(p: string): string {
  const digits = p.replace(/\D/g, '')
  const local = digits.startsWith('84') && digits.length > 10 ? `0${digits.slice(2)}` : digits
  return local.length <= 5 ? '*'.repeat(local.length) : `${local.slice(0, 3)}${'*'.repeat(local.length - 5)}${local.slice(-2)}`
}
