import crypto from 'node:crypto'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { makeExe, makeJpeg, makePdf, makePng } from '../../../test/support/files.js'
import { ManualClock } from '../../shared/clock.js'
import { FilesRefusedError, ScannerUnavailableError } from './documents.errors.js'
import { contentDisposition, detectMediaType, sanitizeFileName } from './documents.rules.js'
import { clamdScanner, type VirusScanner } from './documents.scanner.js'
import { createDocumentsDeps, prepareFiles } from './documents.service.js'
import type { IncomingFile } from './documents.upload.js'

const limits = { maxFileBytes: 50_000, maxFilesPerDossier: 3, maxRequestBytes: 200_000 }
const deps = (scanner?: VirusScanner) => createDocumentsDeps(limits, new ManualClock('2026-11-26T02:00:00Z'), scanner ? { scanner } : {})
const incoming = (name: string, bytes: Buffer, extra: Partial<IncomingFile> = {}): IncomingFile => ({ field: 'file', name, bytes, size: bytes.length, tooLarge: false, overRequestLimit: false, ...extra })

async function refused(p: Promise<unknown>): Promise<FilesRefusedError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(FilesRefusedError)
  return e as FilesRefusedError
}

describe('type from the content, not the name', () => {
  it('recognises PDF, JPEG and PNG by their bytes and a Windows program as what it is', async () => {
    expect(await detectMediaType(await makePdf())).toBe('application/pdf')
    expect(await detectMediaType(makeJpeg())).toBe('image/jpeg')
    expect(await detectMediaType(makePng())).toBe('image/png')
    expect(await detectMediaType(makeExe())).toBe('application/x-msdownload')
    expect(await detectMediaType(Buffer.from('%PDX not a pdf at all'))).toBeUndefined()
  })

  it('refuses a program renamed .pdf, whatever type the client claimed', async () => {
    const e = await refused(prepareFiles(deps(), [incoming('giay-khai-sinh.pdf', makeExe())], { existingCount: 0, required: true }))
    expect(e.code).toBe('DOCUMENT.TYPE_NOT_ALLOWED')
    expect(e.message).toContain('không phải PDF, JPEG hoặc PNG')
  })
})

describe('upload checks report every problem at once', () => {
  it('lists an empty file, a file over the limit and a wrong type together, each with its code', async () => {
    const e = await refused(
      prepareFiles(deps(), [incoming('a.pdf', Buffer.alloc(0)), incoming('b.pdf', Buffer.alloc(0), { size: 50_000, tooLarge: true }), incoming('c.png', makeExe()), incoming('d.png', makePng())], { existingCount: 0, required: true }),
    )
    expect(e.code).toBe('DOCUMENT.TOO_MANY_FILES') // 4 files, limit 3: the upload-wide problem comes first
    expect(e.problems.map((p) => [p.index, p.code])).toEqual([
      [null, 'DOCUMENT.TOO_MANY_FILES'],
      [0, 'DOCUMENT.EMPTY'],
      [1, 'DOCUMENT.TOO_LARGE'],
      [2, 'DOCUMENT.TYPE_NOT_ALLOWED'],
    ])
    expect((e.details as { fields: { files: string[] } }).fields.files).toHaveLength(4)
  })

  it('counts the files the dossier already has', async () => {
    const e = await refused(prepareFiles(deps(), [incoming('x.png', makePng()), incoming('y.png', makePng())], { existingCount: 2, required: true }))
    expect(e.code).toBe('DOCUMENT.TOO_MANY_FILES')
    expect(e.message).toContain('đã có 2 tệp')
  })

  it('requires a file only when asked to', async () => {
    expect((await refused(prepareFiles(deps(), [], { existingCount: 0, required: true }))).code).toBe('DOCUMENT.NO_FILE')
    expect(await prepareFiles(deps(), [], { existingCount: 0, required: false })).toEqual([])
  })

  it('reports a request over its total as such', async () => {
    const e = await refused(prepareFiles(deps(), [incoming('big.pdf', Buffer.alloc(0), { size: 10, overRequestLimit: true })], { existingCount: 0, required: true }))
    expect(e.code).toBe('DOCUMENT.REQUEST_TOO_LARGE')
  })

  it('hashes accepted files (SHA-256), names them safely and records the scan verdict', async () => {
    const pdf = await makePdf()
    const [f] = await prepareFiles(deps(), [incoming('C:\\fakepath\\Gia\u0301y to\u0300.PDF', pdf)], { existingCount: 0, required: true })
    expect(f).toMatchObject({ mediaType: 'application/pdf', sizeBytes: pdf.length, name: 'Giáy tò.PDF', scan: { status: 'not_scanned' } })
    expect(f!.sha256).toBe(crypto.createHash('sha256').update(pdf).digest('hex'))
  })
})

describe('virus-scanner hook', () => {
  it('refuses an infected file and stores a clean one as clean', async () => {
    const eicarLike = makePng(2, 0x66)
    const scanner: VirusScanner = { name: 'fake', scan: async (b) => (b.equals(eicarLike) ? { status: 'infected', engine: 'fake', signature: 'Test.Signature' } : { status: 'clean', engine: 'fake' }) }
    const e = await refused(prepareFiles(deps(scanner), [incoming('ok.png', makePng()), incoming('bad.png', eicarLike)], { existingCount: 0, required: true }))
    expect(e.problems).toEqual([expect.objectContaining({ index: 1, code: 'DOCUMENT.INFECTED' })])
    const [ok] = await prepareFiles(deps(scanner), [incoming('ok.png', makePng())], { existingCount: 0, required: true })
    expect(ok!.scan).toEqual({ status: 'clean', engine: 'fake' })
  })
})

describe('clamd adapter (INSTREAM over TCP)', () => {
  let server: net.Server | undefined
  afterEach(() => server?.close())

  /** A stand-in clamd that checks the INSTREAM framing and answers with `reply(bytes)`. */
  async function fakeClamd(reply: (bytes: Buffer) => string): Promise<number> {
    server = net.createServer((socket) => {
      let buf = Buffer.alloc(0)
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d])
        const cmd = 'zINSTREAM\0'
        if (buf.length < cmd.length) return
        expect(buf.subarray(0, cmd.length).toString()).toBe(cmd)
        const body: Buffer[] = []
        let at = cmd.length
        while (at + 4 <= buf.length) {
          const n = buf.readUInt32BE(at)
          if (n === 0) {
            socket.end(`${reply(Buffer.concat(body))}\0`)
            return
          }
          if (at + 4 + n > buf.length) return
          body.push(buf.subarray(at + 4, at + 4 + n))
          at += 4 + n
        }
      })
    })
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
    return (server.address() as net.AddressInfo).port
  }

  it('passes the bytes in chunks and reads OK and FOUND', async () => {
    const big = crypto.randomBytes(150_000) // three chunks
    const port = await fakeClamd((b) => (b.equals(big) ? 'stream: OK' : 'stream: Eicar-Test-Signature FOUND'))
    const scanner = clamdScanner({ host: '127.0.0.1', port, timeoutMs: 5000 })
    expect(await scanner.scan(big)).toEqual({ status: 'clean', engine: `clamd@127.0.0.1:${port}` })
    expect(await scanner.scan(Buffer.from('X5O!P%@AP'))).toMatchObject({ status: 'infected', signature: 'Eicar-Test-Signature' })
  })

  it('is unavailable when clamd answers nonsense or cannot be reached', async () => {
    const port = await fakeClamd(() => 'INSTREAM size limit exceeded. ERROR')
    await expect(clamdScanner({ host: '127.0.0.1', port, timeoutMs: 5000 }).scan(Buffer.from('x'))).rejects.toBeInstanceOf(ScannerUnavailableError)
    server!.close()
    await expect(clamdScanner({ host: '127.0.0.1', port, timeoutMs: 5000 }).scan(Buffer.from('x'))).rejects.toMatchObject({ code: 'DOCUMENT.SCAN_UNAVAILABLE' })
  })
})

describe('file names', () => {
  it.each([
    ['Giấy khai sinh.pdf', 'application/pdf', 'Giấy khai sinh.pdf'],
    ['Gia\u0301y to\u031B\u0300.pdf', 'application/pdf', 'Giáy tờ.pdf'], // NFD in, NFC out
    ['../../etc/passwd', 'application/pdf', 'passwd.pdf'],
    ['C:\\Users\\An\\scan 01.JPG', 'image/jpeg', 'scan 01.JPG'],
    ['anh.png', 'image/jpeg', 'anh.png.jpg'], // the content decides the extension
    ['hoadon\u202Efdp.exe', 'application/pdf', 'hoadonfdp.exe.pdf'], // a right-to-left override is dropped
    ['  ..\u0000ẩn  ', 'image/png', 'ẩn.png'],
    ['<>:"|?*.pdf', 'application/pdf', '_______.pdf'],
    ['', 'image/png', 'tep-dinh-kem.png'],
    ['.pdf', 'application/pdf', 'pdf.pdf'], // no hidden files
  ] as const)('%j as %s → %j', (raw, type, expected) => {
    expect(sanitizeFileName(raw, type)).toBe(expected)
  })

  it('keeps names to 150 characters with their extension', () => {
    const name = sanitizeFileName(`${'ệ'.repeat(300)}.pdf`, 'application/pdf')
    expect(Array.from(name)).toHaveLength(150)
    expect(name.endsWith('ệ.pdf')).toBe(true)
  })

  it('sends an ASCII fallback and the exact UTF-8 name in Content-Disposition', () => {
    expect(contentDisposition('Giấy khai sinh (bản sao).pdf')).toBe(`attachment; filename="giay khai sinh (ban sao).pdf"; filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh%20%28b%E1%BA%A3n%20sao%29.pdf`)
    expect(contentDisposition('a"b;c.pdf')).toBe(`attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%3Bc.pdf`)
  })
})
