import crypto from 'node:crypto'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db } from '../../shared/database.js'
import { createDocuments, createDocumentsDeps } from '../documents/index.js'
import { renderPdf } from '../payments/index.js'
import { addWalletItem } from './online.service.js'

/** Two citizens of the bundled demo identity provider ("VNeID mô phỏng"): the wallet is keyed by identity number. */
const DEMO_WALLETS: { identityNumber: string; name: string; birthDate: string; papers: { title: string; source: 'digitised' | 'result'; legalCopy: boolean; lines: string[] }[] }[] = [
  {
    identityNumber: '096190004512',
    name: 'Nguyễn Thị Mai',
    birthDate: '14/03/1990',
    papers: [
      { title: 'Giấy chứng nhận kết hôn (bản sao điện tử)', source: 'result', legalCopy: true, lines: ['GIẤY CHỨNG NHẬN KẾT HÔN', 'Bản sao điện tử có giá trị pháp lý', 'Chồng: Đỗ Văn Khoa', 'Vợ: Nguyễn Thị Mai, sinh ngày 14/03/1990', 'Nơi đăng ký: UBND phường An Xuyên, tỉnh Cà Mau'] },
      { title: 'Căn cước công dân (bản số hóa)', source: 'digitised', legalCopy: false, lines: ['CĂN CƯỚC', 'Họ và tên: Nguyễn Thị Mai', 'Số định danh cá nhân: 096190004512', 'Ngày sinh: 14/03/1990'] },
    ],
  },
  {
    identityNumber: '096085001237',
    name: 'Trần Văn Hùng',
    birthDate: '02/07/1985',
    papers: [{ title: 'Căn cước công dân (bản số hóa)', source: 'digitised', legalCopy: false, lines: ['CĂN CƯỚC', 'Họ và tên: Trần Văn Hùng', 'Số định danh cá nhân: 096085001237', 'Ngày sinh: 02/07/1985'] }],
  },
]

/** Demo mode: a couple of documents in the demo citizens' wallets (real PDFs), so a new dossier can reuse one. Idempotent. */
export async function seedDemoWallets(db: Db, clock: Clock): Promise<number> {
  // The default (database) blob store; the seed's own PDFs are small and never scanned.
  const documents = createDocumentsDeps({ maxFileBytes: 10 * 1024 * 1024, maxFilesPerDossier: 30, maxRequestBytes: 50 * 1024 * 1024 }, clock)
  let added = 0
  for (const w of DEMO_WALLETS) {
    const has = await db.selectFrom('walletItems').select('id').where('ownerIdentityNumber', '=', w.identityNumber).limit(1).executeTakeFirst()
    if (has) continue
    for (const p of w.papers) {
      const bytes = await renderPdf({
        info: { title: p.title, creationDate: new Date('2026-01-01T00:00:00Z') },
        content: [{ text: p.lines[0]!, style: 'h' }, ...p.lines.slice(1).map((text) => ({ text, margin: [0, 4, 0, 0] as [number, number, number, number] })), { text: 'Tài liệu mẫu của hệ thống Vì Dân (chế độ trình diễn).', margin: [0, 16, 0, 0] as [number, number, number, number], italics: true }],
        styles: { h: { fontSize: 16, bold: true, alignment: 'center', margin: [0, 0, 0, 12] } },
        defaultStyle: { font: 'Roboto', fontSize: 11 },
      })
      await inTransaction(db, async (trx) => {
        const sha256 = crypto.createHash('sha256').update(bytes).digest('hex')
        const [doc] = await createDocuments(trx, documents, [{ sha256, bytes, mediaType: 'application/pdf', sizeBytes: bytes.length, name: `${p.title}.pdf`, scan: { status: 'not_scanned' } }], {
          kind: p.source === 'result' ? 'result' : 'scan',
          ownerSubject: w.identityNumber,
          createdBy: null,
          legalCopy: p.legalCopy,
        })
        await addWalletItem(trx, { ownerIdentityNumber: w.identityNumber, documentId: doc!.id, source: p.source, title: p.title, dossierId: null, legalCopy: p.legalCopy, at: clock.now() })
      })
      added++
    }
  }
  return added
}
