/**
 * Text hygiene for imported Vietnamese text: NFC (the national data mixes NFC and NFD), no
 * invisible marks (U+200E sits inside words such as "k‎ý"), tabs and no-break spaces as spaces,
 * runs of spaces collapsed. Line breaks are kept: steps and notes are laid out with them.
 */
export function cleanText(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[\u200b-\u200f\u2060\ufeff]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\u00a0\u2000-\u200a]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim()
}

/** The portal's placeholder for an empty field. */
export const PLACEHOLDER = 'Không có thông tin'

/** True when a field carries no information: empty, only punctuation, or the placeholder. */
export function isBlank(s: string | null | undefined): boolean {
  if (!s) return true
  const t = s.trim()
  return t === '' || t === PLACEHOLDER || /^[-–—.\s]*$/.test(t)
}

/** Clean text, or null when it carries no information. */
export function cleanOrNull(s: string | null | undefined): string | null {
  if (s == null) return null
  const t = cleanText(s)
  return isBlank(t) ? null : t
}
