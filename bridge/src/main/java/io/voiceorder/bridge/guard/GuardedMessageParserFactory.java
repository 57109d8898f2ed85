package io.voiceorder.bridge.guard;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.SipStack;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;

/**
 * The earliest hook JAIN-SIP offers: its UDP channel hands each datagram's bytes to this parser, with itself (and
 * so the source address) as the listener. Banned, rate-limited and oversized datagrams are dropped here, before
 * any parsing; a datagram the parser rejects is counted as malformed and left to the stack, which answers 400
 * when it can tell where to; a message without the headers every SIP message needs is dropped (counted as
 * malformed); anything the parser throws besides a parse error is contained here and the datagram
 * dropped, so one message never takes a stack thread down. Stream transports (TCP) are checked by
 * {@link GuardValve} instead: their parser does not know the connection.
 */
public final class GuardedMessageParserFactory implements MessageParserFactory {
    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        return new GuardedParser(stack instanceof SipStack s ? s.getStackName() : null);
    }

    static final class GuardedParser implements MessageParser {
        private static final Logger LOG = LoggerFactory.getLogger(GuardedMessageParserFactory.class);
        private static final byte[] INVITE = "INVITE ".getBytes(StandardCharsets.US_ASCII);

        private final String stackName;
        private final StringMsgParser parser = new StringMsgParser();

        GuardedParser(String stackName) {
            this.stackName = stackName;
        }

        @Override
        public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict, ParseExceptionListener listener)
                throws ParseException {
            SourceGuard guard = StackGuards.of(stackName);
            if (guard == null) {
                return parser.parseSIPMessage(bytes, readBody, strict, listener);
            }
            String source = datagramSource(listener);
            if (source != null && !guard.onMessage(source, bytes.length, startsWith(bytes, INVITE)).passes()) {
                return null;
            }
            // only a datagram is the wire text: the TCP pipeline hands over lines it has re-assembled
            Optional<String> raw = source != null ? SipHygiene.rawProblem(bytes) : Optional.empty();
            if (raw.isPresent()) {
                // the stack answers 400 to a request it cannot parse, when its Via lets it
                guard.malformed();
                LOG.debug("SIP message from {} refused: {}", source, raw.get());
                throw new ParseException(raw.get(), 0);
            }
            try {
                SIPMessage message = parser.parseSIPMessage(bytes, readBody, strict, listener);
                if (message != null && !complete(message)) {
                    // the stack would trip over the missing header itself; nothing can be answered without them
                    guard.malformed();
                    LOG.debug("SIP message from {} without Via, From, To, Call-ID or CSeq dropped", source);
                    return null;
                }
                return message;
            } catch (ParseException e) {
                guard.malformed();
                LOG.debug("unparsable SIP message from {}: {}", source, e.getMessage());
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                guard.malformed();
                LOG.debug("SIP message from {} broke the parser, dropped: {}", source, e.toString());
                return null;
            }
        }

        private static boolean complete(SIPMessage m) {
            return m.getTopmostVia() != null && m.getFrom() != null && m.getTo() != null && m.getCallId() != null
                    && m.getCSeq() != null;
        }

        /**
         * The sender of a datagram; null on stream transports, whose listener is not the connection. The UDP channel
         * sets its peer address from the datagram before parsing; its "packet source" fields still describe the
         * previous datagram at this point.
         */
        private static String datagramSource(ParseExceptionListener listener) {
            if (listener instanceof MessageChannel channel && !channel.isReliable()) {
                return channel.getPeerAddress();
            }
            return null;
        }

        static boolean startsWith(byte[] bytes, byte[] prefix) {
            if (bytes.length < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (bytes[i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
