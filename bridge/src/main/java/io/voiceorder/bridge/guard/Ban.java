package io.voiceorder.bridge.guard;

import java.time.Instant;

/** One source IP's ban: why, and until when (bridge.md §9.2). */
public record Ban(String source, BanReason reason, Instant until) {
}
