/** Languages of the interface: Vietnamese first, English second. */
export const LANGS = ['vi', 'en'] as const
export type Lang = (typeof LANGS)[number]

export function isLang(v: unknown): v is Lang {
  return v === 'vi' || v === 'en'
}

/** Picks the text for the language; Vietnamese is the fallback. */
export function tr(lang: Lang, vi: string, en: string): string {
  return lang === 'en' ? en : vi
}

const VN_TZ = 'Asia/Ho_Chi_Minh'

/** Formats an instant in Vietnam time, e.g. "08:05 26/11/2026". */
export function formatVnDateTime(d: Date): string {
  const p = new Intl.DateTimeFormat('en-GB', {
    timeZone: VN_TZ,
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(d)
  const g = (t: string) => p.find((x) => x.type === t)?.value ?? ''
  return `${g('hour')}:${g('minute')} ${g('day')}/${g('month')}/${g('year')}`
}
