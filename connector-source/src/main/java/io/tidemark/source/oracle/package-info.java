/**
 * What is particular to Oracle as the source: the Debezium Oracle settings Tidemark refuses or sets,
 * and the captured columns Debezium's Oracle connector will not carry.
 */
package io.tidemark.source.oracle;
