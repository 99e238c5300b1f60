package io.tidemark.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schemas of the tests' stand-in for a schema registry (no registry server can run on the
 * build machines): schema text by id, one id per distinct text, ids from 1, for the life of the JVM.
 * {@code io.tidemark.testkit.avro.InMemorySchemaResolver} registers and looks up through it.
 *
 * <p>Every converter of the JVM must see the same ids, the test's own and those a Connect worker
 * loads from the converter's plugin directory, in a class loader of their own. So this class uses
 * JDK types only and stays on the application class path, out of the plugin directory: a plugin
 * class loader finds it nowhere in the plugin and asks its parent, and all share this one copy.
 */
public final class InMemorySchemaRegistry {

    private static final Map<String, Integer> IDS = new HashMap<>();
    private static final List<String> SCHEMAS = new ArrayList<>();

    private InMemorySchemaRegistry() {
    }

    /** The id of this schema text, registered now if it is new. */
    public static synchronized int register(String schema) {
        return IDS.computeIfAbsent(schema, s -> {
            SCHEMAS.add(s);
            return SCHEMAS.size();
        });
    }

    /** The schema text of an id. */
    public static synchronized String schema(int id) {
        if (id < 1 || id > SCHEMAS.size()) {
            throw new IllegalArgumentException("no schema with id " + id + " in the in-memory registry (" + SCHEMAS.size()
                    + " schemas): the record was written by a converter of another JVM or registry; this one only "
                    + "knows what converters of this JVM registered");
        }
        return SCHEMAS.get(id - 1);
    }

    /** How many schemas are registered. */
    public static synchronized int size() {
        return SCHEMAS.size();
    }
}
