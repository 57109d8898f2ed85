package io.voiceorder.app;

import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.BackendHealth;
import io.voiceorder.app.restaurant.RestaurantBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The start-up summary line and the configuration warnings, secrets shown only as set/unset. */
final class StartupReport {
    private static final Logger LOG = LoggerFactory.getLogger("voiceorder.serve");

    private StartupReport() {
    }

    static void log(ServeConfig config, int port, RestaurantBackend backend) {
        BackendHealth health = backend.health();
        String base = config.publicUrl().map(u -> strip(u.toString())).orElse("https://<Host of the request>");
        String streamBase = config.publicUrl().map(u -> strip(u.toString()).replaceFirst("^http", "ws"))
                .orElse("ws://127.0.0.1:" + port);
        String auth = config.streamKeyConfigured()
                ? (config.twilioAuthToken().isSet() ? "twilio-signature" : "")
                        + (config.twilioAuthToken().isSet() && config.mediaStreamSecret().isSet() ? "+" : "")
                        + (config.mediaStreamSecret().isSet() ? "media-stream-secret" : "")
                : "loopback-only";
        LOG.info("voiceorder serve {} ready on port {}: Twilio webhook {}/incoming-call, stream {}/media-stream, "
                        + "backend {} (restaurants {}, database {}), default restaurant {}, model {}, "
                        + "stream auth {}, OPENAI_API_KEY {}, TWILIO_AUTH_TOKEN {}, MEDIA_STREAM_SECRET {}, DATABASE_PASSWORD {}, "
                        + "max parallel calls {}, max call duration {}",
                Version.current(), port, base, streamBase, health.kind(), String.join(", ", health.restaurants()),
                health.database() == null ? "none" : health.database(),
                backend.defaultRestaurantId().orElse("none"), config.model(), auth,
                config.openaiApiKey().state(), config.twilioAuthToken().state(), config.mediaStreamSecret().state(),
                config.backend().databasePassword().state(),
                config.maxParallelCalls() == 0 ? "unlimited" : config.maxParallelCalls(),
                config.maxCallDurationSec() <= 0 ? "off" : config.maxCallDurationSec() + " s");
        if (config.twilioAccountSid().isEmpty() && health.kind().equals("embedded")) {
            for (String id : health.restaurants()) {
                if (offersTransfer(backend, id)) {
                    LOG.warn("restaurant {} has transfer enabled but TWILIO_ACCOUNT_SID is unset: transfers in Twilio mode are unavailable.", id);
                }
            }
        }
        if (!config.streamKeyConfigured()) {
            LOG.warn("no TWILIO_AUTH_TOKEN or MEDIA_STREAM_SECRET: /media-stream accepts unsigned connections "
                    + "from this machine only; /incoming-call is not authenticated.");
        }
        if (config.twilioAuthToken().isSet() && config.publicUrl().isEmpty()) {
            LOG.warn("TWILIO_AUTH_TOKEN is set without PUBLIC_URL: signatures are checked against the Host header; set PUBLIC_URL.");
        }
    }

    /** True if the restaurant's agent may offer {@code transfer_call} (enabled with a number, not automatic). */
    private static boolean offersTransfer(RestaurantBackend backend, String restaurantId) {
        try {
            return backend.loadAgent(restaurantId, null)
                    .map(a -> a.transfer().usable() && !a.transfer().automatic()).orElse(false);
        } catch (BackendException e) {
            return false;
        }
    }

    private static String strip(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
