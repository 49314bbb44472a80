import type { MultipartFile } from '@fastify/multipart'
import { FilesRefusedError, problemMessage, UploadIncompleteError } from './documents.errors.js'

/** A file as it arrived, before any check. `bytes` is empty when the file was cut off at a limit. */
export interface IncomingFile {
  field: string
  name: string
  bytes: Buffer
  /** Bytes received (up to the per-file limit, where the parser stops reading the file). */
  size: number
  /** Cut at the per-file limit (busboy stops keeping its bytes there). */
  tooLarge: boolean
  /** Arrived after the request's total limit was reached (its bytes were not kept). */
  overRequestLimit: boolean
}

export interface ReceiveLimits {
  maxFileBytes: number
  maxFilesPerDossier: number
  maxRequestBytes: number
}

const hasCode = (e: unknown, code: string) => !!e && typeof e === 'object' && 'code' in e && e.code === code

/**
 * Reads the files of a multipart upload into memory, never more than the request limit: a file
 * past the size limit is cut by the parser and only counted; once the request's total is reached,
 * later bytes are read and dropped. Every file is read to its end, so the client's upload
 * completes and it gets the answer. An empty file input (no file chosen) is skipped.
 */
export async function receiveFiles(files: AsyncIterable<MultipartFile>, limits: ReceiveLimits): Promise<IncomingFile[]> {
  const out: IncomingFile[] = []
  let kept = 0
  try {
    for await (const part of files) {
      const chunks: Buffer[] = []
      let size = 0
      let over = false
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length
        if (over || part.file.truncated) continue
        if (kept + size > limits.maxRequestBytes) {
          over = true
          chunks.length = 0
          continue
        }
        chunks.push(chunk)
      }
      if (!part.filename && size === 0) continue
      const tooLarge = part.file.truncated
      if (!over && !tooLarge) kept += size
      out.push({ field: part.fieldname, name: part.filename, bytes: over || tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), size, tooLarge, overRequestLimit: over })
    }
  } catch (e) {
    // The parser stops at its file-count limit (one dossier's worth of files).
    if (hasCode(e, 'FST_FILES_LIMIT')) throw new FilesRefusedError([{ index: null, name: null, code: 'DOCUMENT.TOO_MANY_FILES', message: problemMessage.tooMany(limits.maxFilesPerDossier, 0) }])
    // A body cut short or garbled (a dropped connection, a broken client) is bad input, not a 500.
    if (hasCode(e, 'FST_MULTIPART_MALFORMED') || !(e && typeof e === 'object' && 'statusCode' in e)) throw new UploadIncompleteError()
    throw e
  }
  return out
}
