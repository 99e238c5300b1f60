/**
 * The table lifecycle as the sink and the control API both enforce it: the statuses of docs/design.md's
 * status model and the action table (which action each status allows, and the words of a refusal).
 */
package io.tidemark.common.control;
