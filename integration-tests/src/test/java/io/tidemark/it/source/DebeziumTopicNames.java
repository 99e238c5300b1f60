package io.tidemark.it.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The topic names Debezium gives the change events of a table: its own
 * {@code io.debezium.schema.SchemaTopicNamingStrategy}, loaded from the source plugin under test
 * (Debezium is not on the tests' classpath: the worker loads it from plugin.path). Debezium replaces
 * characters Kafka refuses in a topic name, such as the {@code #} of Oracle's {@code C##} users.
 */
final class DebeziumTopicNames {

    private final Object strategy;
    private final Method dataChangeTopic;
    private final Constructor<?> tableId;

    /** @param prefix the connector's {@code topic.prefix} */
    DebeziumTopicNames(String prefix) {
        ClassLoader plugin = pluginClassLoader();
        try {
            Properties props = new Properties();
            props.put("topic.prefix", prefix);
            Class<?> strategyClass = plugin.loadClass("io.debezium.schema.SchemaTopicNamingStrategy");
            strategy = strategyClass.getConstructor(Properties.class).newInstance(props);
            dataChangeTopic = strategyClass.getMethod("dataChangeTopic", plugin.loadClass("io.debezium.spi.schema.DataCollectionId"));
            tableId = plugin.loadClass("io.debezium.relational.TableId").getConstructor(String.class, String.class, String.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load Debezium's topic naming from the source plugin: " + e, e);
        }
    }

    /** The topic of {@code catalog.schema.table} (Oracle: the PDB, the owner and the table, as stored). */
    String topic(String catalog, String schema, String table) {
        try {
            return (String) dataChangeTopic.invoke(strategy, tableId.newInstance(catalog, schema, table));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Debezium's topic naming failed for " + schema + "." + table + ": " + e, e);
        }
    }

    private static ClassLoader pluginClassLoader() {
        Path plugins = Path.of(System.getProperty("tidemark.oracle.plugin.path", "target/oracle-plugins"));
        try (Stream<Path> files = Files.walk(plugins)) {
            List<URL> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> p.toString().contains("tidemark-connector-source-")).map(DebeziumTopicNames::url).toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException("no source plugin under " + plugins + ": run the integration-tests build");
            }
            return new URLClassLoader(jars.toArray(URL[]::new), DebeziumTopicNames.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
