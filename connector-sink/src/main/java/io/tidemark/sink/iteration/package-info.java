/**
 * Iterations as the sink sees them: which marker each partition has passed (and so to which
 * iteration its next records belong), the ledger of iterations in the control schema, and the
 * coordinator that completes an iteration — applying it to every FULL table in one transaction once
 * all of them reached its marker.
 */
package io.tidemark.sink.iteration;
