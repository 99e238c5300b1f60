package io.tidemark.common.license;

import java.util.Objects;

/**
 * A license key, or a public key that checks it, was refused. {@link #reason()} says which check
 * failed, for code (status, metrics); the message says it for an operator, with what was expected
 * and what was found.
 *
 * <p>Unchecked, like Kafka Connect's own {@code ConfigException}: the sink turns it into one.
 */
public class LicenseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Which check refused the key. */
    public enum Reason {
        /** No license key at all. */
        MISSING,
        /** The key was cut off: a part, or the end of its signature, is missing. */
        TRUNCATED,
        /** The key is not a Tidemark license key, or its parts cannot be decoded. */
        MALFORMED,
        /** The key was altered after it was signed, or signed with another private key. */
        BAD_SIGNATURE,
        /** The key is for another project. */
        WRONG_PROJECT,
        /** The key is for another kind of source database. */
        WRONG_SOURCE_TYPE,
        /** The key is for another kind of target database. */
        WRONG_TARGET_TYPE,
        /** The key's validity ended. */
        EXPIRED,
        /** The key's validity has not begun. */
        NOT_YET_VALID,
        /** A public key to verify with (a vendor key file of the plugin, the CLI's {@code --public-key}) is unusable. */
        BAD_PUBLIC_KEY
    }

    private final Reason reason;

    public LicenseException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public LicenseException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** The refusal for no key at all, saying how to get one ({@code project} may be null). */
    public static LicenseException missing(String project) {
        return new LicenseException(Reason.MISSING, "no license key is configured. Ask your Tidemark vendor for one or, "
                + "if you hold the license signing key, issue one with: bin/tidemark license issue "
                + "--private-key license-private.pem --project " + (project == null || project.isBlank() ? "<project>" : project)
                + " --max-bytes <size, e.g. 500GB> --expires <YYYY-MM-DD> (see docs/license.md); "
                + "then set it as license.key in the sink connector's configuration");
    }
}
