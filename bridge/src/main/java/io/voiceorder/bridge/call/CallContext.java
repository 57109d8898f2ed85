package io.voiceorder.bridge.call;

import io.voiceorder.bridge.callback.IncomingCallback;
import io.voiceorder.bridge.callback.StatusCallbacks;
import io.voiceorder.bridge.config.BridgeConfig;
import io.voiceorder.bridge.media.MediaEngine;
import io.voiceorder.bridge.metrics.BridgeMetrics;
import io.voiceorder.bridge.sip.DigestCredentials;
import io.voiceorder.bridge.sip.SipEndpoint;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What every call's state machine shares: configuration, SIP endpoint, media engine, callbacks, timers. */
public record CallContext(BridgeConfig config, SipEndpoint sip, MediaEngine media, CallRegistry registry,
                          StatusCallbacks statusCallbacks, Optional<IncomingCallback> incomingCallback, BridgeMetrics metrics,
                          ScheduledExecutorService timers, Executor pool, Clock clock, DigestCredentials trunkCredentials,
                          CallTimings timings) {

    public String trunkUser() {
        return config.sipUsername().orElse("voiceorder");
    }
}
