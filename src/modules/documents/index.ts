/** Documents: content-addressed file storage, upload checks (type by content, limits, virus scan), document metadata. */
export {
  /** Builds the module's dependencies (blob store, virus scanner) from the upload settings. */
  createDocumentsDeps,
  /** Checks uploaded files and reports every problem at once; writes nothing. */
  prepareFiles,
  /** Puts files' bytes in the blob store inside the caller's transaction. */
  storeBlobs,
  /** Stores files and their metadata rows inside the caller's transaction. */
  createDocuments,
  /** Documents by id. */
  findDocuments,
  /** A document's record and bytes. */
  readDocument,
  type DocumentsDeps,
  type DocumentRecord,
  type PreparedFile,
  type NewDocumentsMeta,
} from './documents.service.js'
/** Reads a multipart upload's files within the limits, streaming. */
export { receiveFiles, type IncomingFile, type ReceiveLimits } from './documents.upload.js'
/** The coded upload errors. */
export { FilesRefusedError, ScannerUnavailableError, DocumentNotFoundError, UploadIncompleteError, problemMessage, type FileProblem, type FileProblemCode } from './documents.errors.js'
/** Accepted types, kinds, safe file names and download headers. */
export { ACCEPT_ATTRIBUTE, ALLOWED_TYPES, DOCUMENT_KINDS, KIND_LABELS, contentDisposition, sanitizeFileName, type AllowedMediaType, type DocumentKind } from './documents.rules.js'
/** The virus-scanner hook and its adapters. */
export { clamdScanner, noVirusScanner, type ScanVerdict, type VirusScanner } from './documents.scanner.js'
/** The blob store interface and its default (bytea in the same database). */
export { databaseBlobStore, type BlobBody, type BlobStore } from './documents.blob-store.js'
/** Metadata of a person's documents (their own data export). */
export { documentsOfOwner } from './documents.personal-data.js'
