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
import io.tidemark.sink.config.PostgresSinkConfig;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.flush.ConnectionFactory;

/** Builds the license checks from the sink's configuration, and the check a connector passes to start. */
public final class LicenseSetup {

    private static final Logger LOG = LoggerFactory.getLogger(LicenseSetup.class);

    private LicenseSetup() {
    }

    /**
     * The verifier the sink checks keys with: the vendor's public keys built into the plugin
     * (read from connector-common's own jar, not from whatever the class path holds), never a key
     * from the configuration.
     *
     * @throws ConnectException when the plugin carries no usable vendor key: it is packaged wrongly
     */
    public static LicenseVerifier verifier() {
        try {
            return LicenseVerifier.builtIn();
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
                connectorName, config.licenseWarnThreshold(), control, Clock.systemUTC());
    }

    /**
     * The check before a connector starts. Some key offered (configured, or installed in the
     * control schema) must verify and be for this project, source and target; with no key offered
     * at all the connector starts on the trial allowance, and says so. An expired key passes here:
     * the tasks start and wait, as they do when a key expires while they run. Makes the project's
     * usage row, if it has none, before any task flushes.
     *
     * @throws ConnectException when every key offered is refused, saying which check failed for each
     */
    public static void checkBeforeStart(PostgresSinkConfig config, String connectorName) {
        ControlSchema control = new ControlSchema(config.controlSchema());
        LicenseMeter meter = meter(config, connectorName, control);
        LicenseKeyring.Choice choice;
        try (Connection connection = ConnectionFactory.of(config, "tidemark-sink " + connectorName + " license").open()) {
            control.ensure(connection);
            meter.prepare(connection);
            choice = meter.choice();
        } catch (SQLException e) {
            // Without the database, only the configured key can be judged.
            LOG.warn("Cannot read license keys from the control schema ({}); judging license.key alone",
                    SqlErrors.describe(e));
            List<LicenseKeyring.Candidate> candidates = new ArrayList<>();
            if (config.licenseKey() != null) {
                candidates.add(new LicenseKeyring.Candidate("license.key", config.licenseKey()));
            }
            choice = keyring(config, connectorName).choose(candidates, Clock.systemUTC().instant());
        }
        if (choice.onTrial()) {
            return; // the meter says so at WARN, with how to install a key (the task's, if the database was out of reach)
        }
        if (choice.chosen() == null) {
            throw new ConnectException("Tidemark sink " + connectorName + " cannot start: no license key is usable: "
                    + choice.explanation());
        } else if (!choice.validAt(Clock.systemUTC().instant())) {
            LOG.warn("The license key {} is not valid now ({}); the tasks will start and wait for a valid key",
                    choice.chosen().keyId(), choice.explanation());
        }
    }
}
