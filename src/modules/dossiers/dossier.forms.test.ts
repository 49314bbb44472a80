import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import QRCode from 'qrcode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  FORM_KINDS,
  FORM_TEMPLATES,
  formatVnDateLine,
  formatVnTime,
  formDocument,
  qrPngDataUrl,
  renderFormPdf,
  templateFor,
  trackingUrl,
  type FormInput,
  type FormKind,
} from './dossier.forms.js'

// pdftotext (poppler-utils) and zbarimg (zbar-tools) are optional system tools: the tests that
// read text or decode the QR code back from the rendered page skip cleanly when they are absent.
function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
const HAS_PDFTOTEXT = hasTool('pdftotext')
const HAS_ZBAR = hasTool('zbarimg') && hasTool('pdftoppm')

const work = mkdtempSync(join(tmpdir(), 'vidan-forms-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function pdfText(pdf: Buffer, name: string): string {
  const file = join(work, `${name}.pdf`)
  writeFileSync(file, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC')
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

// Fixtures. Times are UTC instants; the forms show them in Vietnam time (UTC+7).
const BASE = 'https://dichvucong.camau.gov.vn'
const CODE = '000.00.00.H12-261127-0007'
const RECEIVED = new Date('2026-11-27T01:30:00Z') // 08:30, 27/11/2026 in Cà Mau
const ISSUED = new Date('2026-11-27T01:42:00Z')
const AGENCIES = {
  receiving: { parent: 'UBND tỉnh Cà Mau', name: 'Trung tâm Phục vụ hành chính công tỉnh Cà Mau' },
  competent: { parent: 'UBND tỉnh Cà Mau', name: 'Sở Nông nghiệp và Môi trường' },
}
const APPLICANT = {
  name: 'Nguyễn Thị Hường',
  address: 'Số 12, đường Phan Ngọc Hiển, phường Tân Thành, tỉnh Cà Mau',
  phone: '0912 345 678',
  email: 'huong.nguyen@example.vn',
  idNumber: '096185001234',
}
const DOSSIER = {
  code: CODE,
  receivedAt: RECEIVED,
  procedureName: 'Cấp giấy phép khai thác thủy sản (cấp mới)',
  applicant: APPLICANT,
  owner: { name: 'Trần Văn Đức', address: 'Ấp Rạch Gốc, xã Tân Ân, tỉnh Cà Mau' },
}
const DOCUMENTS = [
  { name: 'Đơn đề nghị cấp giấy phép khai thác thủy sản', originals: 1, certifiedCopies: 0, photocopies: 0 },
  { name: 'Giấy chứng nhận đăng ký tàu cá', originals: 0, certifiedCopies: 1, photocopies: 0 },
  { name: 'Giấy chứng nhận an toàn kỹ thuật tàu cá', originals: 0, certifiedCopies: 0, photocopies: 1 },
]
const COMMON = { issuedAt: ISSUED, place: 'Cà Mau', publicBaseUrl: BASE, agencies: AGENCIES }
const SIGNER = { name: 'Lê Minh Khải', title: 'Phó Giám đốc', onBehalfOf: 'KT. Giám đốc' }

const SAMPLES = {
  receipt: {
    ...COMMON,
    kind: 'receipt',
    documentNumber: '0007/TNHS',
    dossier: DOSSIER,
    documents: DOCUMENTS,
    sets: 1,
    timeLimit: { value: 8, unit: 'working_days' },
    appointmentAt: new Date('2026-12-09T07:00:00Z'),
    resultDelivery: 'Bộ phận Một cửa – Trung tâm Phục vụ hành chính công tỉnh Cà Mau',
    feeNote: 'Thu trước',
    register: { book: '01/2026', seq: 1523 },
    hotline: '0290 3 822 222',
    officer: { name: 'Phạm Quốc Việt' },
  },
  supplement: {
    ...COMMON,
    kind: 'supplement',
    dossier: { ...DOSSIER, receivedAt: null },
    items: [
      { name: 'Giấy chứng nhận an toàn kỹ thuật tàu cá còn hiệu lực', originals: 0, certifiedCopies: 1, photocopies: 0 },
      { name: 'Ghi đủ công suất máy chính vào Đơn đề nghị', originals: 1, certifiedCopies: 0, photocopies: 0 },
    ],
    reason: 'Giấy chứng nhận an toàn kỹ thuật đã hết hạn; Đơn đề nghị thiếu công suất máy chính.',
    officer: { name: 'Phạm Quốc Việt', phone: '0290 3 822 222' },
  },
  refusal: {
    ...COMMON,
    kind: 'refusal',
    dossier: { ...DOSSIER, receivedAt: null },
    reason: 'Tàu cá không thuộc đối tượng được cấp giấy phép theo hạn ngạch của tỉnh năm 2026.',
    officer: { name: 'Phạm Quốc Việt' },
  },
  apology: {
    ...COMMON,
    kind: 'apology',
    issuedAt: new Date('2026-12-08T02:00:00Z'),
    documentNumber: '15/PXL-SNNMT',
    dossier: DOSSIER,
    originalAppointmentAt: new Date('2026-12-09T07:00:00Z'),
    newAppointmentAt: new Date('2026-12-16T07:00:00Z'),
    reason: 'Cần lấy ý kiến của Chi cục Thủy sản về hạn ngạch khai thác.',
    signer: SIGNER,
  },
  stop: {
    ...COMMON,
    kind: 'stop',
    issuedAt: new Date('2026-12-03T03:00:00Z'),
    dossier: DOSSIER,
    requestedAt: new Date('2026-12-02T02:00:00Z'),
    reason: 'Theo đề nghị của người nộp hồ sơ.',
    stageReached: 'Thẩm định hồ sơ tại Phòng Thủy sản',
    financialSettlement: 'Không hoàn trả lệ phí đã nộp.',
    signer: SIGNER,
    recipients: ['Như trên', 'Trung tâm Phục vụ hành chính công tỉnh', 'Lưu: VT, TS'],
  },
  control: {
    ...COMMON,
    kind: 'control',
    dossier: DOSSIER,
    timeLimit: { value: 8, unit: 'working_days' },
    appointmentAt: new Date('2026-12-09T07:00:00Z'),
    dueToCentreAt: new Date('2026-12-08T09:00:00Z'),
    documents: DOCUMENTS,
    handovers: [
      { from: 'Bộ phận Một cửa', to: 'Sở Nông nghiệp và Môi trường', at: new Date('2026-11-27T02:00:00Z'), giver: 'Phạm Quốc Việt', receiver: 'Võ Thị Lệ', result: 'on_time' },
      { from: 'Văn thư Sở', to: 'Phòng Thủy sản', at: new Date('2026-11-27T06:15:00Z'), giver: 'Võ Thị Lệ', receiver: 'Đặng Hữu Nghĩa', result: 'early', note: 'Đã xử lý' },
      { from: 'Phòng Thủy sản', to: 'Lãnh đạo Sở', at: new Date('2026-12-04T08:00:00Z'), giver: 'Đặng Hữu Nghĩa', receiver: 'Lê Minh Khải', note: 'Đang xử lý' },
    ],
  },
  register: {
    kind: 'register',
    issuedAt: new Date('2026-12-31T10:00:00Z'),
    place: 'Cà Mau',
    agency: AGENCIES.receiving,
    year: 2026,
    documentNumber: '01',
    rows: Array.from({ length: 30 }, (_, n) => ({
      code: `000.00.00.H12-2611${String(10 + (n % 18))}-${String(n + 1).padStart(4, '0')}`,
      procedureName: n % 2 ? 'Cấp giấy phép khai thác thủy sản' : 'Đăng ký hộ kinh doanh',
      sets: 1,
      applicant: { name: n % 3 ? 'Nguyễn Thị Hường' : 'Huỳnh Văn Ước', address: 'Xã Tân Ân, tỉnh Cà Mau', phone: '0912 345 678' },
      competentAgency: n % 2 ? 'Sở Nông nghiệp và Môi trường' : 'UBND xã Tân Ân',
      receivedAt: new Date(Date.UTC(2026, 10, 10 + (n % 18), 1, 30)),
      appointmentAt: new Date(Date.UTC(2026, 10, 20 + (n % 9), 9, 0)),
      transferredAt: new Date(Date.UTC(2026, 10, 10 + (n % 18), 6, 0)),
      resultAt: n % 4 ? null : new Date(Date.UTC(2026, 10, 19 + (n % 9), 3, 0)),
      returnedAt: n % 4 ? null : new Date(Date.UTC(2026, 10, 20 + (n % 9), 3, 0)),
      note: n === 3 ? 'Trả qua bưu chính công ích' : '',
    })),
  },
} satisfies Record<FormKind, FormInput>

// The first render loads pdfkit and the fonts (seconds on a slow machine): keep that out of the
// per-test timeouts.
beforeAll(async () => {
  await renderFormPdf(SAMPLES.refusal)
}, 60_000)

describe('form templates (DOMAIN A1, B §2.4)', () => {
  it('has one template per kind and numbering, numbered as the circulars number them', () => {
    const numbers = (numbering: string): Record<string, string> =>
      Object.fromEntries(FORM_TEMPLATES.filter((t) => t.numbering === numbering).map((t) => [t.kind, t.number]))
    expect(numbers('TT03/2025')).toEqual({ receipt: '01', supplement: '02', refusal: '03', apology: '04', stop: '05', control: '06', register: '07' })
    expect(numbers('TT01/2018')).toEqual({ receipt: '01', supplement: '02', refusal: '03', apology: '04', control: '05', register: '06' })
    expect(new Set(FORM_TEMPLATES.map((t) => t.code)).size).toBe(FORM_TEMPLATES.length)
    for (const t of FORM_TEMPLATES) expect(t.paper).toBe(t.kind === 'register' ? 'A4' : 'A5')
    expect(templateFor('apology', RECEIVED).title).toBe('Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết')
    expect(templateFor('apology', new Date('2024-03-01T00:00:00Z')).title).toBe('Phiếu xin lỗi và hẹn lại ngày trả kết quả')
  })

  // 2025-07-01 00:00 in Vietnam is 2025-06-30T17:00Z.
  const OLD = '2025-06-30T16:59:59Z'
  const NEW = '2025-06-30T17:00:00Z'
  it.each([
    ['receipt', OLD, 'TT01/2018-01'],
    ['supplement', OLD, 'TT01/2018-02'],
    ['refusal', OLD, 'TT01/2018-03'],
    ['apology', OLD, 'TT01/2018-04'],
    ['control', OLD, 'TT01/2018-05'],
    ['register', OLD, 'TT01/2018-06'],
    // Circular 01/2018 has no notice of stopping: the one that introduced it applies.
    ['stop', OLD, 'TT03/2025-05'],
    ['receipt', NEW, 'TT03/2025-01'],
    ['supplement', NEW, 'TT03/2025-02'],
    ['refusal', NEW, 'TT03/2025-03'],
    ['apology', NEW, 'TT03/2025-04'],
    ['stop', NEW, 'TT03/2025-05'],
    ['control', NEW, 'TT03/2025-06'],
    ['register', NEW, 'TT03/2025-07'],
    ['refusal', null, 'TT03/2025-03'],
    ['receipt', '2010-01-01T00:00:00Z', 'TT01/2018-01'],
  ] as const)('%s received at %s uses %s', (kind, at, code) => {
    expect(templateFor(kind, at === null ? null : new Date(at)).code).toBe(code)
  })

  it('prints with the template pinned by the caller, and refuses one of another kind', async () => {
    const old = FORM_TEMPLATES.find((t) => t.code === 'TT01/2018-05')!
    const doc = await formDocument({ ...SAMPLES.control, template: old })
    expect(JSON.stringify(doc.content)).toContain('Mẫu số 05 – Thông tư số 01/2018/TT-VPCP')
    await expect(formDocument({ ...SAMPLES.receipt, template: old })).rejects.toThrow(RangeError)
  })

  it('numbers a register by its year', async () => {
    expect(JSON.stringify((await formDocument({ ...SAMPLES.register, year: 2024 })).content)).toContain('Mẫu số 06 – Thông tư số 01/2018/TT-VPCP')
    expect(JSON.stringify((await formDocument({ ...SAMPLES.register, year: 2025 })).content)).toContain('Mẫu số 07 – Thông tư số 03/2025/TT-VPCP')
  })
})

describe('Vietnam time in Vietnamese', () => {
  it('shows UTC instants in UTC+7', () => {
    expect(formatVnTime(RECEIVED)).toBe('08 giờ 30 phút, ngày 27/11/2026')
    // 18:05 UTC on the 31st is already 01:05 on 1 January in Cà Mau.
    expect(formatVnTime(new Date('2026-12-31T18:05:00Z'))).toBe('01 giờ 05 phút, ngày 01/01/2027')
  })

  it('writes the date line with leading zeros only for days 1–9 and months 1–2', () => {
    expect(formatVnDateLine(new Date('2026-03-04T03:00:00Z'))).toBe('ngày 04 tháng 3 năm 2026')
    expect(formatVnDateLine(new Date('2026-02-14T03:00:00Z'))).toBe('ngày 14 tháng 02 năm 2026')
    expect(formatVnDateLine(new Date('2026-11-26T18:00:00Z'))).toBe('ngày 27 tháng 11 năm 2026')
  })
})

describe('tracking QR code', () => {
  it('points at the public tracking page', () => {
    expect(trackingUrl(BASE, CODE)).toBe(`${BASE}/tra-cuu?ma=000.00.00.H12-261127-0007`)
    expect(trackingUrl(`${BASE}//`, 'A B&C')).toBe(`${BASE}/tra-cuu?ma=A%20B%26C`)
  })

  it('embeds the QR code of that address in every single-dossier form', async () => {
    const url = trackingUrl(BASE, CODE)
    const expected = await qrPngDataUrl(url)
    // What the symbol encodes, read back from its segments (byte segments hold UTF-8 bytes).
    const segments = QRCode.create(url, { errorCorrectionLevel: 'M' }).segments
    expect(segments.map((s) => (typeof s.data === 'string' ? s.data : Buffer.from(s.data).toString('utf8'))).join('')).toBe(url)
    for (const kind of FORM_KINDS.filter((k) => k !== 'register')) {
      const doc = await formDocument(SAMPLES[kind])
      expect(JSON.stringify(doc.content), kind).toContain(JSON.stringify(expected))
    }
  })

  it.skipIf(!HAS_ZBAR)('decodes from the printed page to the tracking address (zbarimg)', { timeout: 30_000 }, async () => {
    const file = join(work, 'qr.pdf')
    writeFileSync(file, await renderFormPdf(SAMPLES.receipt))
    execFileSync('pdftoppm', ['-r', '200', '-png', '-singlefile', file, join(work, 'qr')])
    const decoded = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', join(work, 'qr.png')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    expect(decoded.trim()).toBe(trackingUrl(BASE, CODE))
  })
})

describe('renderFormPdf', () => {
  it.each(FORM_KINDS)('renders %s as a PDF on the right paper', async (kind) => {
    const pdf = await renderFormPdf(SAMPLES[kind])
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF')
    expect(pdf.length).toBeGreaterThan(10_000)
    expect(pdf.length).toBeLessThan(400_000)
    const mediaBox = kind === 'register' ? '/MediaBox [0 0 841.89 595.28]' : '/MediaBox [0 0 419.53 595.28]'
    expect(pdf.toString('latin1')).toContain(mediaBox)
  })

  it.each(FORM_KINDS)('prints %s again to the same bytes', async (kind) => {
    const a = await renderFormPdf(SAMPLES[kind])
    const b = await renderFormPdf(structuredClone(SAMPLES[kind]))
    expect(sha256(b)).toBe(sha256(a))
  })

  it('dates the PDF with the issue time, not the clock', async () => {
    const a = await renderFormPdf(SAMPLES.receipt)
    expect(a.toString('latin1')).toContain('(D:20261127014200Z)')
    const later = await renderFormPdf({ ...SAMPLES.receipt, issuedAt: new Date('2026-11-27T01:43:00Z') })
    expect(sha256(later)).not.toBe(sha256(a))
    expect(later.toString('latin1')).toContain('(D:20261127014300Z)')
  })

  it('normalises decomposed (NFD) input to NFC', async () => {
    const nfd = { ...SAMPLES.refusal, reason: 'Hồ sơ không hợp lệ'.normalize('NFD') }
    const strings: string[] = []
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v)
      else if (Array.isArray(v)) v.forEach(walk)
      else if (v && typeof v === 'object') Object.values(v).forEach(walk)
    }
    walk(await formDocument(nfd))
    expect(strings).toContain('Hồ sơ không hợp lệ'.normalize('NFC'))
    expect(strings.every((s) => s === s.normalize('NFC'))).toBe(true)
    // Same text, either normalisation: same bytes.
    expect(sha256(await renderFormPdf(nfd))).toBe(sha256(await renderFormPdf({ ...nfd, reason: nfd.reason.normalize('NFC') })))
  })
})

describe.skipIf(!HAS_PDFTOTEXT)('text of the printed forms (pdftotext)', () => {
  const MOTTO = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc']
  const EXPECTED: Record<FormKind, string[]> = {
    receipt: [
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      'Mẫu số 01 – Thông tư số 03/2025/TT-VPCP',
      'Cà Mau, ngày 27 tháng 11 năm 2026',
      'Số: 0007/TNHS',
      `Mã hồ sơ: ${CODE}`,
      'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG',
      'Ông/Bà: Nguyễn Thị Hường',
      'Số định danh cá nhân/CCCD/Hộ chiếu: 096185001234',
      'Chủ hồ sơ: Trần Văn Đức',
      'Nội dung yêu cầu giải quyết: Cấp giấy phép khai thác thủy sản (cấp mới)',
      'Giấy chứng nhận đăng ký tàu cá',
      '2. Số lượng hồ sơ: 01 bộ',
      '3. Thời gian giải quyết hồ sơ theo quy định: 8 ngày làm việc',
      '4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 27/11/2026',
      '5. Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 00 phút, ngày 09/12/2026',
      '6. Đăng ký nhận kết quả tại:',
      'Số thứ tự: 1523',
      'Phí, lệ phí: Thu trước',
      'NGƯỜI NỘP HỒ SƠ',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
      'Phạm Quốc Việt',
    ],
    supplement: [
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      'Mẫu số 02',
      'Yêu cầu Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:',
      'Ghi đủ công suất máy chính vào Đơn đề nghị',
      'Lý do: Giấy chứng nhận an toàn kỹ thuật đã hết hạn',
      'NGƯỜI HƯỚNG DẪN',
    ],
    refusal: [
      'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
      'Mẫu số 03',
      'thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:',
      'hạn ngạch của tỉnh năm 2026.',
    ],
    apology: [
      'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
      'Mẫu số 04',
      'SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG',
      'Số: 15/PXL-SNNMT',
      'Cà Mau, ngày 08 tháng 12 năm 2026',
      'Kính gửi: Ông/Bà Nguyễn Thị Hường',
      'Thời gian hẹn trả kết quả: 14 giờ 00 phút, ngày 09/12/2026',
      'Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà.',
      'xin lỗi Ông/Bà và hẹn lại thời gian trả kết quả',
      'Thời gian hẹn trả kết quả lại: 14 giờ 00 phút, ngày 16 tháng 12 năm 2026',
      'KT. GIÁM ĐỐC',
      'PHÓ GIÁM ĐỐC',
      'Lê Minh Khải',
      'Nơi nhận:',
    ],
    stop: [
      'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
      'Mẫu số 05',
      'Lý do: Theo đề nghị của người nộp hồ sơ.',
      'Hồ sơ đã được giải quyết đến bước: Thẩm định hồ sơ tại Phòng Thủy sản',
      'Không hoàn trả lệ phí đã nộp.',
      '- Lưu: VT, TS.',
    ],
    control: [
      'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
      'Mẫu số 06',
      'TÊN CƠ QUAN',
      'THỜI GIAN GIAO, NHẬN HỒ SƠ',
      'Đúng hạn',
      'Trước hạn',
      'Đặng Hữu Nghĩa',
      '13 giờ 15 phút, ngày 27/11/2026',
    ],
    register: ['SỔ THEO DÕI HỒ SƠ', 'Mẫu số 07', 'Năm 2026', 'Tên thủ tục hành chính', 'Đăng ký hộ kinh doanh', 'Huỳnh Văn Ước', 'Trang 1/', 'Cà Mau, ngày 31 tháng 12 năm 2026'],
  }

  it('prints a dossier received before 1 July 2025 with the Circular 01/2018 form', async () => {
    const old = { ...SAMPLES.apology, dossier: { ...DOSSIER, receivedAt: new Date('2025-05-12T02:00:00Z') } }
    const text = pdfText(await renderFormPdf(old), 'apology-2018').replace(/\s+/g, ' ')
    expect(text).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ')
    expect(text).toContain('Mẫu số 04 – Thông tư số 01/2018/TT-VPCP')
    expect(text).toContain('Ngày 12/05/2025')
  })

  it.each(FORM_KINDS)('%s carries its Vietnamese text', async (kind) => {
    // Collapse pdftotext's layout spacing and line breaks so phrases can be matched whole.
    const text = pdfText(await renderFormPdf(SAMPLES[kind]), kind).replace(/\s+/g, ' ')
    for (const s of kind === 'register' ? EXPECTED[kind] : [...MOTTO, ...EXPECTED[kind]]) expect(text, s).toContain(s)
    // The tracking address may wrap after a slash.
    if (kind === 'receipt' || kind === 'supplement' || kind === 'refusal') expect(text.replace(/\s/g, '')).toContain(trackingUrl(BASE, CODE))
  })
})
