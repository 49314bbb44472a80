import type PdfPrinter from 'pdfmake'

// Roboto as bundled with pdfmake covers Vietnamese (precomposed letters only, hence NFC input).
// Medium stands in for bold, as in pdfmake's own browser defaults.
const ROBOTO = {
  normal: 'Roboto-Regular.ttf',
  bold: 'Roboto-Medium.ttf',
  italics: 'Roboto-Italic.ttf',
  bolditalics: 'Roboto-MediumItalic.ttf',
} as const

let printer: Promise<PdfPrinter> | undefined

/**
 * The server-side pdfmake printer with Roboto loaded from pdfmake's own font bundle. Loaded on
 * first use: pdfkit and the 850 kB font bundle stay out of the server's start-up path.
 */
export function loadPdfPrinter(): Promise<PdfPrinter> {
  printer ??= (async () => {
    const [{ default: Printer }, { default: vfs }] = await Promise.all([import('pdfmake'), import('pdfmake/build/vfs_fonts.js')])
    const font = (file: string): Buffer => {
      const base64 = vfs[file]
      if (!base64) throw new Error(`pdfmake font bundle lacks ${file}`)
      return Buffer.from(base64, 'base64')
    }
    return new Printer({
      Roboto: { normal: font(ROBOTO.normal), bold: font(ROBOTO.bold), italics: font(ROBOTO.italics), bolditalics: font(ROBOTO.bolditalics) },
    })
  })()
  // A failed load must not poison every later call.
  printer.catch(() => {
    printer = undefined
  })
  return printer
}
