/** The wire contract of iteration markers: the marker value and headers the source writes into every partition and the sink reads. */
package io.tidemark.common.marker;
