package io.voiceorder.bridge.callback;

/** Callback outcomes for metrics: {@code kind} status|incoming, {@code result} ok|retry|failed. */
public interface CallbackEvents {
    void onCallback(String kind, String result);

    CallbackEvents NONE = (kind, result) -> { };
}
