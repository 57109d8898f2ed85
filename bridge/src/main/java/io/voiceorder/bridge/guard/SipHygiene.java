package io.voiceorder.bridge.guard;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;

import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.util.Iterator;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;

/** bridge.md §9.5 limits on a parsed request, and the consistency checks the stack's parser leaves to us. */
public final class SipHygiene {
    public static final int MAX_VIAS = 50;
    public static final int MAX_HEADER_LINE = 8192;
    public static final int MAX_SDP = 16384;

    private SipHygiene() {
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
