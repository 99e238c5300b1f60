package io.tidemark.control.project;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Secrets in project descriptors are references, never values, resolved by Kafka's own config
 * providers through {@link ConfigTransformer}, so that a reference means here what it means in every
 * connector and worker file: {@code ${file:PATH:KEY}} (a key of a properties file), {@code
 * ${directory:DIR:FILE}} (a file's content), {@code ${env:NAME}}, and any provider the descriptor
 * names in {@code configProviders} (a class on the class path, as a worker's {@code config.providers}).
 * A relative path is relative to the working directory, as for Kafka.
 */
public final class Secrets {

    /** Kafka's syntax: {@code ${provider:[path:]key}}. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*?):(([^}]*?):)?([^}]*?)}");

    private final Map<String, String> env;

    public Secrets(Map<String, String> env) {
        this.env = env;
    }

    public static Secrets fromEnvironment() {
        return new Secrets(System.getenv());
    }

    /** A provider the descriptor adds: its class and the settings it is configured with. */
    public record ProviderSpec(String className, Map<String, String> params) {
    }

    /** The references of one descriptor: the built-in providers plus those it names. */
    public Resolver resolver(Map<String, ProviderSpec> extra, String where) {
        Map<String, ConfigProvider> providers = new LinkedHashMap<>();
        providers.put("file", configured(new FileConfigProvider(), Map.of()));
        providers.put("directory", configured(new DirectoryConfigProvider(), Map.of()));
        providers.put("env", configured(new EnvVarConfigProvider(env), Map.of()));
        extra.forEach((name, spec) -> providers.put(name, load(name, spec, where)));
        return new Resolver(providers);
    }

    private static ConfigProvider configured(ConfigProvider p, Map<String, String> params) {
        p.configure(params);
        return p;
    }

    private static ConfigProvider load(String name, ProviderSpec spec, String where) {
        String key = where + ": configProviders." + name + ".class";
        Object instance;
        try {
            Class<?> c = Class.forName(spec.className(), true, Thread.currentThread().getContextClassLoader());
            instance = c.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new ProjectException(key + " " + spec.className() + " is not on the class path: put its jar into the "
                    + "control API's lib directory (control-api/target/lib, or the image's /opt/tidemark/lib)");
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ProjectException(key + " " + spec.className() + " cannot be made (" + e.getClass().getSimpleName()
                    + "): a config provider needs a public constructor without arguments");
        }
        if (!(instance instanceof ConfigProvider provider)) {
            throw new ProjectException(key + " " + spec.className() + " is not an "
                    + ConfigProvider.class.getName());
        }
        try {
            return configured(provider, spec.params());
        } catch (RuntimeException e) {
            throw new ProjectException(where + ": configProviders." + name + " refused its params: " + e.getMessage());
        }
    }

    /** Resolves the references of one descriptor. */
    public static final class Resolver {

        private final Map<String, ConfigProvider> providers;
        private final ConfigTransformer transformer;

        Resolver(Map<String, ConfigProvider> providers) {
            this.providers = providers;
            this.transformer = new ConfigTransformer(providers);
        }

        /** Whether the text refers to a provider this host does not have: only a Connect worker resolves it. */
        public boolean hasForeignReference(String value) {
            if (value == null) {
                return false;
            }
            Matcher m = REFERENCE.matcher(value);
            while (m.find()) {
                if (!providers.containsKey(m.group(1))) {
                    return true;
                }
            }
            return false;
        }

        /**
         * @param what names the setting in the error, e.g. {@code targetDatabase.password of project erp}
         * @throws ProjectException when a reference cannot be resolved, naming the setting and the reference
         *                          (never a value)
         */
        public String resolve(String value, String what) {
            if (value == null || !value.contains("${")) {
                return value;
            }
            String resolved;
            try {
                Map<String, String> one = new HashMap<>();
                one.put(what, value);
                resolved = transformer.transform(one).data().get(what);
            } catch (ConfigException e) {
                throw new ProjectException(what + ": " + e.getMessage());
            }
            Set<String> unresolved = new LinkedHashSet<>();
            Matcher m = REFERENCE.matcher(resolved);
            while (m.find()) {
                if (providers.containsKey(m.group(1))) {
                    unresolved.add(m.group());
                }
            }
            if (!unresolved.isEmpty()) {
                throw new ProjectException(what + ": " + String.join(", ", unresolved) + " does not resolve: "
                        + hint(unresolved.iterator().next()));
            }
            return resolved;
        }

        private static String hint(String reference) {
            if (reference.startsWith("${env:")) {
                return "environment variable " + reference.substring(6, reference.length() - 1) + " is not set: export "
                        + "it before starting the control API";
            }
            if (reference.startsWith("${file:")) {
                return "${file:PATH:KEY} reads KEY of the properties file PATH (Kafka's FileConfigProvider; a relative "
                        + "PATH is relative to the working directory): check both; a whole file's content is "
                        + "${directory:DIR:FILE}";
            }
            if (reference.startsWith("${directory:")) {
                return "${directory:DIR:FILE} reads the file FILE in the directory DIR: check both";
            }
            return "the provider has no such key";
        }
    }
}
