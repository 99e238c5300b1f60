package io.tidemark.common.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.tidemark.common.license.LicenseException.Reason;

class LicenseKeysTest {

    private static final KeyPair PAIR = LicenseKeys.generate();

    @Test
    void publicKeyPemIsX509SubjectPublicKeyInfo() {
        String pem = LicenseKeys.toPem(PAIR.getPublic());
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("\n-----END PUBLIC KEY-----\n");
        // An Ed25519 SubjectPublicKeyInfo is 44 bytes, always starting with the same 12-byte header.
        assertThat(pem.lines().toList()).hasSize(3);
        assertThat(pem.lines().toList().get(1)).startsWith("MCowBQYDK2VwAyEA").hasSize(60);
        assertThat(LicenseKeys.parsePublicKey(pem)).isEqualTo(PAIR.getPublic());
    }

    @Test
    void privateKeyPemIsPkcs8() {
        String pem = LicenseKeys.toPem(PAIR.getPrivate());
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
        assertThat(LicenseKeys.parsePrivateKey(pem)).isEqualTo(PAIR.getPrivate());
    }

    @Test
    void publicKeyMayBeBareBase64OfItsDer() {
        byte[] der = PAIR.getPublic().getEncoded();
        assertThat(LicenseKeys.parsePublicKey(Base64.getEncoder().encodeToString(der))).isEqualTo(PAIR.getPublic());
        assertThat(LicenseKeys.parsePublicKey("  " + Base64.getUrlEncoder().withoutPadding().encodeToString(der) + "\n"))
                .isEqualTo(PAIR.getPublic());
    }

    @Test
    void publicKeyPemSurvivesNewlinesTurnedIntoSpacesOrEscapes() {
        String pem = LicenseKeys.toPem(PAIR.getPublic());
        assertThat(LicenseKeys.parsePublicKey(pem.replace('\n', ' '))).isEqualTo(PAIR.getPublic());
        assertThat(LicenseKeys.parsePublicKey(pem.replace("\n", "\\n"))).isEqualTo(PAIR.getPublic());
        assertThat(LicenseKeys.parsePublicKey(pem.replace("\n", "\r\n"))).isEqualTo(PAIR.getPublic());
        assertThat(LicenseKeys.parsePublicKey("license public key:\n" + pem + "trailing words")).isEqualTo(PAIR.getPublic());
    }

    @Test
    void aPrivateKeyWhereThePublicKeyBelongsIsRefusedPlainly() {
        String pem = LicenseKeys.toPem(PAIR.getPrivate());
        assertRefusedPublicKey(pem, "the license public key is unusable: it is a private key (PEM '-----BEGIN PRIVATE "
                + "KEY-----'). Give the public key instead (license-public.pem), and keep the private key off the "
                + "Connect workers: whoever has it can issue license keys");
        assertRefusedPublicKey(Base64.getEncoder().encodeToString(PAIR.getPrivate().getEncoded()),
                "it is a private key (the base64 of a PKCS#8 private key)");
        assertRefusedPublicKey(pem.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), "it is a private key");
    }

    @Test
    void anotherKindOfKeyIsNamed() throws Exception {
        PublicKey rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
        String rsaPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(rsa.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertRefusedPublicKey(rsaPem, "it is not an Ed25519 public key but an RSA public key; make an Ed25519 pair "
                + "with bin/tidemark license keygen");
        PublicKey ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic();
        assertRefusedPublicKey(Base64.getEncoder().encodeToString(ed448.getEncoded()), "but an Ed448 public key");
        assertThatThrownBy(() -> new LicenseVerifier(rsa))
                .isInstanceOfSatisfying(LicenseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_PUBLIC_KEY))
                .hasMessageContaining("its algorithm is RSA, not Ed25519");
    }

    @Test
    void otherPemBlocksAreNotPublicKeys() {
        assertRefusedPublicKey("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
                "PEM '-----BEGIN CERTIFICATE-----' is not a public key; expected '-----BEGIN PUBLIC KEY-----'");
        assertRefusedPublicKey(LicenseKeys.toPem(PAIR.getPublic()).replace("-----END PUBLIC KEY-----\n", ""),
                "its PEM has no matching '-----END ...-----' line (was it cut off?)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a key at all", "MCowBQYDK2VwAyEA", "%%%%"})
    void textThatIsNoKeyIsRefused(String text) {
        assertThatThrownBy(() -> LicenseKeys.parsePublicKey(text))
                .isInstanceOfSatisfying(LicenseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_PUBLIC_KEY))
                .hasMessageStartingWith("the license public key is unusable: ");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" \n "})
    void noPublicKeySaysWhereItGoes(String text) {
        assertRefusedPublicKey(text, "the license public key is unusable: none is given; give the contents of "
                + "license-public.pem (made by bin/tidemark license keygen)");
    }

    @Test
    void aFileOfSeveralPublicKeysGivesThemAllInOrderIgnoringTheTextAround() {
        PublicKey second = LicenseKeys.generate().getPublic();
        String file = "vendor keys\nold one:\n" + LicenseKeys.toPem(PAIR.getPublic()) + "\nnew one, 2027:\n"
                + LicenseKeys.toPem(second) + "the end\n";
        assertThat(LicenseKeys.parsePublicKeys(file)).containsExactly(PAIR.getPublic(), second);
    }

    @Test
    void aFileOfPublicKeysMustHoldOnlyWholePublicKeys() {
        String good = LicenseKeys.toPem(PAIR.getPublic());
        assertThatThrownBy(() -> LicenseKeys.parsePublicKeys("nothing here"))
                .isInstanceOfSatisfying(LicenseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_PUBLIC_KEY))
                .hasMessage("the license public key is unusable: it holds no PEM public key ('-----BEGIN PUBLIC KEY-----')");
        assertThatThrownBy(() -> LicenseKeys.parsePublicKeys(good + LicenseKeys.toPem(PAIR.getPrivate())))
                .hasMessageStartingWith("the license public key is unusable: PEM block 2: it is a private key");
        assertThatThrownBy(() -> LicenseKeys.parsePublicKeys(good + good.replace("-----END PUBLIC KEY-----\n", "")))
                .hasMessage("the license public key is unusable: PEM block 2 has no matching '-----END ...-----' line "
                        + "(was it cut off?)");
    }

    @Test
    void aPublicKeyWhereThePrivateKeyBelongsIsRefusedPlainly() {
        assertThatThrownBy(() -> LicenseKeys.parsePrivateKey(LicenseKeys.toPem(PAIR.getPublic())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("this is a public key; issuing a license key needs the private key (license-private.pem)");
        assertThatThrownBy(() -> LicenseKeys.parsePrivateKey("%%%"))
                .hasMessage("the private key is unusable: it is neither PEM ('-----BEGIN PRIVATE KEY-----') nor base64");
        assertThatThrownBy(() -> LicenseKeys.parsePrivateKey("not a key")) // "notakey" happens to be base64
                .hasMessage("the private key is unusable: it is not an Ed25519 private key (PKCS#8)");
        assertThatThrownBy(() -> LicenseKeys.parsePrivateKey(" "))
                .hasMessage("the private key is empty");
        assertThatThrownBy(() -> LicenseKeys.parsePrivateKey(LicenseKeys.toPem(PAIR.getPrivate()).replace("PRIVATE", "RSA PRIVATE")))
                .hasMessage("the private key is unusable: PEM '-----BEGIN RSA PRIVATE KEY-----' is not an unencrypted "
                        + "PKCS#8 private key; expected '-----BEGIN PRIVATE KEY-----'");
        assertThatThrownBy(() -> new LicenseIssuer(null))
                .hasMessage("license keys are signed with an Ed25519 private key; none is given");
    }

    @Test
    void anotherKindOfPrivateKeyIsRefused() throws Exception {
        String rsaPem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> LicenseKeys.parsePrivateKey(rsaPem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the private key is unusable: it is not an Ed25519 private key (PKCS#8)");
    }

    @Test
    void fingerprintTellsKeysApart() {
        PublicKey other = LicenseKeys.generate().getPublic();
        assertThat(LicenseKeys.fingerprint(PAIR.getPublic()))
                .matches("sha256:[0-9a-f]{16}")
                .isEqualTo(LicenseKeys.fingerprint(LicenseKeys.parsePublicKey(LicenseKeys.toPem(PAIR.getPublic()))))
                .isNotEqualTo(LicenseKeys.fingerprint(other));
    }

    private static void assertRefusedPublicKey(String text, String message) {
        assertThatThrownBy(() -> LicenseKeys.parsePublicKey(text))
                .isInstanceOfSatisfying(LicenseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_PUBLIC_KEY))
                .hasMessageContaining(message);
    }
}
