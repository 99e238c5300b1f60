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

    /** Never the password: records print every component, and settings end up in logs and messages. */
    @Override
    public String toString() {
        return "ConnectSettings[urls=" + urls + ", username=" + username + ", password=" + (password == null ? "none"
                : "(hidden)") + ", caFile=" + caFile + ", timeout=" + timeout + "]";
    }
}
