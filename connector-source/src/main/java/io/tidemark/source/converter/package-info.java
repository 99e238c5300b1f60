/** What the task's converters do to its values: the warning about JSON turning non-finite floats into 0. */
package io.tidemark.source.converter;
