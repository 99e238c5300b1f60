package io.tidemark.quickstart.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The progress lines read from a control schema the sink itself created ({@code ControlSchema}),
 * with ledger and usage rows this test writes as the sink would: what a row means is the sink's
 * contract (docs/control-schema.md), how it is read and shown is the quickstart's. QuickstartIT
 * reads the rows a running sink wrote.
 */
class IterationLedgerTest {

    @RegisterExtension
    static final ControlSchemaDatabase db = new ControlSchemaDatabase("qs_ledger");

    @Test
    void completedIterationsOfTheProjectInOrderWithTheLicenseUse() throws Exception {
        IterationLedger ledger = new IterationLedger("tidemark", "demo");
        try (Connection c = db.connect()) {
            assertThat(ledger.exists(c)).isTrue();
            assertThat(ledger.license(c)).isNull();
            db.execute("INSERT INTO tidemark.iteration (project, iteration, status, upserted, deleted, bytes, apply_ms, applied_at)"
                            + " VALUES ('demo', 0, 'APPLIED', 1464, 2, 39200, 1467, now()), ('demo', 1, 'APPLIED', 71, 11, 2100, 756, now()),"
                            + " ('demo', 2, 'WAITING', 5, 0, 100, NULL, NULL), ('other', 1, 'APPLIED', 9, 9, 9, 9, now())",
                    "INSERT INTO tidemark.license_usage (project, used_bytes, max_bytes, state) VALUES ('demo', 41800, 1000000000, 'TRIAL')");

            assertThat(ledger.completedAfter(c, -1)).containsExactly(
                    new CompletedIteration(0, 1464, 2, 39200, 1467, false), new CompletedIteration(1, 71, 11, 2100, 756, false));
            assertThat(ledger.completedAfter(c, 1)).as("iteration 2 is not applied yet").isEmpty();
            assertThat(ProgressLine.of(ledger.completedAfter(c, 0).get(0), ledger.license(c)))
                    .isEqualTo("iteration 1: 71 upserted, 11 deleted (2.1 kB), applied in 756 ms · license: 41.8 kB of 1 GB (trial, <0.01 %)");

            db.execute("UPDATE tidemark.iteration SET status = 'APPLIED', final = true, apply_ms = 30 WHERE project = 'demo' AND iteration = 2");
            assertThat(ledger.completedAfter(c, 1)).containsExactly(new CompletedIteration(2, 5, 0, 100, 30, true));
        }
    }

    @Test
    void theFirstAppliedIterationWhoseMarkerCameAfterAMoment() throws Exception {
        IterationLedger ledger = new IterationLedger("tidemark", "after");
        try (Connection c = db.connect()) {
            db.execute("INSERT INTO tidemark.iteration (project, iteration, status, upserted, deleted, bytes, apply_ms,"
                    + " marker_created_at) VALUES ('after', 4, 'APPLIED', 1, 0, 10, 5, to_timestamp(1000)),"
                    + " ('after', 5, 'WAITING', 2, 0, 20, NULL, to_timestamp(2000)),"
                    + " ('after', 6, 'APPLIED', 3, 0, 30, 7, to_timestamp(3000)), ('after', 7, 'APPLIED', 4, 0, 40, 8, to_timestamp(4000))");
            assertThat(ledger.appliedWithMarkerAfter(c, 1_500_000)).as("5 is not applied; 6 is the first after")
                    .isEqualTo(new CompletedIteration(6, 3, 0, 30, 7, false));
            assertThat(ledger.appliedWithMarkerAfter(c, 4_000_000)).as("none after the last marker").isNull();
        }
    }

    @Test
    void aDatabaseWithoutTheSinksTablesHasNoLedger() throws Exception {
        try (PostgresTestDatabase empty = PostgresTestDatabase.create("qs_no_ledger"); Connection c = empty.connect()) {
            IterationLedger ledger = new IterationLedger("tidemark", "demo");
            assertThat(ledger.exists(c)).isFalse();
            assertThat(ledger.controlSchemaExists(c)).isFalse();
        }
    }
}
