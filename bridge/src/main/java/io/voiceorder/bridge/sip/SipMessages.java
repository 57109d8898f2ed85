package io.voiceorder.bridge.sip;

import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderAddress;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;

/** Small helpers over JAIN-SIP messages: bodies, tags, Contact, identities. */
public final class SipMessages {
    private SipMessages() {
    }

    public static Optional<String> sdpOf(Message message) {
        byte[] raw = message.getRawContent();
        if (raw == null || raw.length == 0) {
            return Optional.empty();
        }
        ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        if (type != null && !(type.getContentType().equalsIgnoreCase("application") && type.getContentSubType().equalsIgnoreCase("sdp"))) {
            return Optional.empty();
        }
        return Optional.of(new String(raw, StandardCharsets.UTF_8));
    }

    public static void setSdp(Message message, String sdp) {
        try {
            message.setContent(sdp, SipFactories.HEADERS.createContentTypeHeader("application", "sdp"));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void setToTag(Response response, String tag) {
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        try {
            if (to.getTag() == null) {
                to.setTag(tag);
            }
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ContactHeader contact(String user, SipEndpoint endpoint) {
        try {
            Address address = SipFactories.ADDRESSES.createAddress("sip:" + user + "@" + endpoint.advertisedHost() + ":"
                    + endpoint.advertisedPort() + endpoint.uriTransportSuffix());
            return SipFactories.HEADERS.createContactHeader(address);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Header header(String name, String value) {
        try {
            return SipFactories.HEADERS.createHeader(name, value);
        } catch (ParseException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    /** The user part of P-Asserted-Identity if present, else of From: display names and parameters dropped. */
    public static String callerOf(Request request) {
        Header pai = request.getHeader("P-Asserted-Identity");
        if (pai != null) {
            String value = pai.toString().substring(pai.toString().indexOf(':') + 1).trim();
            String user = userOfText(value);
            if (user != null) {
                return user;
            }
        }
        return userOf(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI());
    }

    public static String calledOf(Request request) {
        return userOf(((HeaderAddress) request.getHeader(ToHeader.NAME)).getAddress().getURI());
    }

    public static String userOf(URI uri) {
        if (uri instanceof SipURI sip) {
            return sip.getUser() == null ? "" : sip.getUser();
        }
        if (uri instanceof TelURL tel) {
            return (tel.isGlobal() ? "+" : "") + tel.getPhoneNumber();
        }
        return "";
    }

    private static String userOfText(String value) {
        String v = value;
        int lt = v.indexOf('<');
        if (lt >= 0) {
            int gt = v.indexOf('>', lt);
            v = gt > lt ? v.substring(lt + 1, gt) : v.substring(lt + 1);
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("tel:")) {
            String n = v.substring(4);
            int semi = n.indexOf(';');
            return semi < 0 ? n : n.substring(0, semi);
        }
        if (lower.startsWith("sip:") || lower.startsWith("sips:")) {
            String rest = v.substring(v.indexOf(':') + 1);
            int at = rest.indexOf('@');
            if (at > 0) {
                String user = rest.substring(0, at);
                int semi = user.indexOf(';');
                return semi < 0 ? user : user.substring(0, semi);
            }
        }
        return null;
    }

    /** Extensions of {@code Require} other than {@code replaces}; empty when all are supported. */
    public static Optional<String> unsupportedRequire(Request request) {
        ListIterator<?> requires = request.getHeaders("Require");
        while (requires != null && requires.hasNext()) {
            String value = requires.next().toString();
            value = value.substring(value.indexOf(':') + 1).trim();
            for (String ext : value.split(",")) {
                String e = ext.trim();
                if (!e.isEmpty() && !e.equalsIgnoreCase("replaces") && !e.equalsIgnoreCase("100rel")) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    /** The digit of a SIP INFO (RFC 6086): {@code application/dtmf-relay} ({@code Signal=5}) or {@code application/dtmf}. */
    public static Optional<Character> dtmfOf(Request info) {
        ContentTypeHeader type = (ContentTypeHeader) info.getHeader(ContentTypeHeader.NAME);
        byte[] raw = info.getRawContent();
        if (type == null || raw == null || !type.getContentType().equalsIgnoreCase("application")) {
            return Optional.empty();
        }
        String body = new String(raw, StandardCharsets.UTF_8).strip();
        String sub = type.getContentSubType().toLowerCase(Locale.ROOT);
        if (sub.equals("dtmf-relay")) {
            for (String line : body.split("\\R")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).strip().equalsIgnoreCase("Signal")) {
                    String v = line.substring(eq + 1).strip();
                    return v.isEmpty() ? Optional.empty() : Optional.of(v.charAt(0));
                }
            }
            return Optional.empty();
        }
        if (sub.equals("dtmf") && !body.isEmpty()) {
            return Optional.of(body.charAt(0));
        }
        return Optional.empty();
    }

    public static boolean requires100rel(Request request) {
        ListIterator<?> requires = request.getHeaders("Require");
        while (requires != null && requires.hasNext()) {
            if (requires.next().toString().toLowerCase(Locale.ROOT).contains("100rel")) {
                return true;
            }
        }
        return false;
    }
}
