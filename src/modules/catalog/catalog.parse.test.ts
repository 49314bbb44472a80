import { describe, expect, it } from 'vitest'
import {
  parseAmount,
  parseChannelCell,
  parseChannels,
  parseDocuments,
  parseFeeCell,
  parseLegalBases,
  parseLevels,
  parseNationalRecord,
  parseResults,
  parseSubjects,
  parseTimeCell,
  splitTemplates,
} from './catalog.parse.js'
import { cleanText } from './catalog.text.js'

// Strings below are copied from the national records (national-procedures.json.gz).

describe('time cells', () => {
  it.each([
    ['7 Ngày làm việc', { kind: 'working_days', value: 7 }],
    ['15 Ngày', { kind: 'calendar_days', value: 15 }],
    ['1 Giờ', { kind: 'hours', value: 1 }],
    ['8 Giờ làm việc', { kind: 'working_hours', value: 8 }],
    ['3 Tháng', { kind: 'calendar_months', value: 3 }],
    ['Trong ngày', { kind: 'same_day' }],
    ['1', { kind: 'unparsed', reason: 'number without a unit' }],
    ['Không có thông tin', { kind: 'unparsed', reason: 'no information' }],
    ['', { kind: 'unparsed', reason: 'no information' }],
    ['Không phải trả kết quả cho người nộp thuế', { kind: 'unparsed', reason: 'not a time limit' }],
    ['Không quy định', { kind: 'unparsed', reason: 'not a time limit' }],
  ])('%j', (text, expected) => {
    const t = parseTimeCell(text)
    expect(t).toMatchObject(expected)
    expect(t.original).toBe(text || 'Không có thông tin')
  })
})

describe('fee cells', () => {
  it.each([
    ['Miễn phí', null, { kind: 'free' }],
    ['Miễn phí', '(Không)', { kind: 'free', note: '(Không)' }],
    [
      'Miễn phí',
      'Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định. Miễn lệ phí cho người thuộc gia đình có công với cách mạng',
      { kind: 'council' },
    ],
    ['10,000 Việt Nam Đồng', '/trường hợp', { kind: 'amount', amountVnd: 10000, note: '/trường hợp' }],
    ['1,500,000 VNĐ', null, { kind: 'amount', amountVnd: 1500000 }],
    // Kept as published even though the note says 100.000 đồng: the importer does not correct.
    ['100 VNĐ', 'Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần', { kind: 'amount', amountVnd: 100 }],
    ['Không có thông tin', null, { kind: 'unparsed', reason: 'no information' }],
  ])('%j (%j)', (value, note, expected) => {
    expect(parseFeeCell(value, note)).toMatchObject(expected)
  })

  it.each([
    ['20.000', 20000],
    ['1,500,000', 1500000],
    ['0', 0],
    ['1,5', undefined],
    ['12,34', undefined],
  ])('amount %j → %j', (token, amount) => expect(parseAmount(token)).toBe(amount))
})

describe('channel rows (flattened table)', () => {
  it('reads every channel of khai sinh: bare "1" stays unparsed, the fee is free', () => {
    const { rows, hasHeader } = parseChannels('Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí')
    expect(hasHeader).toBe(true)
    expect(rows.map((r) => r.channel)).toEqual(['online', 'postal', 'in_person'])
    for (const r of rows) {
      expect(r.time).toEqual({ kind: 'unparsed', original: '1', reason: 'number without a unit' })
      expect(r.fee.kind).toBe('free')
    }
  })

  it('reads time, amount, note and description, and ignores channel words inside a description', () => {
    const { rows } = parseChannels(
      'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp7 Ngày làm việcMiễn phí(chưa quy định)a) Cách thức nộp hồ sơ \nTrực tuyến hoặc trực tiếp hoặc qua dịch vụ bưu chính.',
    )
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ channel: 'in_person', time: { kind: 'working_days', value: 7 }, fee: { kind: 'free', note: 'chưa quy định' } })
    expect(rows[0]?.description).toContain('Trực tuyến hoặc trực tiếp')
  })

  it.each([
    // "1" + "20,000": the thousands grouping allows one split only.
    ['120,000 VNĐ(Theo khoản 1 Điều 3 Thông tư số 172/2010/TT-BTC)', { kind: 'unparsed', original: '1' }, { kind: 'amount', amountVnd: 20000 }],
    // "1100 VNĐ" could be 1 + 100, 11 + 00, 110 + 0: left unparsed.
    ['1100 VNĐ(Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần)', { kind: 'unparsed', original: '1100 VNĐ' }, { kind: 'unparsed', note: 'Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần' }],
    ['Không có thông tin10,000 Việt Nam Đồng(/trường hợp)', { kind: 'unparsed', original: 'Không có thông tin' }, { kind: 'amount', amountVnd: 10000 }],
    ['3 Ngày làm việc99,000 VNĐ(99.000 đồng/Giấy chứng nhận)', { kind: 'working_days', value: 3 }, { kind: 'amount', amountVnd: 99000 }],
    ['KhôngKhông có thông tinTại Trung tâm phục vụ hành chính công cấp tỉnh, xã', { kind: 'unparsed', original: 'Không' }, { kind: 'unparsed', reason: 'no information' }],
  ])('%j', (cell, time, fee) => {
    const r = parseChannelCell(cell)
    expect(r.time).toMatchObject(time)
    expect(r.fee).toMatchObject(fee)
  })

  it('keeps an unbalanced note to the end rather than dropping it', () => {
    const r = parseChannelCell('Không có thông tin15,000,000 VNĐ( Đồng (Đối với sân bay trực thăng, sân bay chuyên dùng)Miễn phí từ ngày 07/4/2026')
    expect(r.fee).toMatchObject({ kind: 'amount', amountVnd: 15000000 })
    expect(r.fee.note).toContain('Miễn phí từ ngày 07/4/2026')
  })
})

describe('documents', () => {
  const text =
    '* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Văn bản ủy quyền theo quy định của pháp luật.1 bản chính' +
    '- Bản sao giấy tờ chứng minh nhân thân.0 bản chính,1 bản sao' +
    'b) Đối với cấp lạiTên giấy tờMẫu đơn, tờ khaiSố lượng' +
    'Kế hoạch kiểm soát thủy sản sống nhập khẩu theo Mẫu số 03 Phụ lục ban hành kèm theo Thông tư số 17/2026/TT-BNNMTMẫu số 03.docx1 bản chính' +
    '- Tờ khai (01 bản chính) theo mẫu;Mẫu số 01.docxMẫu số 07.docx1 bản chính'

  it('splits cases, quantities and template names', () => {
    const d = parseDocuments(text)
    expect(d.hasTable).toBe(true)
    expect(d.leftover).toBeNull()
    expect(d.cases.map((c) => c.name)).toEqual(['* Giấy tờ phải nộp:', 'b) Đối với cấp lại'])
    expect(d.cases[0]?.documents).toEqual([
      { name: 'Văn bản ủy quyền theo quy định của pháp luật.', originals: 1, copies: 0, templates: [] },
      { name: 'Bản sao giấy tờ chứng minh nhân thân.', originals: 0, copies: 1, templates: [] },
    ])
    // "(01 bản chính)" inside the text is not a quantity cell.
    expect(d.cases[1]?.documents.map((x) => [x.name, x.templates])).toEqual([
      ['Kế hoạch kiểm soát thủy sản sống nhập khẩu theo Mẫu số 03 Phụ lục ban hành kèm theo Thông tư số 17/2026/TT-BNNMT', ['Mẫu số 03.docx']],
      ['Tờ khai (01 bản chính) theo mẫu', ['Mẫu số 01.docx', 'Mẫu số 07.docx']],
    ])
  })

  it.each([
    ['…Bộ Tư pháp).Mẫu TP-CC-2.doc', 'Mẫu TP-CC-2.doc'],
    ['01 Tờ khai đề nghị cấp Giấy miễn thị thực (Mẫu NA9)10-Mẫu NA9 (1).doc', '10-Mẫu NA9 (1).doc'],
    ['Đơn xin thường trú;Mẫu-NA12,-Đơn-xin-thường-trú-cho-người-nước-ngoài.-doc.doc', 'Mẫu-NA12,-Đơn-xin-thường-trú-cho-người-nước-ngoài.-doc.doc'],
  ])('template name of %j', (t, file) => expect(splitTemplates(t).templates).toEqual([file]))

  it('does not cut a file name with no boundary; it reports it instead', () => {
    const s = splitTemplates('Tờ khai theo MẫuMau 14.14.docx')
    expect(s).toEqual({ name: 'Tờ khai theo MẫuMau 14.14.docx', templates: [], separated: false })
  })

  it('leaves a quantity glued to a form number unparsed ("Mẫu số 18" + "1 bản chính")', () => {
    const d = parseDocuments('--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đăng ký biến động đất đai theo Mẫu số 181 bản chính,1 bản sao')
    expect(d.cases[0]?.documents).toEqual([])
    expect(d.leftover).toContain('Mẫu số 181 bản chính')
  })

  it('returns no table for free text and for "--"', () => {
    expect(parseDocuments('--')).toMatchObject({ hasTable: false, leftover: null })
    expect(parseDocuments(') và nộp cho cơ quan BHXH nơi đang chi trả lương hưu')).toMatchObject({ hasTable: false, leftover: ') và nộp cho cơ quan BHXH nơi đang chi trả lương hưu' })
  })
})

describe('legal bases', () => {
  it('splits title and code rows, including codes glued to the next title', () => {
    const { bases, leftover } = parseLegalBases(
      'Tên văn bản pháp lýMã văn bảnThông tư Hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh85/2019/TT-BTC' +
        'Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết Luật Hộ tịch123/2015/NĐ-CP' +
        'Nghị định sửa đổi để cắt giảm thủ tục hành chính18/2026/NĐ-CP Nghị định quy định về Cơ sở dữ liệu hộ tịch điện tử87/2020/NĐ-CP' +
        'Quyết định số 90/QĐ-TTg của Thủ tướng Chính phủ90/2022/QĐ-TTgLuật 60/2014/QH1360/2014/QH13',
    )
    expect(bases.map((b) => b.code)).toEqual(['85/2019/TT-BTC', '123/2015/NĐ-CP', '18/2026/NĐ-CP', '87/2020/NĐ-CP', '90/2022/QĐ-TTg', '60/2014/QH13'])
    expect(bases[1]?.title).toBe('Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết Luật Hộ tịch')
    expect(bases[5]?.title).toBe('Luật 60/2014/QH13')
    expect(leftover).toBeNull()
  })

  it('treats the placeholder as empty', () => {
    expect(parseLegalBases('Không có thông tin')).toEqual({ bases: [], leftover: null, hasTable: false })
  })
})

describe('results, levels, subjects', () => {
  it('reads result names and codes and drops the portal form widgets', () => {
    const r = parseResults(
      'Văn bản chấp thuận đổi giấy tờ có giá đang cầm cốMã: KQ.G19.000020Văn bản không chấp thuận đổi giấy tờ có giá đang cầm cốMã: KQ.G19.000353Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Bộ ngành --Đơn vị-- Chọn Cơ sở --Nộp hồ sơ',
    )
    expect(r).toEqual({
      parsed: true,
      results: [
        { name: 'Văn bản chấp thuận đổi giấy tờ có giá đang cầm cố', code: 'KQ.G19.000020' },
        { name: 'Văn bản không chấp thuận đổi giấy tờ có giá đang cầm cố', code: 'KQ.G19.000353' },
      ],
    })
  })

  it.each([
    ['Cấp tỉnh, Cấp xã', ['province', 'commune'], []],
    ['Cấp bộ, Cấp tỉnh, Cấp xã', ['ministry', 'province', 'commune'], []],
    ['Cấp xã, Cơ quan khác', ['commune', 'other'], []],
    ['Cấp huyện', [], ['Cấp huyện']],
  ])('levels %j', (text, levels, unknown) => expect(parseLevels(text)).toEqual({ levels, unknown }))

  it('matches subject labels whole, commas and parentheses included', () => {
    expect(parseSubjects('Tổ chức (không bao gồm doanh nghiệp, HTX), Cán bộ, công chức, viên chức, Hợp tác xã')).toEqual({
      subjects: ['citizen', 'business', 'organisation'],
      labels: ['Tổ chức (không bao gồm doanh nghiệp, HTX)', 'Cán bộ, công chức, viên chức', 'Hợp tác xã'],
      unknown: [],
    })
    expect(parseSubjects('Công dân Việt Nam, Hộ gia đình').unknown).toEqual(['Hộ gia đình'])
  })
})

describe('a whole record', () => {
  it('normalises to NFC and reports what it could not read, never throwing for a bad field', () => {
    const nfd = 'Thủ tục đăng ký khai sinh'.normalize('NFD')
    const p = parseNationalRecord({
      ma_thu_tuc: '1.001193',
      ten_thu_tuc: nfd,
      so_quyet_dinh: '163/QĐ-BTP',
      cap_thuc_hien: 'Cấp xã',
      linh_vuc: 'Hộ tịch',
      doi_tuong_thuc_hien: 'Công dân Việt Nam',
      cach_thuc_thuc_hien: 'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phíTrực tiếp5 Ngày làm việcMiễn phí',
      thanh_phan_ho_so: 'Không có thông tin',
      can_cu_phap_ly: 'Không có thông tin',
      ket_qua_xu_ly: 'Giấy khai sinhMã: KQ.G15.000031Từ khóaKhông có thông tin',
    })
    expect(p.name).toBe('Thủ tục đăng ký khai sinh')
    expect(p.name).toBe(p.name.normalize('NFC'))
    expect(p.status).toMatchObject({ code: 'parsed', name: 'parsed', levels: 'parsed', time: 'partial', fee: 'parsed', documents: 'empty', legalBases: 'empty', results: 'parsed' })
    expect(p.issues).toEqual([{ field: 'time', message: 'online: number without a unit', original: '1' }])
    expect(p.content.original.channels).toContain('Trực tuyến1Miễn phí')
  })

  it('refuses a record without a valid code', () => {
    expect(() => parseNationalRecord({ ma_thu_tuc: '1001193' })).toThrow()
  })

  it('cleans invisible marks and tabs', () => {
    expect(cleanText('đăng k\u200eý\thộ  tịch\r\n')).toBe('đăng ký hộ tịch')
  })
})
