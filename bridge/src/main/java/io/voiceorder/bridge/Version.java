package io.voiceorder.bridge;

/** The bridge's version, from its jar's manifest when packaged. */
public final class Version {
    private Version() {
    }

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "1.0.0" : v;
    }
}
