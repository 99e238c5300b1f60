/** The target database's control schema as the operator's side reads and writes it. */
package io.tidemark.control.store;
