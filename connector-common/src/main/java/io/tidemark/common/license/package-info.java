/**
 * License keys: what the vendor's CLI issues and the sink checks, offline, before it applies rows.
 *
 * <p>A key is {@code tmk1.<base64url(claims JSON)>.<base64url(Ed25519 signature)>}
 * ({@link io.tidemark.common.license.LicenseToken}); its claims are
 * {@link io.tidemark.common.license.LicenseClaims}. The sink verifies keys only against the
 * vendor's public keys built into the plugin ({@link io.tidemark.common.license.VendorKeys},
 * {@link io.tidemark.common.license.LicenseVerifier#builtIn()}) and calls {@code check}; every
 * refusal is a {@link io.tidemark.common.license.LicenseException} naming the failed check.
 * {@link io.tidemark.common.license.LicenseKeys} and
 * {@link io.tidemark.common.license.LicenseIssuer} serve the CLI. JDK only, like the rest of
 * this module.
 */
package io.tidemark.common.license;
