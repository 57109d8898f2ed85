package io.voiceorder.bridge.config;

/** {@code HOST[:PORT]} as given on the command line, with the port defaulted. */
public record HostPort(String host, int port) {

    /** @return null when {@code text} is not {@code HOST[:PORT]} with a port in 1..65535 */
    static HostPort parse(String text, int defaultPort) {
        String t = text.trim();
        if (t.isEmpty() || t.contains("/") || t.contains("@") || t.contains(" ")) {
            return null;
        }
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            return new HostPort(t, defaultPort);
        }
        try {
            int port = Integer.parseInt(t.substring(colon + 1));
            String host = t.substring(0, colon);
            return port < 1 || port > 65535 || host.isEmpty() ? null : new HostPort(host, port);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
