import { sql, type Kysely } from 'kysely'

// Procedure catalogue: one head row per procedure (its current version, denormalised for search
// and filters) and the append-only history of versions. A dossier references (code, version).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE catalog_procedures (
      code text PRIMARY KEY CHECK (code ~ '^[0-9][.][0-9]{6}([.][0-9A-Z.]+)?$'),
      current_version integer NOT NULL CHECK (current_version >= 1),
      in_province boolean NOT NULL DEFAULT false,
      unpublished_at timestamptz,
      name text NOT NULL,
      field text NOT NULL,
      levels text[] NOT NULL,
      subjects text[] NOT NULL,
      online_level text CHECK (online_level IN ('full', 'partial', 'none')),
      agency_refs text[] NOT NULL DEFAULT '{}',
      -- names of the required documents and of the results, for the third tier of search
      search_text text NOT NULL DEFAULT '',
      -- folded to ' words separated by single spaces ': phrases are LIKE '% a b %', typos <%
      name_folded text GENERATED ALWAYS AS (' ' || regexp_replace(vn_fold(name), '[^a-z0-9]+', ' ', 'g') || ' ') STORED,
      field_folded text GENERATED ALWAYS AS (' ' || regexp_replace(vn_fold(field), '[^a-z0-9]+', ' ', 'g') || ' ') STORED,
      -- the same as arrays of words, so a word is found through an exact GIN lookup (&&)
      -- instead of rechecking long texts; name and field words serve the ranking
      name_words text[] GENERATED ALWAYS AS (string_to_array(trim(regexp_replace(vn_fold(name), '[^a-z0-9]+', ' ', 'g')), ' ')) STORED,
      field_words text[] GENERATED ALWAYS AS (string_to_array(trim(regexp_replace(vn_fold(field), '[^a-z0-9]+', ' ', 'g')), ' ')) STORED,
      -- name, field and document names together: where a query word is looked up (GIN, exact)
      all_words text[] GENERATED ALWAYS AS (string_to_array(trim(regexp_replace(vn_fold(name || ' ' || field || ' ' || search_text), '[^a-z0-9]+', ' ', 'g')), ' ')) STORED,
      updated_at timestamptz NOT NULL
    )
  `.execute(db)
  // Trigram indexes serve `<%` (typos) and LIKE on the folded text. Arrays use the built-in GIN
  // array opclass (never btree_gin: beside pg_trgm it breaks `%` on PGlite).
  await sql`CREATE INDEX catalog_procedures_name_trgm ON catalog_procedures USING gin (name_folded gin_trgm_ops)`.execute(db)
  await sql`CREATE INDEX catalog_procedures_field_trgm ON catalog_procedures USING gin (field_folded gin_trgm_ops)`.execute(db)
  await sql`CREATE INDEX catalog_procedures_all_words ON catalog_procedures USING gin (all_words)`.execute(db)
  await sql`CREATE INDEX catalog_procedures_agency_refs ON catalog_procedures USING gin (agency_refs)`.execute(db)
  await sql`CREATE INDEX catalog_procedures_field_idx ON catalog_procedures (field, code)`.execute(db)

  // Every folded word of the catalogue: a query word that is not one of them is corrected to
  // its nearest words here (trigram word similarity), which is fast on short terms where the
  // same measure over long texts is not.
  await sql`CREATE TABLE catalog_terms (term text PRIMARY KEY)`.execute(db)
  await sql`CREATE INDEX catalog_terms_trgm ON catalog_terms USING gin (term gin_trgm_ops)`.execute(db)

  await sql`
    CREATE TABLE catalog_procedure_versions (
      code text NOT NULL REFERENCES catalog_procedures(code),
      version integer NOT NULL CHECK (version >= 1),
      name text NOT NULL,
      field text NOT NULL,
      levels text[] NOT NULL,
      subjects text[] NOT NULL,
      in_province boolean NOT NULL,
      online_level text CHECK (online_level IN ('full', 'partial', 'none')),
      partial_reason text,
      partial_legal_basis text,
      agencies jsonb NOT NULL DEFAULT '[]'::jsonb,
      -- json, not jsonb: read whole, never queried inside, and much cheaper to write
      content json NOT NULL,
      content_hash text NOT NULL,
      source text NOT NULL,
      change_note text,
      published_at timestamptz NOT NULL,
      due_publish_by timestamptz,
      created_at timestamptz NOT NULL,
      created_by text,
      PRIMARY KEY (code, version),
      -- Decree 224/2026 Art. 14: a partly-online procedure publishes its reason.
      CHECK (online_level IS DISTINCT FROM 'partial' OR partial_reason IS NOT NULL)
    )
  `.execute(db)
  await sql`CREATE INDEX catalog_procedure_versions_in_force ON catalog_procedure_versions (code, published_at DESC, version DESC)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE catalog_terms`.execute(db)
  await sql`DROP TABLE catalog_procedure_versions`.execute(db)
  await sql`DROP TABLE catalog_procedures`.execute(db)
}
