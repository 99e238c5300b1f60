package io.tidemark.control.project;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to reach the Connect cluster: any of its workers' REST URLs (tried in order), basic auth when
 * the REST API asks for it, and the CA that signed its TLS certificate when it is not a public one.
 */
public record ConnectSettings(List<URI> urls, String username, String password, Path caFile, Duration timeout) {
}
