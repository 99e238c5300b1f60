package io.tidemark.control.project;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets in project descriptors are references, never values: {@code ${env:NAME}} (an environment
 * variable), {@code ${file:PATH}} (a whole file, trimmed) or {@code ${file:PATH:KEY}} (a key of a
 * properties file, as Kafka's FileConfigProvider reads it). Descriptors can then live in Git.
 */
public final class Secrets {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]*)}");

    private final Map<String, String> env;

    public Secrets(Map<String, String> env) {
        this.env = env;
    }

    public static Secrets fromEnvironment() {
        return new Secrets(System.getenv());
    }

    /** Whether the text holds a reference of another provider, which only a Connect worker resolves. */
    public static boolean hasForeignReference(String value) {
        return value != null && value.contains("${") && !REFERENCE.matcher(value).find();
    }

    /**
     * @param what names the setting in the error, e.g. {@code targetDatabase.password of project erp}
     * @throws ProjectException when a reference cannot be resolved, saying which and why
     */
    public String resolve(String value, String what, Path baseDir) {
        if (value == null) {
            return null;
        }
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(lookup(m.group(1), m.group(2), what, baseDir)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String lookup(String provider, String argument, String what, Path baseDir) {
        if (provider.equals("env")) {
            String v = env.get(argument);
            if (v == null) {
                throw new ProjectException(what + ": environment variable " + argument + " is not set: export it "
                        + "before starting the control API");
            }
            return v;
        }
        // ${file:PATH} or ${file:PATH:KEY}; a Windows drive letter is not expected here.
        int colon = argument.lastIndexOf(':');
        String file = colon > 0 ? argument.substring(0, colon) : argument;
        String key = colon > 0 ? argument.substring(colon + 1) : null;
        Path path = baseDir.resolve(file);
        try {
            if (key == null) {
                return Files.readString(path).strip();
            }
            Properties props = new Properties();
            try (Reader r = Files.newBufferedReader(path)) {
                props.load(r);
            }
            String v = props.getProperty(key);
            if (v == null) {
                throw new ProjectException(what + ": " + path + " has no key " + key);
            }
            return v;
        } catch (IOException e) {
            throw new ProjectException(what + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
