package io.voiceorder.app.twilio;

import java.util.Map;

/**
 * An outbound call to place through Twilio (serve.md §8.5, cli.md {@code voiceorder call --via twilio}).
 *
 * @param to                the person to call, {@code +} and digits
 * @param from              caller id ({@code --from}); null → {@code TWILIO_PHONE_NUMBER}
 * @param publicBaseUrl     where Twilio reaches serve ({@code --public-url}, else {@code PUBLIC_URL}), e.g. {@code https://voice.example.com}
 * @param params            {@code --param} pairs, normally {@code restaurantId} and {@code purpose}; sent as stream parameters
 * @param ringTimeoutSec    {@code Timeout}: how long Twilio lets it ring, or null for Twilio's default
 * @param statusCallbackUrl {@code StatusCallback}, or null for none
 */
public record OutboundCallRequest(String to, String from, String publicBaseUrl, Map<String, String> params,
                                  Integer ringTimeoutSec, String statusCallbackUrl) {

    public OutboundCallRequest {
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
