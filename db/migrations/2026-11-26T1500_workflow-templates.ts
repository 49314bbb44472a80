import { sql, type Kysely } from 'kysely'

// Workflow templates per procedure version (issue 5 §3): the steps after receipt, each with its
// performer and its share of the legal limit. A template row is written with the procedure
// version its edit created and applies to that version and later ones until the next template
// (an import adds versions without touching it). Immutable, like versions.
// A dossier keeps a copy of its plan (the template with each step's due time) from receipt, and
// each step row the index of the planned step it carries out.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE catalog_workflows (
      code text NOT NULL REFERENCES catalog_procedures(code),
      procedure_version integer NOT NULL,
      steps jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      created_by text,
      PRIMARY KEY (code, procedure_version),
      FOREIGN KEY (code, procedure_version) REFERENCES catalog_procedure_versions(code, version)
    )
  `.execute(db)
  await sql`ALTER TABLE dossiers ADD COLUMN workflow_plan jsonb`.execute(db)
  await sql`ALTER TABLE dossier_steps ADD COLUMN plan_index integer`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dossier_steps DROP COLUMN plan_index`.execute(db)
  await sql`ALTER TABLE dossiers DROP COLUMN workflow_plan`.execute(db)
  await sql`DROP TABLE catalog_workflows`.execute(db)
}
