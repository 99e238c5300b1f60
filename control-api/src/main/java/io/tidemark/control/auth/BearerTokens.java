package io.tidemark.control.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens that may call the API, each with a name and a scope: from a file, one per line as
 * {@code NAME SCOPE TOKEN} ({@code #} comments), or from {@code TIDEMARK_API_TOKENS} as
 * comma-separated {@code NAME:SCOPE:TOKEN}; never from the repository. A line with the token alone
 * (the format before scopes) is an {@code admin} token named {@code unnamed-N}, with a warning.
 * Compared in constant time, so a wrong token tells nothing about a right one.
 */
public final class BearerTokens {

    public static final String ENV = "TIDEMARK_API_TOKENS";
    private static final Logger LOG = LoggerFactory.getLogger(BearerTokens.class);
    private static final int MIN_LENGTH = 16;

    private record Entry(Caller caller, byte[] token) {
    }

    private final List<Entry> entries;

    private BearerTokens(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no API token: give --tokens-file FILE (one 'NAME SCOPE TOKEN' per line) "
                    + "or set " + ENV + "; make a token with: openssl rand -hex 32");
        }
        Set<String> names = new HashSet<>();
        for (Entry e : entries) {
            if (!names.add(e.caller().name())) {
                throw new IllegalArgumentException("two API tokens are named '" + e.caller().name() + "': the name is "
                        + "what the audit shows, so each must be unique");
            }
        }
        this.entries = List.copyOf(entries);
    }

    /** Tokens in the format of the file's lines ({@code NAME SCOPE TOKEN}, or a bare token: admin). */
    public static BearerTokens of(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            entries.add(parse(line.strip().split("\\s+"), entries.size() + 1, "token " + (entries.size() + 1)));
        }
        return new BearerTokens(entries);
    }

    public static BearerTokens load(Path file, String env) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (file != null) {
            int n = 0;
            for (String line : Files.readAllLines(file)) {
                n++;
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    entries.add(parse(t.split("\\s+"), entries.size() + 1, file + " line " + n));
                }
            }
        }
        if (env != null) {
            int n = 0;
            for (String t : env.split(",")) {
                n++;
                if (!t.isBlank()) {
                    entries.add(parse(t.strip().split(":", 3), entries.size() + 1, ENV + " entry " + n));
                }
            }
        }
        return new BearerTokens(entries);
    }

    private static Entry parse(String[] fields, int index, String where) {
        String name;
        Scope scope;
        String token;
        if (fields.length == 1) {
            name = "unnamed-" + index;
            scope = Scope.ADMIN;
            token = fields[0];
            LOG.warn("{}: a token without a name and scope is an admin token named {}: write 'NAME SCOPE TOKEN' "
                    + "(scopes: read, operate, admin) so that the audit names the caller", where, name);
        } else if (fields.length == 3) {
            name = fields[0];
            try {
                scope = Scope.of(fields[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
            token = fields[2];
        } else {
            throw new IllegalArgumentException(where + ": expected 'NAME SCOPE TOKEN' (or NAME:SCOPE:TOKEN in " + ENV
                    + "), found " + fields.length + " fields");
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,62}")) {
            throw new IllegalArgumentException(where + ": a token's name is 1-63 of A-Z a-z 0-9 . _ @ -");
        }
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(where + ": the token is shorter than " + MIN_LENGTH + " characters: use "
                    + "long random tokens (openssl rand -hex 32)");
        }
        return new Entry(new Caller(name, scope), token.getBytes(StandardCharsets.UTF_8));
    }

    /** The caller whose token this is; every token is compared, so the time says nothing about which matched. */
    public Optional<Caller> identify(String presented) {
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.token(), p)) {
                found = e.caller();
            }
        }
        return Optional.ofNullable(found);
    }
}
