import { sql, type Kysely } from 'kysely'

// Documents: content-addressed file bytes, one metadata row per uploaded file, and the link of
// files to dossiers (owned by the dossiers module: attaching is a change of the dossier).
export async function up(db: Kysely<unknown>): Promise<void> {
  // The default blob store: bytes in the database, written in the same transaction as their
  // metadata. Named by their SHA-256, which the database itself checks, so a blob is stored once
  // however many files share it and can never sit under a name that is not its hash.
  await sql`
    CREATE TABLE document_blobs (
      sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      bytes bytea NOT NULL,
      created_at timestamptz NOT NULL,
      CONSTRAINT document_blobs_named_by_hash CHECK (sha256 = encode(sha256(bytes), 'hex') AND size_bytes = length(bytes))
    )
  `.execute(db)

  // One row per uploaded file (two uploads of the same bytes: two rows, one blob). No foreign key
  // to document_blobs: another blob store (files, object storage) keeps the bytes elsewhere.
  await sql`
    CREATE TABLE documents (
      id uuid PRIMARY KEY,
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      original_name text NOT NULL CHECK (length(original_name) BETWEEN 1 AND 255),
      kind text NOT NULL CHECK (kind IN ('scan', 'result', 'citizen_upload')),
      -- The person or organisation the document belongs to (identity number or tax code), whose
      -- electronic document store it feeds (DOMAIN B §7.2–7.3); null when unknown.
      owner_subject text,
      -- An electronic result that is a legally valid electronic copy (issue 6, document wallet).
      legal_copy boolean NOT NULL DEFAULT false,
      scan_status text NOT NULL CHECK (scan_status IN ('not_scanned', 'clean')),
      scan_engine text,
      scanned_at timestamptz,
      created_by text,
      created_at timestamptz NOT NULL
    )
  `.execute(db)
  await sql`CREATE INDEX documents_sha256_idx ON documents (sha256)`.execute(db)
  await sql`CREATE INDEX documents_owner_idx ON documents (owner_subject, created_at) WHERE owner_subject IS NOT NULL`.execute(db)

  // Files attached to a dossier, each by the dossier event that recorded it (hash-chained).
  await sql`
    CREATE TABLE dossier_files (
      dossier_id uuid NOT NULL REFERENCES dossiers(id),
      document_id uuid NOT NULL REFERENCES documents(id),
      event_seq integer NOT NULL,
      position integer NOT NULL, -- order within the upload
      attached_by text,
      attached_by_name text NOT NULL,
      attached_at timestamptz NOT NULL,
      PRIMARY KEY (dossier_id, document_id),
      FOREIGN KEY (dossier_id, event_seq) REFERENCES dossier_events (dossier_id, seq)
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS dossier_files`.execute(db)
  await sql`DROP TABLE IF EXISTS documents`.execute(db)
  await sql`DROP TABLE IF EXISTS document_blobs`.execute(db)
}
