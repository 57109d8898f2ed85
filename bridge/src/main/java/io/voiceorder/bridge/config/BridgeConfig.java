package io.voiceorder.bridge.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code voiceorder bridge} is configured with, validated once at start-up by
 * {@link BridgeConfigParser}. Calls come in through any mix of the three ways (bridge.md §1.1): a trunk
 * ({@code sipUsername}), gateway devices ({@code devices}) and peer CIDRs ({@code allowFrom}).
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
        int pacerPriority,
        String logLevel,
        String logFormat,
        NatConfig nat,
        List<DeviceAccount> devices,
        List<Cidr> allowFrom,
        TransferMode transferMode) {

    public static final String DEFAULT_SIP_DOMAIN = "sip.twilio.com";
    public static final String DEFAULT_WS_TARGET = "ws://localhost:5050/media-stream";
    public static final List<String> RESERVED_PARAMS = List.of("callSid", "callerPhone", "direction", "to");

    public boolean trunkMode() {
        return sipUsername.isPresent();
    }

    public boolean gatewayMode() {
        return !devices.isEmpty();
    }

    public boolean peerMode() {
        return !allowFrom.isEmpty();
    }

    /** {@code <user>@<domain>} of the trunk account, as /health shows it. */
    public Optional<String> sipAccount() {
        return sipUsername.map(u -> u + "@" + sipDomain.host());
    }

    public PhoneNumbers phoneNumbers() {
        return new PhoneNumbers(countryCode);
    }
}
