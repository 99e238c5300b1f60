package io.tidemark.sink;

/** The plugin's version, from its jar manifest (Implementation-Version). */
public final class Version {

    private Version() {
    }

    public static String get() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}
