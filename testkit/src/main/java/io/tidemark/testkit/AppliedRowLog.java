package io.tidemark.testkit;

import java.util.Collections;
import java.util.List;

/**
 * Every row image PostgreSQL writes into the tables of one target schema, logged by a trigger the
 * sink knows nothing of: "applied once" measured by the database, not by the writer's own
 * counters or offsets. Tables the sink creates later get the trigger too (an event trigger on
 * {@code CREATE TABLE}), so a test of a fresh target can use it.
 */
public final class AppliedRowLog {

    private static final String LOG = "public.tidemark_test_applied";

    private final PostgresTestDatabase db;

    private AppliedRowLog(PostgresTestDatabase db) {
        this.db = db;
    }

    /** Logs the writes into every table of the schema, those there now and those created later. */
    public static AppliedRowLog install(PostgresTestDatabase db, String schema) {
        String attach = "EXECUTE format('CREATE TRIGGER tidemark_test_note AFTER INSERT OR UPDATE OR DELETE ON %s "
                + "FOR EACH ROW EXECUTE FUNCTION public.tidemark_test_note()', ";
        db.execute("CREATE TABLE " + LOG + " (seq bigserial PRIMARY KEY, tbl text, op text, image jsonb)",
                "CREATE FUNCTION public.tidemark_test_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO " + LOG + " (tbl, op, image) VALUES (TG_TABLE_NAME, TG_OP, "
                        + "CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END); RETURN NULL; END $$",
                "CREATE FUNCTION public.tidemark_test_attach() RETURNS event_trigger LANGUAGE plpgsql AS $$ "
                        + "DECLARE o record; BEGIN FOR o IN SELECT * FROM pg_event_trigger_ddl_commands() "
                        + "WHERE object_type = 'table' AND schema_name = '" + schema + "' LOOP "
                        + attach + "o.object_identity); END LOOP; END $$",
                "CREATE EVENT TRIGGER tidemark_test_attach ON ddl_command_end WHEN TAG IN ('CREATE TABLE') "
                        + "EXECUTE FUNCTION public.tidemark_test_attach()",
                "DO $$ DECLARE t record; BEGIN FOR t IN SELECT schemaname, tablename FROM pg_tables WHERE schemaname = '"
                        + schema + "' LOOP " + attach + "quote_ident(t.schemaname) || '.' || quote_ident(t.tablename)); "
                        + "END LOOP; END $$");
        return new AppliedRowLog(db);
    }

    /**
     * Row images inserted or updated more than once into the tables named (all, if none is), as
     * {@code table|image|times}: none, if each change was applied once.
     */
    public List<String> writtenMoreThanOnce(String... tables) {
        String only = tables.length == 0 ? "" : " AND tbl IN (" + String.join(", ", Collections.nCopies(tables.length, "?")) + ")";
        return db.rowsAsText("SELECT tbl, image::text, count(*) FROM " + LOG + " WHERE op <> 'DELETE'" + only
                + " GROUP BY tbl, image HAVING count(*) > 1 ORDER BY 1, 2", (Object[]) tables);
    }

    /** How many row images were inserted or updated into the table. */
    public long writes(String table) {
        return db.count("SELECT count(*) FROM " + LOG + " WHERE op <> 'DELETE' AND tbl = ?", table);
    }

    /** The values of one column of the rows deleted from the table, in the order of their deletes. */
    public List<String> deleted(String table, String column) {
        return db.rowsAsText("SELECT image ->> ? FROM " + LOG + " WHERE op = 'DELETE' AND tbl = ? ORDER BY seq", column, table);
    }
}
