package io.voiceorder.app.mediastream;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.voiceorder.app.call.CallRegistry;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.metrics.VoiceMetrics;
import io.voiceorder.app.twilio.PublicUrls;
import io.voiceorder.app.twilio.TwilioSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.List;

/**
 * Decides a {@code /media-stream} upgrade before any WebSocket exists: a valid
 * {@code X-Twilio-Signature} under the Twilio auth token or the bridge's media-stream secret, or —
 * only when neither key is configured — a loopback peer with no forwarding headers. Then capacity:
 * calls plus streams waiting for {@code start} must stay under {@code MAX_PARALLEL_CALLS}.
 */
@ServerFilter(PublicUrls.STREAM_PATH)
public final class StreamUpgradeFilter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamUpgradeFilter.class);
    private static final List<String> FORWARDING_HEADERS = List.of("X-Forwarded-For", "Forwarded", "X-Real-IP");

    private final ServeConfig config;
    private final PublicUrls urls;
    private final CallRegistry registry;
    private final VoiceMetrics metrics;

    public StreamUpgradeFilter(ServeConfig config, PublicUrls urls, CallRegistry registry, VoiceMetrics metrics) {
        this.config = config;
        this.urls = urls;
        this.registry = registry;
        this.metrics = metrics;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> admit(HttpRequest<?> request) {
        if (!"websocket".equalsIgnoreCase(request.getHeaders().get("Upgrade"))) {
            return null;
        }
        String peer = request.getRemoteAddress().getAddress().getHostAddress();
        String refusal = authenticate(request);
        if (refusal != null) {
            LOG.warn("media stream upgrade from {} refused: {}", peer, refusal);
            metrics.rejected("media-stream", refusal);
            return HttpResponse.status(HttpStatus.FORBIDDEN);
        }
        if (!registry.admitUpgrade()) {
            String reason = registry.draining() ? "draining" : "capacity";
            LOG.warn("media stream upgrade from {} refused: {}", peer, reason);
            metrics.rejected("media-stream", reason);
            return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS);
        }
        return null;
    }

    /** Null when the upgrade may proceed, else the reason it may not. */
    private String authenticate(HttpRequest<?> request) {
        if (!config.streamKeyConfigured()) {
            return isLoopback(request) && FORWARDING_HEADERS.stream().noneMatch(h -> request.getHeaders().contains(h))
                    ? null : "not_loopback";
        }
        String signature = request.getHeaders().get("X-Twilio-Signature");
        if (signature == null || signature.isEmpty()) {
            return "signature";
        }
        List<String> candidates = urls.streamCandidates(request);
        if (config.twilioAuthToken().isSet()
                && TwilioSignature.matches(config.twilioAuthToken().reveal(), signature, candidates, List.of())) {
            LOG.debug("media stream upgrade signed with the Twilio auth token");
            return null;
        }
        if (config.mediaStreamSecret().isSet()
                && TwilioSignature.matches(config.mediaStreamSecret().reveal(), signature, candidates, List.of())) {
            LOG.debug("media stream upgrade signed with the bridge's media-stream secret");
            return null;
        }
        return "signature";
    }

    static boolean isLoopback(HttpRequest<?> request) {
        InetAddress address = request.getRemoteAddress().getAddress();
        return address != null && address.isLoopbackAddress();
    }
}
