import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Run by connector-source's build (java HideDebeziumConnector.java IN.jar OUT.jar CLASS): a copy of one
 * of Debezium's connector jars in which CLASS, Debezium's connector, is abstract and no service file
 * names it. Tidemark's connector extends it; Connect lists only concrete classes and the classes the
 * service files name, so a worker lists Tidemark's connector from the plugin archive and not Debezium's,
 * whatever its plugin.discovery mode (docs/source.md, ShippedPluginLayoutIT).
 *
 * <p>The class file is changed in one bit, ACC_ABSTRACT in its access flags; nothing else in the jar
 * changes but the three service files left out. The only code that instantiates the connector is
 * Debezium's ComponentMetadataProvider, whose service file goes too. The copy says so in
 * META-INF/TIDEMARK-CHANGES.txt (Apache License 2.0, section 4(b)).
 */
public final class HideDebeziumConnector {

    private static final int ACC_FINAL = 0x0010;
    private static final int ACC_INTERFACE = 0x0200;
    private static final int ACC_ABSTRACT = 0x0400;

    /** The service files that name the connector, or code that instantiates it. */
    private static final Set<String> LEFT_OUT = Set.of(
            "META-INF/services/org.apache.kafka.connect.source.SourceConnector",
            "META-INF/services/org.apache.kafka.connect.sink.SinkConnector",
            "META-INF/services/io.debezium.metadata.ComponentMetadataProvider");

    private static final String CHANGES = "META-INF/TIDEMARK-CHANGES.txt";

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: HideDebeziumConnector IN.jar OUT.jar CONNECTOR_CLASS");
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String classEntry = args[2].replace('.', '/') + ".class";
        Files.createDirectories(out.toAbsolutePath().getParent());
        boolean found = false;
        long time = 0;
        try (InputStream fin = Files.newInputStream(in); ZipInputStream zin = new ZipInputStream(fin);
             OutputStream fout = Files.newOutputStream(out); ZipOutputStream zout = new ZipOutputStream(fout)) {
            for (ZipEntry entry; (entry = zin.getNextEntry()) != null; ) {
                if (LEFT_OUT.contains(entry.getName())) {
                    continue;
                }
                byte[] bytes = zin.readAllBytes();
                if (entry.getName().equals(classEntry)) {
                    bytes = abstractClass(bytes, classEntry);
                    found = true;
                }
                time = Math.max(time, entry.getTime());
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                zout.putNextEntry(copy);
                zout.write(bytes);
                zout.closeEntry();
            }
            ZipEntry note = new ZipEntry(CHANGES);
            note.setTime(time);
            zout.putNextEntry(note);
            zout.write(String.join("\n", List.of(
                    "This jar is " + in.getFileName() + " as Debezium publishes it, changed by Tidemark's build:",
                    "- " + args[2] + " is abstract (the ACC_ABSTRACT flag of its class file, nothing else),",
                    "  so that Kafka Connect lists Tidemark's connector, which extends it, and not this one;",
                    "- these service files are left out: " + String.join(", ", LEFT_OUT.stream().sorted().toList()) + ".",
                    "Debezium is licensed under the Apache License, Version 2.0 (doc/licenses/ in the plugin archive).",
                    "")).getBytes(StandardCharsets.UTF_8));
            zout.closeEntry();
        }
        if (!found) {
            Files.delete(out);
            throw new IllegalStateException(in + " holds no " + classEntry);
        }
    }

    /** The class file with ACC_ABSTRACT set: its access flags follow the constant pool. */
    static byte[] abstractClass(byte[] classFile, String name) {
        byte[] b = classFile.clone();
        if (u4(b, 0) != 0xCAFEBABEL) {
            throw new IllegalStateException(name + " is not a class file");
        }
        int count = u2(b, 8);
        int pos = 10;
        for (int i = 1; i < count; i++) {
            int tag = b[pos] & 0xff;
            switch (tag) {
                case 1 -> pos += 3 + u2(b, pos + 1);          // Utf8
                case 3, 4, 9, 10, 11, 12, 17, 18 -> pos += 5;  // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                case 5, 6 -> {                                 // Long, Double: two slots
                    pos += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> pos += 3;             // Class, String, MethodType, Module, Package
                case 15 -> pos += 4;                           // MethodHandle
                default -> throw new IllegalStateException(name + ": unknown constant pool tag " + tag + " at " + pos);
            }
        }
        int flags = u2(b, pos);
        if ((flags & (ACC_FINAL | ACC_INTERFACE)) != 0) {
            throw new IllegalStateException(name + " is final or an interface (flags 0x" + Integer.toHexString(flags) + ")");
        }
        flags |= ACC_ABSTRACT;
        b[pos] = (byte) (flags >> 8);
        b[pos + 1] = (byte) flags;
        return b;
    }

    private static int u2(byte[] b, int pos) {
        return ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
    }

    private static long u4(byte[] b, int pos) {
        return ((long) u2(b, pos) << 16) | u2(b, pos + 2);
    }
}
