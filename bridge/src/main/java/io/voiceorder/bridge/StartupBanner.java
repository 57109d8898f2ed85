package io.voiceorder.bridge;

import io.voiceorder.bridge.config.BridgeConfig;
import io.voiceorder.bridge.config.BridgeConfigParser;
import io.voiceorder.bridge.sip.SipEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.voiceorder.bridge.config.DeviceAccount;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The start-up banner (bridge.md §10.1): addresses, ways in, target, API, RTP, limits, params, secrets as set/not set. */
final class StartupBanner {
    private static final Logger LOG = LoggerFactory.getLogger("voiceorder.bridge");

    private StartupBanner() {
    }

    static void log(BridgeConfig c, SipEndpoint sip, int apiPort, String accountSid) {
        LOG.info("voiceorder bridge {} ready: SIP {} listen {}:{} advertised {}:{}; ways in: {}; "
                        + "WS target {}; API {}:{}; RTP {}-{}; max concurrent calls {}, max call duration {}; transfers {}; params {}; "
                        + "account {}; NAT: {}; SIP_PASSWORD {}, BRIDGE_API_TOKEN {}, MEDIA_STREAM_SECRET {}, CALLBACK_SECRET {}",
                Version.current(), c.sipTransport(), sip.bindAddress(), sip.localPort(), sip.advertisedHost(),
                sip.advertisedPort(), waysIn(c), c.wsTarget().getScheme() + "://"
                        + c.wsTarget().getRawAuthority() + c.wsTarget().getRawPath(),
                c.apiBind(), apiPort, c.rtpPortMin(), c.rtpPortMax(),
                c.maxConcurrentCalls() == 0 ? "unlimited" : c.maxConcurrentCalls(),
                c.maxCallDurationSec() == 0 ? "unlimited" : c.maxCallDurationSec() + " s", c.transferMode().json(), keys(c.params()), accountSid,
                c.publicAddress().map(a -> "public address " + a).orElse("none (local address)"),
                c.sipPassword().state(), c.apiToken().state(), c.mediaStreamSecret().state(), c.callbackSecret().state());
        if (!c.mediaStreamSecret().isSet() && !isLoopbackHost(c.wsTarget().getHost())) {
            LOG.warn("MEDIA_STREAM_SECRET is not set and the WS target {} is not on this machine: serve will refuse unsigned "
                    + "streams from other hosts. Set MEDIA_STREAM_SECRET (flag --media-stream-secret).", c.wsTarget().getHost());
        }
        if (c.allowDial().contains("*")) {
            LOG.warn("ALLOW_DIAL is '*': outbound calls may go to any destination ({}).", BridgeConfigParser.FLAGS.get("ALLOW_DIAL"));
        }
        if (c.allowDial().isEmpty()) {
            LOG.warn("no ALLOW_DIAL prefix and no country code derivable from SIP_USERNAME: outbound calls are refused.");
        }
        if ((long) (c.rtpPortMax() - c.rtpPortMin() + 1) < 2L * c.maxConcurrentCalls()) {
            LOG.warn("RTP_PORTS {}-{} holds fewer than 2 x MAX_CONCURRENT_CALLS ports.", c.rtpPortMin(), c.rtpPortMax());
        }
    }

    /** Trunk account, gateway device users (never their passwords) and peer CIDRs. */
    static String waysIn(BridgeConfig c) {
        List<String> ways = new ArrayList<>();
        c.sipAccount().ifPresent(a -> ways.add("trunk " + a + " (registrar " + c.sipDomain() + ")"));
        if (c.gatewayMode()) {
            ways.add("gateway devices " + c.devices().stream().map(DeviceAccount::user).collect(Collectors.joining(",")));
        }
        if (c.peerMode()) {
            ways.add("peers " + c.allowFrom().stream().map(Object::toString).collect(Collectors.joining(",")));
        }
        return String.join(" + ", ways) + (c.dropUnknown() ? " (unknown sources dropped)" : " (unknown sources get 403)");
    }

    private static String keys(Map<String, String> params) {
        return params.isEmpty() ? "none" : String.join(",", params.keySet());
    }

    private static boolean isLoopbackHost(String host) {
        return host == null || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }
}
