package io.voiceorder.app.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the caller has actually heard, byte for byte. Every chunk sent to the caller side is
 * followed by its own mark; the caller side echoes a mark once the audio before it has played, so
 * the echoed marks tell exactly how much of each assistant item was heard (8 bytes = 1 ms).
 * Owned by one call and used only from its serial executor.
 */
final class PlayoutLedger {

    private static final class Entry {
        final String markName;
        final String itemId;
        final int audioBytes;
        boolean discarded;

        Entry(String markName, String itemId, int audioBytes) {
            this.markName = markName;
            this.itemId = itemId;
            this.audioBytes = audioBytes;
        }
    }

    /** Audio accounting of one assistant item. */
    static final class ItemAudio {
        final String itemId;
        final String responseId;
        long receivedBytes;
        long sentBytes;
        long playedBytes;

        ItemAudio(String itemId, String responseId) {
            this.itemId = itemId;
            this.responseId = responseId;
        }

        /** Heard position in ms, never beyond what the model produced. */
        long heardMs() {
            return Math.min(playedBytes, receivedBytes) / 8;
        }
    }

    private final Deque<Entry> fifo = new ArrayDeque<>();
    private final Map<String, ItemAudio> items = new LinkedHashMap<>();
    private int liveEntries;

    ItemAudio item(String itemId, String responseId) {
        return items.computeIfAbsent(itemId, id -> new ItemAudio(id, responseId));
    }

    ItemAudio find(String itemId) {
        return items.get(itemId);
    }

    void received(ItemAudio item, int bytes) {
        item.receivedBytes += bytes;
    }

    void sent(String markName, ItemAudio item, int audioBytes) {
        fifo.addLast(new Entry(markName, item == null ? null : item.itemId, audioBytes));
        liveEntries++;
        if (item != null) {
            item.sentBytes += audioBytes;
        }
    }

    /**
     * A mark came back: everything up to and including it has been played.
     *
     * @return false for a name the ledger does not hold (nothing changes)
     */
    boolean markEchoed(String name) {
        if (!holds(name)) {
            return false;
        }
        while (!fifo.isEmpty()) {
            Entry e = fifo.removeFirst();
            if (!e.discarded) {
                liveEntries--;
                ItemAudio item = e.itemId == null ? null : items.get(e.itemId);
                if (item != null) {
                    item.playedBytes += e.audioBytes;
                }
            }
            if (e.markName.equals(name)) {
                return true;
            }
        }
        return true;
    }

    /** Marks come back in the order sent, so the oldest entry is almost always the one named. */
    private boolean holds(String name) {
        for (Entry e : fifo) {
            if (e.markName.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** True while sent audio waits to be played (not counting audio already discarded). */
    boolean hasUnplayed() {
        return liveEntries > 0;
    }

    /** True once every sent chunk has been echoed (or flushed by a clear). */
    boolean isDrained() {
        return fifo.isEmpty();
    }

    /** Items with audio sent but not yet heard, oldest first. */
    List<ItemAudio> itemsWithUnplayedAudio() {
        List<ItemAudio> result = new ArrayList<>();
        for (Entry e : fifo) {
            if (!e.discarded && e.itemId != null) {
                ItemAudio item = items.get(e.itemId);
                if (item != null && !result.contains(item)) {
                    result.add(item);
                }
            }
        }
        return result;
    }

    /**
     * A {@code clear} was sent: the caller side will echo every pending mark at once, and those
     * echoes are not playback. Returns the number of audio bytes that will never be heard.
     */
    long discardUnplayed() {
        long bytes = 0;
        for (Entry e : fifo) {
            if (!e.discarded) {
                e.discarded = true;
                bytes += e.audioBytes;
            }
        }
        liveEntries = 0;
        return bytes;
    }
}
