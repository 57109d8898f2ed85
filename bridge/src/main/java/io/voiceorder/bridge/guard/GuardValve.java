package io.voiceorder.bridge.guard;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.SipStack;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.InetAddress;
import java.util.Optional;

/**
 * JAIN-SIP's message valve: runs on each parsed message before any transaction exists. Requests from unknown
 * sources with a scanner User-Agent are dropped; requests over the §9.5 limits are answered 400 here, statelessly;
 * on stream transports the source checks of {@link GuardedMessageParserFactory} run here. The stack creates this
 * class by name and hands it the stack in {@link #init}, by which it finds its {@link SourceGuard}.
 */
public final class GuardValve implements SIPMessageValve {
    private static final Logger LOG = LoggerFactory.getLogger(GuardValve.class);

    private volatile String stackName;

    @Override
    public void init(SipStack stack) {
        this.stackName = stack.getStackName();
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        SourceGuard guard = StackGuards.of(stackName);
        if (guard == null) {
            return true;
        }
        try {
            String source = source(request, channel);
            boolean invite = Request.INVITE.equals(request.getMethod());
            if (channel.isReliable() && !guard.onMessage(source, request.getSize(), invite).passes()) {
                return false;
            }
            String userAgent = request.getHeader(UserAgentHeader.NAME) instanceof SIPHeader ua ? ua.getHeaderValue() : null;
            if (!guard.onRequest(source, userAgent, invite).passes()) {
                return false;
            }
            Optional<String> problem = SipHygiene.problem(request);
            if (problem.isPresent()) {
                guard.malformed();
                LOG.debug("{} from {} answered 400: {}", request.getMethod(), source, problem.get());
                if (!Request.ACK.equals(request.getMethod())) {
                    SIPResponse bad = request.createResponse(Response.BAD_REQUEST, problem.get());
                    channel.sendMessage(bad);
                }
                return false;
            }
            return true;
        } catch (Exception | StackOverflowError e) {
            // never fatal: the message is dropped, the stack goes on
            guard.malformed();
            LOG.warn("checking a {} failed, dropped: {}", request.getMethod(), e.toString());
            return false;
        }
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        SourceGuard guard = StackGuards.of(stackName);
        if (guard == null || !channel.isReliable()) {
            return true;
        }
        try {
            return guard.onMessage(channel.getPeerAddress(), 0, false).passes();
        } catch (RuntimeException e) {
            LOG.warn("checking a response failed, dropped: {}", e.toString());
            return false;
        }
    }

    @Override
    public void destroy() {
    }

    private static String source(SIPRequest request, MessageChannel channel) {
        InetAddress address = request.getPeerPacketSourceAddress();
        if (address == null) {
            address = channel.getPeerPacketSourceAddress();
        }
        return address != null ? address.getHostAddress() : channel.getPeerAddress();
    }
}
