import { describe, expect, it } from 'vitest'
import { progressPrinter } from './catalog.cli.js'
import { parseOnlineLevel, readProvinceCsv } from './catalog.import.js'
import { feeText, timeText } from './catalog.labels.js'
import type { ProcedureContent } from './catalog.schemas.js'
import { searchTextOf } from './catalog.service.js'

describe('province list', () => {
  it.each([
    ['toàn trình', 'full'],
    ['Toàn trình (ghi trong tên TTHC)', 'full'],
    ['full', 'full'],
    ['một phần', 'partial'],
    ['một phần (theo Cổng DVC Lào Cai – phân hệ Yên Bái cũ; ký hiệu 1.014028.H38)', 'partial'],
    ['không', 'none'],
    // The columns of data/procedures.csv describe the national record, not a decision: not read.
    ['có kênh trực tuyến (mức toàn trình/một phần: chưa xác minh, do tỉnh công bố)', undefined],
    ['một phần/trực tiếp (ghi trong tên TTHC)', undefined],
    ['không có kênh trực tuyến trên CSDL quốc gia', undefined],
    [undefined, undefined],
  ])('online level %j → %j', (text, level) => expect(parseOnlineLevel(text)).toBe(level))

  it('reads a CSV with a BOM, any column order, NFC text and line numbers', () => {
    const csv = '\ufeffonline_level,CODE,agency_id\r\n' + 'toàn trình,1.001193,@ubnd-xa\r\n' + `${'một phần'.normalize('NFD')},1.004222,\r\n`
    const { rows, issues } = readProvinceCsv(csv)
    expect(issues).toEqual([])
    expect(rows).toEqual([
      { code: '1.001193', online_level: 'toàn trình', agency_id: '@ubnd-xa', line: 2 },
      { code: '1.004222', online_level: 'một phần', line: 3 },
    ])
  })

  it('refuses a CSV without a code column', () => {
    expect(() => readProvinceCsv('ma,ten\n1,2\n')).toThrow(/code/)
  })
})

describe('progress', () => {
  it('prints a line per tenth to a log, and redraws one line on a terminal', () => {
    const log: string[] = []
    const p = progressPrinter({ write: (s) => log.push(s), tty: false })
    for (let i = 1; i <= 100; i++) p('write', i, 100)
    expect(log).toHaveLength(11)
    expect(log.at(-1)).toBe('write 100/100 (100%)\n')
    const tty: string[] = []
    const q = progressPrinter({ write: (s) => tty.push(s), tty: true })
    q('parse', 50, 100)
    q('parse', 100, 100)
    expect(tty[0]).toMatch(/^\rparse {2}\[#{15}\.{15}\]\s+50\/100\s+50%$/)
    expect(tty[1]).toMatch(/100%\n$/)
  })
})

describe('labels and search text', () => {
  it('shows unparsed values as published, and says when a unit is missing', () => {
    expect(timeText({ kind: 'working_days', value: 7, original: '7 Ngày làm việc' }, 'vi')).toBe('7 ngày làm việc')
    expect(timeText({ kind: 'unparsed', original: '1', reason: 'number without a unit' }, 'vi')).toBe('1 (không ghi đơn vị)')
    expect(timeText({ kind: 'unparsed', original: 'Không phải trả kết quả', reason: 'not a time limit' }, 'en')).toBe('Không phải trả kết quả')
    expect(feeText({ kind: 'amount', amountVnd: 1500000, original: '1,500,000 VNĐ', note: null }, 'vi')).toBe('1.500.000 đồng')
    expect(feeText({ kind: 'council', original: 'Miễn phí', note: 'do HĐND tỉnh quyết định' }, 'vi')).toBe('Theo mức Hội đồng nhân dân tỉnh quyết định')
  })

  it('indexes each word of the documents to bring once, not the notes', () => {
    const content = {
      cases: [
        {
          name: null,
          documents: [
            { name: 'Giấy chứng sinh; giấy chứng sinh bản sao', originals: 1, copies: 0, templates: [] },
            { name: 'Lưu ý: không phải nộp bản giấy', originals: 0, copies: 0, templates: [] },
          ],
        },
      ],
      results: [{ name: 'Giấy khai sinh', code: 'KQ.G15.000031' }],
    } as unknown as ProcedureContent
    expect(searchTextOf(content)).toBe('giấy chứng sinh bản sao khai')
  })
})
