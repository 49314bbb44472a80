import { sql, type Kysely } from 'kysely'

// Online public services for citizens (issue 6 §2, §3): per-procedure e-form fields as data,
// drafts, who submitted which online dossier for whom, the citizen's document wallet (kho dữ liệu
// điện tử) and the digitisation/reuse status of every document of an online dossier (DOMAIN B §7.3).
// No foreign key to dossiers or documents: this module learns of them through their modules.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Extra fields of a procedure's e-form (beyond the applicant block and the documents), as data.
  await sql`
    CREATE TABLE online_form_definitions (
      procedure_code text PRIMARY KEY,
      fields jsonb NOT NULL,
      -- The time limit an online dossier follows when the catalogue's published time cannot be read.
      default_limit jsonb,
      updated_at timestamptz NOT NULL
    )
  `.execute(db)

  // A citizen's unfinished e-form. Files uploaded into it are stored documents (kept until used).
  await sql`
    CREATE TABLE online_drafts (
      id uuid PRIMARY KEY,
      citizen_id text NOT NULL,
      procedure_code text NOT NULL,
      values jsonb NOT NULL,
      attachments jsonb NOT NULL DEFAULT '[]'::jsonb,
      dossier_id uuid,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )
  `.execute(db)
  await sql`CREATE INDEX online_drafts_citizen_idx ON online_drafts (citizen_id, updated_at) WHERE dossier_id IS NULL`.execute(db)

  // Who an online dossier is for (the applicant citizen) and who acted (the citizen, or a
  // community digital team member acting with the citizen's recorded consent).
  await sql`
    CREATE TABLE online_submissions (
      dossier_id uuid PRIMARY KEY,
      -- The applicant is known by identity number (a team member may submit for a citizen who has
      -- never logged in to Vì Dân); their citizen account when they have one.
      applicant_identity_number text NOT NULL CHECK (applicant_identity_number ~ '^[0-9]{12}$'),
      applicant_citizen_id text,
      actor_kind text NOT NULL CHECK (actor_kind IN ('citizen', 'team_member')),
      actor_id text NOT NULL,
      actor_name text NOT NULL,
      consent_ref text,
      draft_id uuid,
      extra jsonb NOT NULL DEFAULT '{}'::jsonb,
      submitted_at timestamptz NOT NULL,
      CHECK (actor_kind = 'team_member' OR actor_id = applicant_citizen_id)
    )
  `.execute(db)
  await sql`CREATE INDEX online_submissions_applicant_idx ON online_submissions (applicant_identity_number, submitted_at)`.execute(db)

  // The citizen's document wallet: which stored documents belong to whom (by identity number,
  // so results and digitised papers reach a citizen before their first login).
  await sql`
    CREATE TABLE wallet_items (
      id uuid PRIMARY KEY,
      owner_identity_number text NOT NULL CHECK (owner_identity_number ~ '^[0-9]{12}$'),
      document_id uuid NOT NULL,
      source text NOT NULL CHECK (source IN ('result', 'upload', 'digitised')),
      title text NOT NULL,
      dossier_id uuid,
      result_code text,
      legal_copy boolean NOT NULL DEFAULT false,
      added_at timestamptz NOT NULL,
      UNIQUE (owner_identity_number, document_id)
    )
  `.execute(db)

  // Each required document of an online dossier with its digitisation status (B §7.3
  // TrangThaiSoHoa 0–3; DuocTaiSuDung 0/1/2): what the 766 index counts. Append-only.
  await sql`
    CREATE TABLE online_dossier_documents (
      dossier_id uuid NOT NULL,
      position integer NOT NULL,
      requirement text NOT NULL,
      document_id uuid,
      digitisation_status smallint NOT NULL CHECK (digitisation_status IN (0, 1, 2, 3)),
      reuse_kind smallint NOT NULL CHECK (reuse_kind IN (0, 1, 2)),
      wallet_item_id uuid,
      source_dossier_id uuid,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (dossier_id, position),
      CHECK ((digitisation_status IN (2, 3)) = (wallet_item_id IS NOT NULL)),
      CHECK (reuse_kind = CASE digitisation_status WHEN 2 THEN 1 WHEN 3 THEN 2 ELSE 0 END)
    )
  `.execute(db)
  await sql`CREATE INDEX online_dossier_documents_wallet_idx ON online_dossier_documents (wallet_item_id) WHERE wallet_item_id IS NOT NULL`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS online_dossier_documents`.execute(db)
  await sql`DROP TABLE IF EXISTS wallet_items`.execute(db)
  await sql`DROP TABLE IF EXISTS online_submissions`.execute(db)
  await sql`DROP TABLE IF EXISTS online_drafts`.execute(db)
  await sql`DROP TABLE IF EXISTS online_form_definitions`.execute(db)
}
