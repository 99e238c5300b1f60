/** The initial load's settings shared by the source connector (its ConfigDef) and the control API (which runs the bulk load). */
package io.tidemark.common.load;
