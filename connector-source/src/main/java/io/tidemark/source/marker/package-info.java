/**
 * Iteration markers: writing the marker row into the source database, recognising its change
 * event, and fanning a marker record out into every partition of every captured table topic; one
 * dialect per database.
 */
package io.tidemark.source.marker;
