import type { DocumentKind, ScanStatus } from './documents.rules.js'

/** Bytes of the default (database) blob store, named by their SHA-256. */
export interface DocumentBlobsTable {
  sha256: string
  sizeBytes: number
  bytes: Buffer
  createdAt: Date
}

/** One uploaded file: what it is, whose it is, who brought it; the bytes are in the blob store under `sha256`. */
export interface DocumentsTable {
  id: string
  sha256: string
  mediaType: string
  sizeBytes: number
  originalName: string
  kind: DocumentKind
  ownerSubject: string | null
  legalCopy: boolean
  scanStatus: ScanStatus
  scanEngine: string | null
  scannedAt: Date | null
  createdBy: string | null
  createdAt: Date
}

declare module '../../shared/database.js' {
  interface Database {
    documentBlobs: DocumentBlobsTable
    documents: DocumentsTable
  }
}
