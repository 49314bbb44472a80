import { sql, type Kysely } from 'kysely'

// Catalogue revision: a token that changes whenever a transaction that wrote the catalogue
// commits, so every web process can keep what depends only on the catalogue (the search index:
// words, counts, the field list, agency labels) and check it with one cheap read.
//
// The bump is a deferred constraint trigger: it runs at commit, once per transaction, so the
// revision row is locked only for the instant of the commit (an import holding it for its
// whole run would deadlock with an edit waiting on one of the import's rows). A random token,
// not a counter: a database restored from a backup never hands out a revision a running
// process has already seen with other data.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE catalog_revision (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      revision uuid NOT NULL DEFAULT gen_random_uuid()
    )
  `.execute(db)
  await sql`INSERT INTO catalog_revision DEFAULT VALUES`.execute(db)
  await sql`
    CREATE FUNCTION catalog_bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- once per transaction, however many rows it wrote
      IF current_setting('vidan.catalog_revision_bumped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('vidan.catalog_revision_bumped', 'yes', true);
        UPDATE catalog_revision SET revision = gen_random_uuid();
      END IF;
      RETURN NULL;
    END
    $$
  `.execute(db)
  // The agencies' names (org's table) label the search's counts per agency: a renamed agency
  // changes the revision too, so the name can be kept with the rest. The trigger only observes;
  // the names are read through org's index.
  for (const table of ['catalog_procedures', 'catalog_procedure_versions', 'agencies']) {
    await sql`
      CREATE CONSTRAINT TRIGGER catalog_revision
      AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
      DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION catalog_bump_revision()
    `.execute(db)
    await sql`
      CREATE TRIGGER catalog_revision_truncate
      AFTER TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_revision()
    `.execute(db)
  }

  // A catalogue imported before this migration may have left its word index entries in the GIN
  // pending lists, which every search reads linearly: merged once here (imports now do it).
  await sql`
    SELECT gin_clean_pending_list(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
    WHERE am.amname = 'gin' AND i.indrelid IN ('catalog_procedures'::regclass, 'catalog_terms'::regclass)
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['catalog_procedures', 'catalog_procedure_versions', 'agencies']) {
    await sql`DROP TRIGGER catalog_revision_truncate ON ${sql.table(table)}`.execute(db)
    await sql`DROP TRIGGER catalog_revision ON ${sql.table(table)}`.execute(db)
  }
  await sql`DROP FUNCTION catalog_bump_revision()`.execute(db)
  await sql`DROP TABLE catalog_revision`.execute(db)
}
