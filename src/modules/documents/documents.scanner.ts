import net from 'node:net'
import { ScannerUnavailableError } from './documents.errors.js'

export type ScanVerdict = { status: 'not_scanned' } | { status: 'clean'; engine: string } | { status: 'infected'; engine: string; signature: string }

/**
 * The virus-scanner hook: every accepted upload passes through `scan` before it is stored. An
 * infected verdict refuses the file; a scanner that cannot answer throws ScannerUnavailableError
 * (the upload is refused, never stored unchecked).
 */
export interface VirusScanner {
  readonly name: string
  scan(bytes: Buffer): Promise<ScanVerdict>
}

/** The default when no scanner is configured: files are stored and recorded as not scanned. */
export const noVirusScanner: VirusScanner = { name: 'none', scan: async () => ({ status: 'not_scanned' }) }

const CHUNK = 64 * 1024

/**
 * ClamAV's clamd over TCP with the INSTREAM command: the bytes go in length-prefixed chunks, the
 * daemon answers `stream: OK` or `stream: <signature> FOUND`. Any other answer, a refused
 * connection or a timeout is "unavailable".
 */
export function clamdScanner(opts: { host: string; port: number; timeoutMs: number }): VirusScanner {
  const engine = `clamd@${opts.host}:${opts.port}`
  return {
    name: engine,
    scan: (bytes) =>
      new Promise<ScanVerdict>((resolve, reject) => {
        const socket = net.connect({ host: opts.host, port: opts.port })
        let answer = ''
        let settled = false
        const fail = () => {
          if (settled) return
          settled = true
          socket.destroy()
          reject(new ScannerUnavailableError())
        }
        socket.setTimeout(opts.timeoutMs, fail)
        socket.on('error', fail)
        socket.on('data', (d: Buffer) => (answer += d.toString('utf8')))
        socket.on('close', () => {
          if (settled) return
          const reply = answer.replace(/\0/g, '').trim()
          const found = /^stream: (.+) FOUND$/.exec(reply)
          if (reply === 'stream: OK') {
            settled = true
            resolve({ status: 'clean', engine })
          } else if (found) {
            settled = true
            resolve({ status: 'infected', engine, signature: found[1]! })
          } else fail()
        })
        socket.on('connect', () => {
          socket.write('zINSTREAM\0')
          for (let i = 0; i < bytes.length; i += CHUNK) {
            const chunk = bytes.subarray(i, i + CHUNK)
            const size = Buffer.alloc(4)
            size.writeUInt32BE(chunk.length)
            socket.write(size)
            socket.write(chunk)
          }
          socket.end(Buffer.alloc(4))
        })
      }),
  }
}
