/**
 * License metering in the sink: which key a project meters against
 * ({@link io.tidemark.sink.license.LicenseKeyring}, verified only against the vendor keys built into
 * the plugin), the allowance it gives, or the trial's without any key
 * ({@link io.tidemark.sink.license.Allowance}), and the usage counted in each flush's own transaction
 * ({@link io.tidemark.sink.license.LicenseMeter}, the writer's flush guard).
 *
 * <p>The usage row lives in the customer's database, so it is made tamper-evident: sealed
 * ({@link io.tidemark.sink.license.UsageRow}), watched against a high-water mark and the rest of the
 * database ({@link io.tidemark.sink.license.UsageWatch},
 * {@link io.tidemark.sink.license.ControlSchemaSurvey}), and judged by a time no clock turned back can
 * lower ({@link io.tidemark.sink.license.ObservedTime}). docs/license.md says what each layer catches.
 */
package io.tidemark.sink.license;
