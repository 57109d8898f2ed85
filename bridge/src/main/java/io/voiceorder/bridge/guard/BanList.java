package io.voiceorder.bridge.guard;

import java.util.List;

/** The bans in force: at most a bounded number of them listed, most recent first, and how many there are. */
public record BanList(List<Ban> listed, int total) {
    public BanList {
        listed = List.copyOf(listed);
    }
}
