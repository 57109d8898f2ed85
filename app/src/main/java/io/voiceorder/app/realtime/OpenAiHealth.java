package io.voiceorder.app.realtime;

import jakarta.inject.Singleton;

/** The outcome of the last attempt to open an OpenAI session, for {@code /health}. */
@Singleton
public final class OpenAiHealth {
    private volatile Boolean lastSessionOk;
    private volatile String lastError;

    public void succeeded() {
        lastSessionOk = Boolean.TRUE;
        lastError = null;
    }

    /** @param reason a code such as {@code http_401}, never a message */
    public void failed(String reason) {
        lastSessionOk = Boolean.FALSE;
        lastError = reason;
    }

    /** Null until the first call. */
    public Boolean lastSessionOk() {
        return lastSessionOk;
    }

    public String lastError() {
        return lastError;
    }
}
