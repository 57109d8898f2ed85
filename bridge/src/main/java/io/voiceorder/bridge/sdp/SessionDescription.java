package io.voiceorder.bridge.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A received SDP (RFC 8866), parsed for what offer/answer needs. */
public record SessionDescription(List<MediaDescription> media) {
    public static final int MAX_BYTES = 16 * 1024;

    /** @throws SdpException 400 when it is too large or malformed */
    public static SessionDescription parse(String text) throws SdpException {
        if (text == null || text.isBlank()) {
            throw new SdpException(400, "empty SDP");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new SdpException(400, "SDP larger than 16 KiB");
        }
        String sessionConnection = null;
        Direction sessionDirection = null;
        boolean versionSeen = false;
        List<Builder> sections = new ArrayList<>();
        Builder current = null;
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpException(400, "malformed SDP line: " + abbreviate(line));
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            switch (type) {
                case 'v' -> versionSeen = true;
                case 'c' -> {
                    String address = connectionAddress(value);
                    if (current == null) {
                        sessionConnection = address;
                    } else {
                        current.connection = address;
                    }
                }
                case 'm' -> {
                    current = media(value);
                    sections.add(current);
                }
                case 'a' -> {
                    Direction d = Direction.ofAttribute(value.toLowerCase(Locale.ROOT));
                    if (d != null) {
                        if (current == null) {
                            sessionDirection = d;
                        } else {
                            current.direction = d;
                        }
                    } else if (current != null) {
                        attribute(current, value);
                    }
                }
                default -> {
                    // o=, s=, t=, b=, i= … carry nothing offer/answer needs here.
                }
            }
        }
        if (!versionSeen) {
            throw new SdpException(400, "SDP without v= line");
        }
        if (sections.isEmpty()) {
            throw new SdpException(488, "SDP without media");
        }
        List<MediaDescription> media = new ArrayList<>();
        for (Builder b : sections) {
            media.add(new MediaDescription(b.media, b.port, b.proto, List.copyOf(b.formats),
                    b.connection != null ? b.connection : sessionConnection,
                    Collections.unmodifiableMap(b.rtpmaps),
                    b.direction != null ? b.direction : sessionDirection != null ? sessionDirection : Direction.SENDRECV,
                    b.rtcpPort));
        }
        return new SessionDescription(List.copyOf(media));
    }

    private static String connectionAddress(String value) throws SdpException {
        String[] parts = value.trim().split("\\s+");
        if (parts.length < 3 || !parts[0].equals("IN")) {
            throw new SdpException(400, "malformed c= line");
        }
        if (!parts[1].equals("IP4")) {
            throw new SdpException(488, "only IPv4 media is supported");
        }
        String address = parts[2];
        int slash = address.indexOf('/');
        return slash >= 0 ? address.substring(0, slash) : address;
    }

    private static Builder media(String value) throws SdpException {
        String[] parts = value.trim().split("\\s+");
        if (parts.length < 4) {
            throw new SdpException(400, "malformed m= line");
        }
        Builder b = new Builder();
        b.media = parts[0];
        String port = parts[1];
        int slash = port.indexOf('/');
        try {
            b.port = Integer.parseInt(slash >= 0 ? port.substring(0, slash) : port);
        } catch (NumberFormatException e) {
            throw new SdpException(400, "malformed m= port");
        }
        if (b.port < 0 || b.port > 65535) {
            throw new SdpException(400, "m= port out of range");
        }
        b.proto = parts[2];
        for (int i = 3; i < parts.length; i++) {
            b.formats.add(parts[i]);
        }
        return b;
    }

    private static void attribute(Builder b, String value) throws SdpException {
        if (value.startsWith("rtpmap:")) {
            String rest = value.substring(7).trim();
            int space = rest.indexOf(' ');
            if (space < 0) {
                throw new SdpException(400, "malformed a=rtpmap");
            }
            try {
                b.rtpmaps.put(Integer.parseInt(rest.substring(0, space)), rest.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                throw new SdpException(400, "malformed a=rtpmap payload type");
            }
        } else if (value.startsWith("rtcp:")) {
            String rest = value.substring(5).trim();
            int space = rest.indexOf(' ');
            try {
                b.rtcpPort = Integer.parseInt(space < 0 ? rest : rest.substring(0, space));
            } catch (NumberFormatException e) {
                throw new SdpException(400, "malformed a=rtcp");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static final class Builder {
        String media;
        int port;
        String proto;
        final List<String> formats = new ArrayList<>();
        String connection;
        final Map<Integer, String> rtpmaps = new LinkedHashMap<>();
        Direction direction;
        int rtcpPort;
    }
}
