package io.voiceorder.bridge.registrar;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Qualify results per device user (bridge.md §5.2): reachable until {@link #MAX_MISSES} OPTIONS in a row go unanswered. */
public final class DeviceReachability {
    public static final int MAX_MISSES = 3;

    private final Map<String, Integer> misses = new ConcurrentHashMap<>();

    public void answered(String user) {
        misses.put(user, 0);
    }

    public void missed(String user) {
        misses.merge(user, 1, Integer::sum);
    }

    public boolean reachable(String user) {
        return misses.getOrDefault(user, 0) < MAX_MISSES;
    }

    public void forget(String user) {
        misses.remove(user);
    }
}
