package io.tidemark.sink.license;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.common.license.LicenseException;
import io.tidemark.common.license.LicenseVerifier;
import io.tidemark.sink.apply.ConnectionFactory;
import io.tidemark.sink.config.PostgresSinkConfig;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.errors.SqlErrors;

/** Builds the license checks from the sink's configuration, and the check a connector passes to start. */
public final class LicenseSetup {

    private static final Logger LOG = LoggerFactory.getLogger(LicenseSetup.class);

    private LicenseSetup() {
    }

    /**
     * The verifier the sink checks keys with: the vendor's public keys built into the plugin
     * (found through the plugin's own class loader), never a key from the configuration.
     *
     * @throws ConnectException when the plugin carries no usable vendor key: it is packaged wrongly
     */
    public static LicenseVerifier verifier() {
        try {
            return LicenseVerifier.builtIn(LicenseSetup.class.getClassLoader());
        } catch (LicenseException e) {
            throw new ConnectException("Tidemark cannot check license keys: " + e.getMessage(), e);
        }
    }

    public static LicenseKeyring keyring(PostgresSinkConfig config, String connectorName) {
        return new LicenseKeyring(verifier(), config.projectName(connectorName), config.sourceType(),
                LicenseClaims.POSTGRESQL);
    }

    public static LicenseMeter meter(PostgresSinkConfig config, String connectorName, ControlSchema control) {
        return new LicenseMeter(keyring(config, connectorName), config.licenseKey(), config.projectName(connectorName),
                config.licenseWarnThreshold(), control, Clock.systemUTC());
    }

    /**
     * The check before a connector starts: some key (configured, or installed in the control
     * schema) must verify and be for this project, source and target. An expired key passes here:
     * the tasks start and wait, as they do when a key expires while they run.
     *
     * @throws ConnectException saying which check failed for each key, or how to get one
     */
    public static void requireUsableKey(PostgresSinkConfig config, String connectorName) {
        String project = config.projectName(connectorName);
        LicenseKeyring keyring = keyring(config, connectorName);
        ControlSchema control = new ControlSchema(config.controlSchema());
        LicenseMeter meter = new LicenseMeter(keyring, config.licenseKey(), project, config.licenseWarnThreshold(),
                control, Clock.systemUTC());
        LicenseKeyring.Choice choice;
        try (Connection connection = ConnectionFactory.of(config, "tidemark-sink " + connectorName + " license").open()) {
            control.ensure(connection);
            choice = meter.refresh(connection);
            connection.commit();
        } catch (SQLException e) {
            // Without the database, only the configured key can be judged.
            LOG.warn("Cannot read license keys from the control schema ({}); judging license.key alone",
                    SqlErrors.describe(e));
            List<LicenseKeyring.Candidate> candidates = new ArrayList<>();
            if (config.licenseKey() != null) {
                candidates.add(new LicenseKeyring.Candidate("license.key", config.licenseKey()));
            }
            choice = keyring.choose(candidates, Clock.systemUTC().instant());
        }
        if (choice.chosen() == null) {
            String why = choice.refusals().isEmpty()
                    ? LicenseException.missing(project).getMessage() + ", or install it with INSERT INTO "
                    + control.table("license_key") + " (project, license_key) VALUES ('" + project + "', '<key>')"
                    : "no license key is usable: " + choice.explanation();
            throw new ConnectException("Tidemark sink " + connectorName + " cannot start: " + why);
        }
        if (!choice.validAt(Clock.systemUTC().instant())) {
            LOG.warn("The license key {} is not valid now ({}); the tasks will start and wait for a valid key",
                    choice.chosen().keyId(), choice.explanation());
        }
    }
}
