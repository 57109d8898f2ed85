package io.voiceorder.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The product version, written into {@code voiceorder-version.properties} by the build. */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/voiceorder-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
