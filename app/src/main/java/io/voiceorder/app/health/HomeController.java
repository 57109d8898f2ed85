package io.voiceorder.app.health;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.voiceorder.app.twilio.PublicUrls;

/** {@code GET /}: a short page telling the operator what to configure in Twilio. Also a liveness probe. */
@Controller
public final class HomeController {
    private final PublicUrls urls;

    public HomeController(PublicUrls urls) {
        this.urls = urls;
    }

    @Get(value = "/", produces = MediaType.TEXT_HTML + ";charset=utf-8")
    public HttpResponse<String> home(HttpRequest<?> request) {
        String base = html(urls.base(request));
        String stream = html(urls.streamUrl(request));
        return HttpResponse.ok("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>VoiceOrder — voice server</title></head>
                <body>
                <h1>VoiceOrder — voice server</h1>
                <p>Twilio voice webhook (A call comes in, HTTP POST): <code>%s/incoming-call</code></p>
                <p>Media stream (Twilio or the VoiceOrder SIP bridge): <code>%s</code></p>
                <p>Agent: generic greeting (no restaurant backend configured).</p>
                <p><a href="/health">health</a> · <a href="/metrics">metrics</a></p>
                </body></html>
                """.formatted(base, stream));
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
