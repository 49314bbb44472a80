import { z } from 'zod'
import type { AddressMapping, AdminUnit, AgencyWithUnit, LinkedUnit } from './org.service.js'

// Schemas of the org API (requests and the DTOs it answers with) and the mappers from domain
// rows to DTOs: the API never answers with raw rows.

export const UNIT_LEVELS = ['province', 'district', 'commune'] as const
export const UNIT_TYPES = ['tinh', 'thanh_pho', 'huyen', 'thi_xa', 'quan', 'phuong', 'xa', 'thi_tran', 'dac_khu'] as const
export const AGENCY_LEVELS = ['province', 'commune'] as const
export const AGENCY_KINDS = ['ubnd', 'van_phong', 'ttpvhcc', 'so', 'nganh_doc'] as const
const PORTIONS = ['whole', 'part'] as const

/** A GSO unit code: 2 digits (province), 3 (district), 5 (commune). */
export const UnitCode = z.string().regex(/^\d{2,5}$/, 'Mã đơn vị hành chính gồm 2 đến 5 chữ số.')
const AgencyId = z.string().regex(/^[a-z0-9-]{1,100}$/, 'Mã cơ quan chỉ gồm chữ thường không dấu, số và gạch nối.')
const Day = z.iso.date({ message: 'Ngày có dạng YYYY-MM-DD.' })
/** Free text of a search box; empty means no search. */
const SearchText = z
  .string()
  .max(100, 'Từ khóa tối đa 100 ký tự.')
  .optional()
  .transform((s) => s?.trim() || undefined)
const Limit = z.coerce.number().int().min(1).max(200).default(100)
const Offset = z.coerce.number().int().min(0).max(100_000).default(0)

export const UnitListQuery = z.object({
  q: SearchText.describe('Part of the name, accents optional ("an xuyen"), or the start of the code'),
  parent: UnitCode.optional().describe('Code of the parent unit in the chosen era (96: the communes of Cà Mau)'),
  level: z.enum(UNIT_LEVELS).optional(),
  type: z.enum(UNIT_TYPES).optional(),
  at: Day.optional().describe('Era: units valid on this day (default: today). 2025-06-30 shows the former units'),
  limit: Limit,
  offset: Offset,
})

export const UnitParams = z.object({ code: UnitCode })
export const AtQuery = z.object({ at: Day.optional().describe('Era: the unit valid on this day (default: see the operation)') })
export const AgencyParams = z.object({ id: AgencyId })

export const AgencyListQuery = z.object({
  q: SearchText.describe('Part of the name, accents optional, or the exact agency code'),
  level: z.enum(AGENCY_LEVELS).optional(),
  kind: z.enum(AGENCY_KINDS).optional(),
  parent: AgencyId.optional().describe('Id of the parent agency (ubnd-tinh: bodies under the provincial People’s Committee)'),
  unit: UnitCode.optional().describe('Code of the administrative unit the agency serves'),
  at: Day.optional(),
  limit: Limit,
  offset: Offset,
})

export const AddressMapQuery = z
  .object({
    address: z.string().max(300, 'Địa chỉ tối đa 300 ký tự.').optional().describe('The whole former address: "Xã An Xuyên, Thành phố Cà Mau, Tỉnh Cà Mau"'),
    commune: z.string().max(100).optional().describe('Former commune, ward or township: code or name'),
    district: z.string().max(100).optional().describe('Former district: code or name'),
    province: z.string().max(100).optional().describe('Former province: code (95, 96) or name'),
  })
  .refine((q) => !!(q.address?.trim() || q.commune?.trim()), { message: 'Cần địa chỉ (address) hoặc xã, phường (commune).', path: ['commune'] })

export const UnitRefDto = z.object({ id: z.string(), code: z.string(), name: z.string(), type: z.enum(UNIT_TYPES), level: z.enum(UNIT_LEVELS) })
export type UnitRefDto = z.infer<typeof UnitRefDto>

export const UnitDto = UnitRefDto.extend({
  parent: z.object({ code: z.string(), name: z.string() }).nullable(),
  provinceCode: z.string(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
})
export type UnitDto = z.infer<typeof UnitDto>

export const UnitListDto = z.object({ at: z.string(), total: z.number(), limit: z.number(), offset: z.number(), items: z.array(UnitDto) })
export const UnitDetailDto = UnitDto.extend({ otherEras: z.array(UnitRefDto.extend({ validFrom: z.string().nullable(), validTo: z.string().nullable() })) })

export const LinkedUnitDto = UnitDto.extend({ portion: z.enum(PORTIONS), effectiveOn: z.string() })
export const LineageDto = z.object({ unit: UnitDto, items: z.array(LinkedUnitDto) })

export const AgencyRefDto = z.object({ id: z.string(), code: z.string(), name: z.string() })
export const AgencyDto = AgencyRefDto.extend({
  shortName: z.string().nullable(),
  kind: z.enum(AGENCY_KINDS),
  level: z.enum(AGENCY_LEVELS),
  parentId: z.string().nullable(),
  unit: z.object({ code: z.string(), name: z.string() }).nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
})
export type AgencyDto = z.infer<typeof AgencyDto>
export const AgencyListDto = z.object({ at: z.string(), total: z.number(), limit: z.number(), offset: z.number(), items: z.array(AgencyDto) })
export const AgencyDetailDto = AgencyDto.extend({ parent: AgencyRefDto.nullable(), children: z.array(AgencyRefDto) })

const AddressCandidateDto = z.object({ commune: UnitRefDto, province: UnitRefDto.nullable(), portion: z.enum(PORTIONS), address: z.string() })
export const AddressMapDto = z.object({
  at: z.string().describe('The day the former units are read at'),
  ambiguous: z.boolean().describe('More than one former commune fits: give the district'),
  matches: z.array(
    z.object({
      former: z.object({ commune: UnitRefDto, district: UnitRefDto.nullable(), province: UnitRefDto.nullable(), address: z.string() }),
      split: z.boolean().describe('The former commune was divided ("một phần"): the address may lie in any candidate'),
      candidates: z.array(AddressCandidateDto),
    }),
  ),
})

export const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })

// --- mappers -------------------------------------------------------------------------------

export function toUnitRef(u: AdminUnit): UnitRefDto {
  return { id: u.id, code: u.code, name: u.name, type: u.type, level: u.level }
}

export function toUnitDto(u: AdminUnit): UnitDto {
  return {
    ...toUnitRef(u),
    parent: u.parentCode !== null && u.parentName !== null ? { code: u.parentCode, name: u.parentName } : null,
    provinceCode: u.provinceCode,
    validFrom: u.validFrom,
    validTo: u.validTo,
  }
}

export function toLinkedUnitDto(u: LinkedUnit): z.infer<typeof LinkedUnitDto> {
  return { ...toUnitDto(u), portion: u.portion, effectiveOn: u.effectiveOn }
}

export function toAgencyDto(a: AgencyWithUnit): AgencyDto {
  return {
    id: a.id,
    code: a.code,
    name: a.name,
    shortName: a.shortName,
    kind: a.kind,
    level: a.level,
    parentId: a.parentId,
    unit: a.unitCode !== null && a.unitName !== null ? { code: a.unitCode, name: a.unitName } : null,
    validFrom: a.validFrom,
    validTo: a.validTo,
  }
}

export const toAgencyRef = (a: AgencyWithUnit) => ({ id: a.id, code: a.code, name: a.name })

const joinAddress = (...units: (AdminUnit | undefined)[]) =>
  units
    .filter((u): u is AdminUnit => !!u)
    .map((u) => u.name)
    .join(', ')

export function toAddressMapDto(m: AddressMapping): z.infer<typeof AddressMapDto> {
  return {
    at: m.at,
    ambiguous: m.ambiguous,
    matches: m.matches.map((x) => ({
      former: {
        commune: toUnitRef(x.former.commune),
        district: x.former.district ? toUnitRef(x.former.district) : null,
        province: x.former.province ? toUnitRef(x.former.province) : null,
        address: joinAddress(x.former.commune, x.former.district, x.former.province),
      },
      split: x.split,
      candidates: x.candidates.map((c) => ({
        commune: toUnitRef(c.commune),
        province: c.province ? toUnitRef(c.province) : null,
        portion: c.portion,
        address: joinAddress(c.commune, c.province),
      })),
    })),
  }
}
