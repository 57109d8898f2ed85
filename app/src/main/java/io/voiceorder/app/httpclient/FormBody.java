package io.voiceorder.app.httpclient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** An {@code application/x-www-form-urlencoded} body built field by field, in order. */
public final class FormBody {
    private final List<Map.Entry<String, String>> fields = new ArrayList<>();

    public FormBody add(String name, String value) {
        fields.add(Map.entry(name, value));
        return this;
    }

    public String encode() {
        StringJoiner j = new StringJoiner("&");
        for (Map.Entry<String, String> f : fields) {
            j.add(URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8));
        }
        return j.toString();
    }
}
