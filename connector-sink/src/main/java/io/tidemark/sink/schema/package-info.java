/**
 * Target tables: the model a record schema makes (columns, key, types), and the synchronizer that
 * creates, checks or evolves the table before rows are written, under the database-wide DDL lock.
 */
package io.tidemark.sink.schema;
