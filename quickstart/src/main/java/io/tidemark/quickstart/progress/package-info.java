/**
 * The progress lines: completed iterations and license use read from the sink's control schema
 * (docs/control-schema.md), and how a line shows them.
 */
package io.tidemark.quickstart.progress;
