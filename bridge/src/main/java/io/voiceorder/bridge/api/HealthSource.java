package io.voiceorder.bridge.api;

import java.util.Map;

/** The state /health reports, gathered by the running bridge (no caller data, no secret). */
public interface HealthSource {
    /** The §3.3 object, in order. */
    Map<String, Object> health();

    boolean shuttingDown();
}
