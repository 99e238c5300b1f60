/**
 * The actions: project start, pause, soft stop, stop, restart, delete; table start, pause, stop,
 * mode; the precheck. Each asks, then waits (bounded) for Connect and the sink to act.
 */
package io.tidemark.control.actions;
