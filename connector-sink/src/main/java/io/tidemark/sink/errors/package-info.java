/** What database errors mean for the sink (transient or not, a row's fault or the table's), retry backoff, and who holds a lock. */
package io.tidemark.sink.errors;
