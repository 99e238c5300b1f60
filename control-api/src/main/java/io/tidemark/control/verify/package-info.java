/**
 * Verification (docs/verification.md): proves that a project's target tables hold what the source
 * holds, table by table, at one applied iteration. Canonical forms per type pair ({@link
 * io.tidemark.control.verify.CanonicalForms}), count and checksum per key range pushed down to both
 * databases, bisection of the ranges that differ, a confirm pass for what may be in flight, results
 * in the control schema, and a repair that re-reads differing keys through the pipeline.
 */
package io.tidemark.control.verify;
