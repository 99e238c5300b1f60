/**
 * The audit trail: every action the API is asked for, with the caller's token name (never the
 * token), the time, the request and the outcome, in the log and in the control schema's
 * {@code api_audit} table ({@code bin/tidemark audit PROJECT} lists it).
 */
package io.tidemark.control.audit;
