package io.voiceorder.bridge.support;

import io.voiceorder.bridge.media.LegListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the media side tells the call, with the time of each callback. */
public class RecordingListener implements LegListener {
    /** One callback. */
    public record Event(String kind, String detail, long atNanos) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void onServeHangup(String endReason) {
        events.add(new Event("serveHangup", endReason, System.nanoTime()));
    }

    @Override
    public void onStreamLost(String endReason) {
        events.add(new Event("streamLost", endReason, System.nanoTime()));
    }

    @Override
    public void onRtpTimeout() {
        events.add(new Event("rtpTimeout", "", System.nanoTime()));
    }

    @Override
    public void onDtmf(char digit) {
        events.add(new Event("dtmf", String.valueOf(digit), System.nanoTime()));
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Event> of(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }
}
