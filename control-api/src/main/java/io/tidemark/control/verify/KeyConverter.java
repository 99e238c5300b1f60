package io.tidemark.control.verify;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.Converter;

/**
 * The sink connector's key converter outside Connect: its {@code key.converter} class with its
 * {@code key.converter.*} settings (JSON when the connector names none, as Connect's own default),
 * and a key read as the values of the key's columns, as text a SQL cast takes. A converter class not
 * on the control API's class path (Apicurio's) is loaded from the jars in {@code tidemark.converter.path}
 * (system property) or {@code TIDEMARK_CONVERTER_PATH}, the converter's plugin directory.
 */
final class KeyConverter {

    static final String PATH_PROPERTY = "tidemark.converter.path";

    private Converter converter;
    private final boolean json;

    private KeyConverter(Converter converter, boolean json) {
        this.converter = converter;
        this.json = json;
    }

    static KeyConverter of(Map<String, String> sinkConfig) {
        String className = sinkConfig.getOrDefault("key.converter", JsonConverter.class.getName());
        Map<String, String> settings = new HashMap<>();
        sinkConfig.forEach((k, v) -> {
            if (k.startsWith("key.converter.")) {
                settings.put(k.substring("key.converter.".length()), v);
            }
        });
        Converter c = instantiate(className);
        c.configure(settings, true);
        return new KeyConverter(c, c instanceof JsonConverter && !settings.containsKey("schemas.enable"));
    }

    /** The key's column values in the order of {@code fields}, each as text. */
    List<String> values(String topic, byte[] key, List<String> fields) {
        Object value;
        try {
            value = converter.toConnectData(topic, key).value();
        } catch (DataException e) {
            if (!json) {
                throw e;
            }
            // The worker's default may be schemaless JSON where the connector says nothing: read it so.
            JsonConverter schemaless = new JsonConverter();
            schemaless.configure(Map.of("schemas.enable", "false"), true);
            converter = schemaless;
            value = converter.toConnectData(topic, key).value();
        }
        List<String> out = new ArrayList<>(fields.size());
        for (String f : fields) {
            out.add(text(f, field(value, f)));
        }
        return out;
    }

    private static Object field(Object key, String name) {
        if (key instanceof Struct s) {
            for (Field f : s.schema().fields()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return s.get(f);
                }
            }
        } else if (key instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (String.valueOf(e.getKey()).equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
        }
        throw new DataException("the record key " + key + " has no field " + name);
    }

    /** A key value as text: numbers plain (Debezium's variable-scale decimal too), text and booleans as they are. */
    static String text(String field, Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Number || v instanceof String || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Struct s && s.schema().field("scale") != null && s.schema().field("value") != null) {
            return new BigDecimal(new BigInteger(s.getBytes("value")), s.getInt32("scale")).toPlainString();
        }
        if (v instanceof Map<?, ?> m && m.get("scale") instanceof Number scale && m.get("value") instanceof String b64) {
            return new BigDecimal(new BigInteger(java.util.Base64.getDecoder().decode(b64)), scale.intValue())
                    .toPlainString();
        }
        throw new DataException("the key column " + field + " holds " + (v == null ? "null" : "a "
                + v.getClass().getSimpleName().toLowerCase(Locale.ROOT)) + " in the topic, which --changed-since cannot"
                + " look up by");
    }

    private static Converter instantiate(String className) {
        try {
            return (Converter) Class.forName(className, true, loader()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new DataException("the sink's key.converter " + className + " cannot be loaded here (" + e
                    + "): put its jars in a directory named by " + PATH_PROPERTY + " or TIDEMARK_CONVERTER_PATH");
        }
    }

    private static ClassLoader loader() {
        String dir = System.getProperty(PATH_PROPERTY, System.getenv("TIDEMARK_CONVERTER_PATH"));
        ClassLoader parent = KeyConverter.class.getClassLoader();
        if (dir == null || dir.isBlank()) {
            return parent;
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of(dir))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                jars.add(p.toUri().toURL());
            }
        } catch (java.io.IOException e) {
            throw new DataException("the converter path " + dir + " cannot be read: " + e.getMessage());
        }
        return new URLClassLoader(jars.toArray(URL[]::new), parent);
    }
}
