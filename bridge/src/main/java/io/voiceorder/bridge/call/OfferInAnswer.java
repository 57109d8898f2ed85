package io.voiceorder.bridge.call;

import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;

/**
 * The offer our 200 made to an offerless re-INVITE, waiting for its answer in the ACK (RFC 3264 §5 with RFC 3261
 * §13.2.1 and §14; bridge.md §5.4 "delayed offer"). Only the ACK of that re-INVITE (same CSeq number) carries the
 * answer; a late ACK of an earlier INVITE does not. Confined to the call's executor.
 */
final class OfferInAnswer {
    private long pendingCseq = -1;

    /** Our 200 to {@code reInvite} carried an offer: its ACK carries the answer. */
    void offered(Request reInvite) {
        pendingCseq = ((CSeqHeader) reInvite.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }

    /** Whether {@code ack} answers the pending offer; true once, then nothing is pending. */
    boolean answeredBy(Request ack) {
        CSeqHeader cseq = (CSeqHeader) ack.getHeader(CSeqHeader.NAME);
        if (pendingCseq < 0 || cseq == null || cseq.getSeqNumber() != pendingCseq) {
            return false;
        }
        pendingCseq = -1;
        return true;
    }
}
