import { foldVietnamese } from '../../shared/text.js'

/** What a stored file is: a paper digitised at the counter, a result of the dossier, or a citizen's own upload. */
export const DOCUMENT_KINDS = ['scan', 'result', 'citizen_upload'] as const
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]

export const KIND_LABELS: Record<DocumentKind, { vi: string; en: string }> = {
  scan: { vi: 'Bản quét giấy tờ', en: 'Scanned paper' },
  result: { vi: 'Kết quả giải quyết', en: 'Result document' },
  citizen_upload: { vi: 'Tệp người dân nộp', en: "Applicant's upload" },
}

/** Whether a virus scanner looked at the file. Infected files are refused, never stored. */
export type ScanStatus = 'not_scanned' | 'clean'

/** The media types accepted, with the file-name extensions that fit each. */
export const ALLOWED_TYPES = {
  'application/pdf': { label: 'PDF', ext: 'pdf', exts: ['pdf'] },
  'image/jpeg': { label: 'JPEG', ext: 'jpg', exts: ['jpg', 'jpeg', 'jpe', 'jfif'] },
  'image/png': { label: 'PNG', ext: 'png', exts: ['png'] },
} as const
export type AllowedMediaType = keyof typeof ALLOWED_TYPES

export function isAllowedMediaType(t: string | undefined): t is AllowedMediaType {
  return t !== undefined && Object.hasOwn(ALLOWED_TYPES, t)
}

/** The `accept` attribute of a file input offering the allowed types. */
export const ACCEPT_ATTRIBUTE = [...Object.keys(ALLOWED_TYPES), ...Object.values(ALLOWED_TYPES).flatMap((t) => t.exts.map((e) => `.${e}`))].join(',')

/**
 * The media type read from the bytes themselves (magic numbers), never from the name or the
 * type the client claimed; undefined when the content is not recognised.
 */
export async function detectMediaType(bytes: Uint8Array): Promise<string | undefined> {
  // Loaded on first use, out of the server's start-up path.
  const { fileTypeFromBuffer } = await import('file-type')
  return (await fileTypeFromBuffer(bytes))?.mime
}

const MAX_NAME = 150
// Control characters, zero-width characters and bidirectional overrides (which can make
// "tep\u202Efdp.exe" display as "tepexe.pdf"), and characters no file system accepts.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g
const RESERVED = /[<>:"/\\|?*]/g

/**
 * A file name safe to store and to send back in Content-Disposition: NFC (Vietnamese letters
 * precomposed), no directory part, no invisible or reserved characters, no leading dots, at most
 * 150 characters, and an extension that matches the type found in the content.
 */
export function sanitizeFileName(raw: string, mediaType: AllowedMediaType): string {
  const type = ALLOWED_TYPES[mediaType]
  let name = raw.normalize('NFC').split(/[/\\]/).pop() ?? ''
  name = name.replace(INVISIBLE, '').replace(RESERVED, '_').replace(/\s+/g, ' ').trim().replace(/^[.\s]+/, '')
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
  const fits = (type.exts as readonly string[]).includes(ext)
  let base = (fits ? name.slice(0, dot) : name).replace(/[.\s]+$/, '')
  if (!base) base = 'tep-dinh-kem'
  const suffix = fits ? name.slice(dot) : `.${type.ext}`
  const chars = Array.from(base)
  if (chars.length + suffix.length > MAX_NAME) base = chars.slice(0, MAX_NAME - suffix.length).join('').trimEnd()
  return `${base}${suffix}`
}

/** Content-Disposition for a download: an ASCII fallback name and the exact UTF-8 name (RFC 6266, RFC 8187). */
export function contentDisposition(name: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = foldVietnamese(name).replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
