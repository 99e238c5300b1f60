/**
 * Projects as files: the descriptor ({@code project.json}), the connector JSON files it names, and
 * secrets given as references ({@code ${env:…}}, {@code ${file:…}}), never as values.
 */
package io.tidemark.control.project;
