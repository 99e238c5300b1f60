/**
 * The cutover (docs/cutover.md): precheck, soft stop, the structure the load left out restored on
 * the target from the source's catalog (read by {@link io.tidemark.control.cutover.PostgresCatalog}
 * or {@link io.tidemark.control.cutover.OracleCatalog}, planned by the pure
 * {@link io.tidemark.control.cutover.RestorePlanner}, run by
 * {@link io.tidemark.control.cutover.RestoreExecutor}) and a report kept in the control schema.
 */
package io.tidemark.control.cutover;
