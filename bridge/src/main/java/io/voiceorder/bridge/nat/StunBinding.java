package io.voiceorder.bridge.nat;

import org.ice4j.ResponseCollector;
import org.ice4j.StunResponseEvent;
import org.ice4j.StunTimeoutEvent;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.MappedAddressAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Response;
import org.ice4j.stack.StunStack;
import org.ice4j.stack.TransactionID;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One STUN Binding transaction (RFC 5389) through a socket registered with an ice4j stack. */
final class StunBinding {
    private StunBinding() {
    }

    /**
     * @return the mapped (public) address the server saw
     * @throws NatException on timeout, an error response or a response without a mapped address
     */
    static InetSocketAddress query(StunStack stack, InetSocketAddress server, TransportAddress through, Duration timeout)
            throws NatException {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        TransportAddress to = new TransportAddress(server.getAddress(), server.getPort(), org.ice4j.Transport.UDP);
        TransactionID id;
        try {
            id = stack.sendRequest(MessageFactory.createBindingRequest(), to, through, new ResponseCollector() {
                @Override
                public void processResponse(StunResponseEvent event) {
                    answer.complete(event.getResponse());
                }

                @Override
                public void processTimeout(StunTimeoutEvent event) {
                    answer.completeExceptionally(new TimeoutException("no STUN response"));
                }
            });
        } catch (IOException | IllegalArgumentException e) {
            throw new NatException("STUN Binding to " + hostPort(server) + " could not be sent: " + e.getMessage(), e);
        }
        Response response;
        try {
            response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            stack.cancelTransaction(id);
            throw new NatException("no STUN Binding response from " + hostPort(server) + " within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            stack.cancelTransaction(id);
            Thread.currentThread().interrupt();
            throw new NatException("interrupted waiting for STUN", e);
        }
        if (!response.isSuccessResponse()) {
            throw new NatException("STUN server " + hostPort(server) + " answered an error to Binding");
        }
        Attribute xor = response.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
        if (xor instanceof XorMappedAddressAttribute x) {
            TransportAddress mapped = x.getAddress(response.getTransactionID());
            return new InetSocketAddress(mapped.getAddress(), mapped.getPort());
        }
        Attribute plain = response.getAttribute(Attribute.MAPPED_ADDRESS);
        if (plain instanceof MappedAddressAttribute m) {
            return new InetSocketAddress(m.getAddress().getAddress(), m.getAddress().getPort());
        }
        throw new NatException("STUN response from " + hostPort(server) + " carries no mapped address");
    }

    static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
