package io.voiceorder.bridge.guard;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;

import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** bridge.md §9.5 limits on a parsed request, and the consistency checks the stack's parser leaves to us. */
public final class SipHygiene {
    public static final int MAX_VIAS = 50;
    public static final int MAX_HEADER_LINE = 8192;
    public static final int MAX_SDP = 16384;
    /** How much of a message {@link #rawProblem} reads: the request line and headers of any sane request. */
    static final int MAX_MESSAGE_HEAD = 65536;
    private static final Pattern REQUEST_LINE = Pattern.compile("[^\\s]+ [^\\s]+ SIP/2\\.0");

    private SipHygiene() {
    }

    /**
     * Why a request's raw text must be refused before parsing, if it must: a request line other than
     * {@code Method SP Request-URI SP SIP/2.0} with single spaces (RFC 3261 §7.1; the parser tolerates extra or
     * trailing spaces, and reads any version as 2.0), or more than one Content-Length (which one frames the body is anyone's guess). Responses
     * are left to the parser.
     */
    public static Optional<String> rawProblem(byte[] message) {
        String text = new String(message, 0, Math.min(message.length, MAX_MESSAGE_HEAD), StandardCharsets.ISO_8859_1);
        int start = 0;
        while (start + 1 < text.length() && text.startsWith("\r\n", start)) {
            start += 2;
        }
        int end = text.indexOf("\r\n", start);
        if (end < 0 || text.startsWith("SIP/", start)) {
            return Optional.empty();
        }
        if (!REQUEST_LINE.matcher(text.substring(start, end)).matches()) {
            return Optional.of("Malformed Request-Line");
        }
        int headEnd = text.indexOf("\r\n\r\n", end);
        int contentLengths = 0;
        for (String line : text.substring(end + 2, headEnd < 0 ? text.length() : headEnd).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith(" ") && !line.startsWith("\t")) {
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                if (name.equals("content-length") || name.equals("l")) {
                    contentLengths++;
                }
            }
        }
        return contentLengths > 1 ? Optional.of("Duplicate Content-Length") : Optional.empty();
    }

    /** Why {@code request} must be answered 400, if it must. */
    public static Optional<String> problem(SIPRequest request) {
        ListIterator<?> vias = request.getHeaders(ViaHeader.NAME);
        int count = 0;
        while (vias.hasNext()) {
            vias.next();
            if (++count > MAX_VIAS) {
                return Optional.of("Too Many Via Headers");
            }
        }
        for (Iterator<SIPHeader> it = request.getHeaders(); it.hasNext(); ) {
            if (longestLine(it.next().encode()) > MAX_HEADER_LINE) {
                return Optional.of("Header Too Long");
            }
        }
        if (request.getRequestURI() instanceof SipURI uri && uri.getHeaderNames() != null && uri.getHeaderNames().hasNext()) {
            // RFC 3261 §19.1.5: headers belong in a URI you are told to use, never in a Request-URI
            return Optional.of("Headers In Request-URI");
        }
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        String method = request.getMethod();
        if (cseq != null && !method.equals(Request.ACK) && !method.equals(Request.CANCEL) && !cseq.getMethod().equals(method)) {
            return Optional.of("CSeq Method Mismatch");
        }
        ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        byte[] body = request.getRawContent();
        if (body != null && body.length > MAX_SDP && type != null
                && "application/sdp".equals((type.getContentType() + "/" + type.getContentSubType()).toLowerCase(Locale.ROOT))) {
            return Optional.of("SDP Too Large");
        }
        return Optional.empty();
    }

    /** A header list (Via, Route…) encodes as one line per value. */
    private static int longestLine(String encoded) {
        int longest = 0;
        int start = 0;
        for (int i = encoded.indexOf('\n'); i >= 0; i = encoded.indexOf('\n', start)) {
            longest = Math.max(longest, i - start);
            start = i + 1;
        }
        return Math.max(longest, encoded.length() - start);
    }
}
