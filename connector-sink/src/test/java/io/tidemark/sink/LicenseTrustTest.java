package io.tidemark.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.common.license.LicenseIssuer;
import io.tidemark.common.license.LicenseKeys;
import io.tidemark.testkit.TestLicenses;

/**
 * Whose keys the sink trusts, through the REST validate path: the vendor's keys built into the
 * plugin (in tests, the test vendor's too), never a public key from the configuration.
 */
class LicenseTrustTest {

    private static final String PRODUCTION_VENDOR_KEY = "sha256:989b01e5cbfebea3";

    private static Map<String, String> config(String licenseKey) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "trust-sink");
        props.put("connection.url", "jdbc:postgresql://db:5432/target");
        props.put("topics", "server1.HR.ITEMS");
        props.put("project.name", "trusted");
        props.put("license.key", licenseKey);
        return props;
    }

    private static Map<String, List<String>> errors(Map<String, String> props) {
        return new PostgresSinkConnector().validate(props).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void aKeyOfTheTestVendorIsAccepted() {
        assertThat(errors(config(TestLicenses.generous("trusted")))).isEmpty();
    }

    @Test
    void aKeySignedWithAKeygenPairIsRefusedWhateverTheConfigSays() {
        var pair = LicenseKeys.generate(); // what bin/tidemark license keygen makes
        String forged = new LicenseIssuer(pair.getPrivate()).issue(new LicenseClaims("mine", "trusted", "oracle",
                "postgresql", Instant.now().minusSeconds(60), Instant.now().plusSeconds(86_400), 1L << 50));
        Map<String, String> props = config(forged);
        props.put("license.public.key", LicenseKeys.toPem(pair.getPublic()));

        Map<String, List<String>> errors = errors(props);
        assertThat(errors.get("license.key")).singleElement().asString()
                .startsWith("license.key: the license key's signature does not verify with any of the vendor's public "
                        + "keys built into Tidemark (")
                .contains(PRODUCTION_VENDOR_KEY).contains(TestLicenses.VENDOR_FINGERPRINT)
                .doesNotContain(LicenseKeys.fingerprint(pair.getPublic()))
                .contains("its key_id is 'mine'");
        assertThat(errors.get("license.public.key")).singleElement().asString()
                .startsWith("license.public.key is no longer read: license keys are verified only against the vendor's "
                        + "public keys built into the plugin");
    }

    @Test
    void licensePublicKeyIsRefusedEvenBesideAGoodKey() {
        Map<String, String> props = config(TestLicenses.generous("trusted"));
        props.put("license.public.key", "anything");
        assertThat(errors(props)).containsOnlyKeys("license.public.key");
    }
}
