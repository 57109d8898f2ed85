package io.voiceorder.bridge.stream;

/** What a media stream tells its call. Called on the stream-io event loop, which carries every call: must not block. */
public interface StreamHandler {
    void onMessage(ServeMessage message);

    /**
     * The stream is over without our asking.
     * @param clean true when serve closed it normally (close 1000, or its {@code stop})
     * @param reason for the log: close code, error, oversize, not draining
     */
    void onEnded(boolean clean, String reason);
}
