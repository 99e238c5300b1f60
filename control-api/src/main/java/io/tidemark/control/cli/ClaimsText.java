package io.tidemark.control.cli;

import java.io.PrintWriter;

import io.tidemark.common.license.LicenseClaims;

/** License claims for people: one per line, named as in the key, values aligned. */
final class ClaimsText {

    private ClaimsText() {
    }

    static void print(PrintWriter out, LicenseClaims claims) {
        line(out, LicenseClaims.KEY_ID, claims.keyId());
        line(out, LicenseClaims.PROJECT, claims.project());
        line(out, LicenseClaims.SOURCE_TYPE, claims.sourceType());
        line(out, LicenseClaims.TARGET_TYPE, claims.targetType());
        line(out, LicenseClaims.ISSUED, claims.issued().toString());
        line(out, LicenseClaims.EXPIRES, claims.expires().toString());
        line(out, LicenseClaims.MAX_BYTES, claims.maxBytes() + " (" + DataSize.format(claims.maxBytes()) + ")");
    }

    static void line(PrintWriter out, String name, String value) {
        out.printf("%-12s %s%n", name + ":", value);
    }
}
