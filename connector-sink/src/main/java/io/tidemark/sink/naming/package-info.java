/** Source and target names: the rename rules, name case, quoting and the 63-byte limit of PostgreSQL identifiers. */
package io.tidemark.sink.naming;
