package io.tidemark.control.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens that may call the API: from a file (one per line, {@code #} comments) or from the
 * environment ({@code TIDEMARK_API_TOKENS}, comma-separated), never from the repository. Compared in
 * constant time, so a wrong token tells nothing about a right one.
 */
public final class BearerTokens {

    public static final String ENV = "TIDEMARK_API_TOKENS";
    private static final int MIN_LENGTH = 16;

    private final List<byte[]> tokens;

    private BearerTokens(List<String> tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("no API token: give --tokens-file FILE (one token per line) or set "
                    + ENV + "; make one with: openssl rand -hex 32");
        }
        for (String t : tokens) {
            if (t.length() < MIN_LENGTH) {
                throw new IllegalArgumentException("an API token is shorter than " + MIN_LENGTH + " characters: use "
                        + "long random tokens (openssl rand -hex 32)");
            }
        }
        this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public static BearerTokens of(List<String> tokens) {
        return new BearerTokens(tokens);
    }

    public static BearerTokens load(Path file, String env) throws IOException {
        List<String> tokens = new ArrayList<>();
        if (file != null) {
            for (String line : Files.readAllLines(file)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    tokens.add(t);
                }
            }
        }
        if (env != null) {
            for (String t : env.split(",")) {
                if (!t.isBlank()) {
                    tokens.add(t.strip());
                }
            }
        }
        return new BearerTokens(tokens);
    }

    /** Whether the {@code Authorization} header carries a known token. */
    public boolean accepts(String presented) {
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] t : tokens) {
            ok |= MessageDigest.isEqual(t, p);
        }
        return ok;
    }
}
