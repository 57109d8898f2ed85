package io.voiceorder.app.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The call's transcript in conversation order. A caller line gets its place when its audio is
 * committed (after {@code previous_item_id}) and its text when transcription completes, which may be
 * after the assistant has already answered; an assistant line gets its place when its item is added.
 * Lines never filled (empty transcription, failure) are left out. Owned by the call's serial executor.
 */
final class Transcript {

    /** One line of the call record's transcript. {@code heardMs} is set only on lines cut by a barge-in. */
    record Line(String role, String content, Instant timestamp, boolean interrupted, Long heardMs, double heardFraction) {
    }

    private static final class Slot {
        final String itemId;
        final String role;
        final Instant timestamp;
        String content;
        boolean dropped;
        boolean interrupted;
        Long heardMs;
        double heardFraction = 1;

        Slot(String itemId, String role, Instant timestamp) {
            this.itemId = itemId;
            this.role = role;
            this.timestamp = timestamp;
        }
    }

    private final List<Slot> slots = new ArrayList<>();

    /** The caller's audio item was committed: reserve its place after {@code previousItemId}. */
    void callerCommitted(String itemId, String previousItemId, Instant at) {
        if (find(itemId) != null) {
            return;
        }
        Slot slot = new Slot(itemId, "user", at);
        int after = previousItemId == null ? -1 : indexOf(previousItemId);
        if (after >= 0) {
            slots.add(after + 1, slot);
        } else {
            slots.add(slot);
        }
    }

    /** The caller's words for a committed item; blank text drops the line. */
    void callerTranscribed(String itemId, String text, Instant at) {
        Slot slot = find(itemId);
        if (slot == null) {
            slot = new Slot(itemId, "user", at);
            slots.add(slot);
        }
        if (text == null || text.isBlank()) {
            slot.dropped = true;
        } else {
            slot.content = text.strip();
        }
    }

    void callerTranscriptionFailed(String itemId) {
        Slot slot = find(itemId);
        if (slot != null) {
            slot.dropped = true;
        }
    }

    /** A line that was not spoken audio, e.g. {@code [DTMF 12#]}. */
    void callerLine(String text, Instant at) {
        Slot slot = new Slot(null, "user", at);
        slot.content = text;
        slots.add(slot);
    }

    void assistantItem(String itemId, Instant at) {
        if (find(itemId) == null) {
            slots.add(new Slot(itemId, "assistant", at));
        }
    }

    void assistantTranscribed(String itemId, String text, Instant at) {
        Slot slot = find(itemId);
        if (slot == null) {
            slot = new Slot(itemId, "assistant", at);
            slots.add(slot);
        }
        if (text == null || text.isBlank()) {
            slot.dropped = true;
        } else {
            slot.content = text.strip();
        }
    }

    /** A barge-in cut this assistant item after {@code heardMs} of it had played, {@code fraction} of what was generated. */
    void interrupted(String itemId, long heardMs, double fraction) {
        Slot slot = find(itemId);
        if (slot != null) {
            slot.interrupted = true;
            slot.heardMs = heardMs;
            slot.heardFraction = Math.max(0, Math.min(1, fraction));
        }
    }

    /** True once the caller said at least one transcribed sentence (or pressed keys). */
    boolean callerSpoke() {
        for (Slot s : slots) {
            if ("user".equals(s.role) && s.content != null && !s.dropped) {
                return true;
            }
        }
        return false;
    }

    List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        for (Slot s : slots) {
            if (s.content != null && !s.dropped) {
                lines.add(new Line(s.role, s.content, s.timestamp, s.interrupted, s.heardMs, s.heardFraction));
            }
        }
        return lines;
    }

    private int indexOf(String itemId) {
        for (int i = 0; i < slots.size(); i++) {
            if (itemId.equals(slots.get(i).itemId)) {
                return i;
            }
        }
        return -1;
    }

    private Slot find(String itemId) {
        int i = itemId == null ? -1 : indexOf(itemId);
        return i < 0 ? null : slots.get(i);
    }
}
