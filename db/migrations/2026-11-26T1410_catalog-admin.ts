import { sql, type Kysely } from 'kysely'

// Catalogue administration: why a procedure was unpublished, and the audit of every change to
// the catalogue (edits, publication, imports): who, when, what, why. Append-only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE catalog_procedures ADD COLUMN unpublished_reason text`.execute(db)
  await sql`
    ALTER TABLE catalog_procedures ADD CONSTRAINT catalog_procedures_unpublished_reason
      CHECK (unpublished_at IS NULL OR unpublished_reason IS NOT NULL)
  `.execute(db)

  await sql`
    CREATE TABLE catalog_audit (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      action text NOT NULL CHECK (action IN ('edit', 'publish', 'unpublish', 'national_import', 'province_import', 'seed')),
      -- the procedure and the version the change left current; null for an import run
      code text REFERENCES catalog_procedures(code),
      version integer,
      -- the staff account and its name at the time; null for the command line and the seed
      actor_id text,
      actor_name text,
      reason text,
      -- what changed: the fields of an edit, the counts of an import
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      CHECK ((action IN ('edit', 'publish', 'unpublish')) = (code IS NOT NULL AND version IS NOT NULL)),
      CHECK (action <> 'unpublish' OR reason IS NOT NULL)
    )
  `.execute(db)
  await sql`CREATE INDEX catalog_audit_code_idx ON catalog_audit (code, id)`.execute(db)
  await sql`
    CREATE OR REPLACE FUNCTION catalog_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'catalog_audit is append-only';
    END $$
  `.execute(db)
  await sql`CREATE TRIGGER catalog_audit_no_update BEFORE UPDATE OR DELETE ON catalog_audit FOR EACH ROW EXECUTE FUNCTION catalog_audit_append_only()`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE catalog_audit`.execute(db)
  await sql`DROP FUNCTION catalog_audit_append_only()`.execute(db)
  await sql`ALTER TABLE catalog_procedures DROP CONSTRAINT catalog_procedures_unpublished_reason`.execute(db)
  await sql`ALTER TABLE catalog_procedures DROP COLUMN unpublished_reason`.execute(db)
}
