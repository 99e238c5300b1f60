package io.tidemark.quickstart.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.tidemark.quickstart.QuickstartException;

/**
 * The worker's plugin.path, made as docs/sink.md and docs/source.md tell a user to: each
 * plugin's component ZIP unzipped into it, and for an Oracle source Oracle's JDBC driver added
 * to the source plugin's own {@code lib/} (docs/oracle.md).
 */
public final class Plugins {

    private Plugins() {
    }

    /** Unzips every {@code *.zip} of {@code zips} into {@code pluginPath}; returns the plugin directories. */
    public static List<Path> unzip(Path zips, Path pluginPath) {
        try (Stream<Path> files = Files.list(zips)) {
            List<Path> archives = files.filter(f -> f.toString().endsWith(".zip")).sorted().toList();
            if (archives.isEmpty()) {
                throw new QuickstartException("no plugin ZIP in " + zips + ": run bin/tidemark quickstart, which builds them");
            }
            for (Path zip : archives) {
                unzipOne(zip, pluginPath);
            }
            try (Stream<Path> dirs = Files.list(pluginPath)) {
                return dirs.filter(Files::isDirectory).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void unzipOne(Path zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException(zip + " holds an entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Copies Oracle's JDBC driver into the source plugin's {@code lib/}. */
    public static void addOracleDriver(Path pluginPath, Path oracleJdbc) {
        try (Stream<Path> dirs = Files.list(pluginPath); Stream<Path> jars = Files.list(oracleJdbc)) {
            Path lib = dirs.filter(d -> d.getFileName().toString().startsWith("tidemark-connector-source-"))
                    .findFirst().orElseThrow(() -> new QuickstartException("no source plugin in " + pluginPath))
                    .resolve("lib");
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                try (InputStream source = Files.newInputStream(jar)) {
                    Files.copy(source, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
