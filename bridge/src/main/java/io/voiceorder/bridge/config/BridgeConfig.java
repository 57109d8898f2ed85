package io.voiceorder.bridge.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code voiceorder bridge} is configured with, validated once at start-up by
 * {@link BridgeConfigParser}. Only trunk mode is available in this version: gateway devices, peer CIDRs
 * and echo cancellation are refused at start-up rather than accepted and ignored.
 */
public record BridgeConfig(
        HostPort sipDomain,
        Optional<String> sipUsername,
        Secret sipPassword,
        int sipPort,
        String sipTransport,
        int sipRegTimeoutSec,
        boolean vad,
        double rxGainDb,
        double txGainDb,
        URI wsTarget,
        int apiPort,
        String apiBind,
        Secret apiToken,
        boolean noAutoAnswer,
        int maxCallDurationSec,
        int maxConcurrentCalls,
        Map<String, String> params,
        Optional<URI> statusCallbackUrl,
        Optional<URI> incomingCallbackUrl,
        String callbackMethod,
        Duration callbackTimeout,
        Secret callbackSecret,
        boolean dropUnknown,
        int rtpPortMin,
        int rtpPortMax,
        String bindAddress,
        Optional<String> publicAddress,
        Optional<String> countryCode,
        List<String> allowDial,
        int maxOutboundPerHour,
        Secret mediaStreamSecret,
        Optional<URI> wsSignatureUrl,
        int jitterBufferMs,
        int rtpTimeoutSec,
        String logLevel,
        String logFormat,
        NatConfig nat,
        TransferMode transferMode) {

    public static final String DEFAULT_SIP_DOMAIN = "sip.twilio.com";
    public static final String DEFAULT_WS_TARGET = "ws://localhost:5050/media-stream";
    public static final List<String> RESERVED_PARAMS = List.of("callSid", "callerPhone", "direction", "to");

    public boolean trunkMode() {
        return sipUsername.isPresent();
    }

    /** {@code <user>@<domain>} of the trunk account, as /health shows it. */
    public Optional<String> sipAccount() {
        return sipUsername.map(u -> u + "@" + sipDomain.host());
    }

    public PhoneNumbers phoneNumbers() {
        return new PhoneNumbers(countryCode);
    }
}
