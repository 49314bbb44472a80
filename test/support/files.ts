import crypto from 'node:crypto'
import zlib from 'node:zlib'
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js'

// Small real files for upload tests, made on the spot: a PDF from pdfmake, a PNG and a JPEG
// from their minimal valid bytes, and a Windows executable header to rename as .pdf.

/** A real one-page PDF (pdfmake with the standard Helvetica font, nothing embedded). */
export async function makePdf(text = 'Giay to thu nghiem'): Promise<Buffer> {
  const { default: Printer } = await import('pdfmake')
  const printer = new Printer({ Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' } })
  const doc: TDocumentDefinitions = { content: [text], defaultStyle: { font: 'Helvetica' }, info: { creationDate: new Date('2026-01-01T00:00:00Z') } }
  const pdf = printer.createPdfKitDocument(doc)
  const chunks: Buffer[] = []
  return new Promise((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c))
    pdf.on('end', () => resolve(Buffer.concat(chunks)))
    pdf.on('error', reject)
    pdf.end()
  })
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(zlib.crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A valid grey PNG of `size`×`size` pixels (signature, IHDR, IDAT, IEND with their CRCs). */
export function makePng(size = 1, grey = 0x80): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 0 // greyscale
  const rows = Buffer.concat(Array.from({ length: size }, () => Buffer.from([0, ...Array<number>(size).fill(grey)])))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', zlib.deflateSync(rows)), pngChunk('IEND', Buffer.alloc(0))])
}

const seg = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]

/**
 * A valid baseline JPEG: one 8×8 grey block. Both Huffman tables hold a single one-bit code
 * (DC category 0, AC end-of-block), so the whole scan is the bits "00", padded with ones.
 */
export function makeJpeg(): Buffer {
  const oneCode = [1, ...Array<number>(15).fill(0), 0]
  return Buffer.from([
    0xff, 0xd8, // SOI
    ...seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // APP0 JFIF 1.1
    ...seg(0xdb, [0x00, ...Array<number>(64).fill(1)]), // quantisation table 0
    ...seg(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // baseline, 8×8, one component
    ...seg(0xc4, [0x00, ...oneCode]), // DC table 0
    ...seg(0xc4, [0x10, ...oneCode]), // AC table 0
    ...seg(0xda, [1, 1, 0x00, 0, 63, 0]), // start of scan
    0x3f,
    0xff, 0xd9, // EOI
  ])
}

/** The start of a Windows executable (MZ header, PE signature), to rename as .pdf. */
export function makeExe(): Buffer {
  const b = Buffer.alloc(512)
  b.write('MZ', 0, 'ascii')
  b.writeUInt32LE(0x80, 0x3c)
  b.write('PE\0\0', 0x80, 'binary')
  crypto.randomFillSync(b, 0x100)
  return b
}

export interface FilePart {
  field?: string
  name: string
  type?: string
  bytes: Buffer
}

/** A multipart/form-data body: the fields first, then the files, as a browser sends a form. */
export function multipartBody(fields: Record<string, string>, files: FilePart[]): { payload: Buffer; contentType: string } {
  const boundary = `----vidan${crypto.randomBytes(8).toString('hex')}`
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`, 'utf8'))
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'file'}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'), f.bytes, Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}
