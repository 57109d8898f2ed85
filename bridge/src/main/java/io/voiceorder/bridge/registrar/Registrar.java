package io.voiceorder.bridge.registrar;

import io.voiceorder.bridge.sip.SipEndpoint;
import io.voiceorder.bridge.sip.SipFactories;
import io.voiceorder.bridge.sip.SipMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The built-in registrar of gateway mode (bridge.md §5.2): digest-authenticated REGISTERs of the configured
 * devices, one binding per user (replaced by each REGISTER), expiry clamped to 60–3600 s (3600 when absent),
 * 423 below 60, {@code Expires: 0} or {@code Contact: *} removing it; the 200 lists the binding with its granted
 * expiry and a {@code Date}.
 */
public final class Registrar {
    public static final int MIN_EXPIRES = 60;
    public static final int MAX_EXPIRES = 3600;
    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);

    private final SipEndpoint sip;
    private final DeviceAuthenticator authenticator;
    private final BindingStore store;
    private final DeviceReachability reachability;
    private final Clock clock;

    public Registrar(SipEndpoint sip, DeviceAuthenticator authenticator, BindingStore store, DeviceReachability reachability,
                     Clock clock) {
        this.sip = sip;
        this.authenticator = authenticator;
        this.store = store;
        this.reachability = reachability;
        this.clock = clock;
    }

    public DeviceAuthenticator authenticator() {
        return authenticator;
    }

    public BindingStore bindings() {
        return store;
    }

    /** Every configured device, registered or not, in configuration order (bridge.md §3.3 {@code devices}). */
    public List<DeviceStatus> devices() {
        List<DeviceStatus> list = new ArrayList<>();
        for (var account : authenticator.accounts()) {
            Optional<Binding> b = store.find(account.user());
            list.add(b.map(binding -> new DeviceStatus(account.user(), true, binding.contact(), binding.source(),
                            binding.sourceHost(), binding.expiresInSeconds(clock), reachability.reachable(account.user()), binding.userAgent()))
                    .orElse(new DeviceStatus(account.user(), false, null, null, null, null, null, null)));
        }
        return list;
    }

    /** Handles one REGISTER; runs on the SIP listener and never blocks (the file is saved elsewhere). */
    public void onRegister(RequestEvent event) {
        Request request = event.getRequest();
        ServerTransaction st;
        try {
            st = event.getServerTransaction() != null ? event.getServerTransaction()
                    : sip.provider().getNewServerTransaction(request);
        } catch (TransactionAlreadyExistsException retransmission) {
            return;
        } catch (Exception e) {
            st = null;
        }
        String sourceIp = SipEndpoint.sourceOf(event);
        String toUser = SipMessages.userOf(((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI());
        AuthOutcome outcome = authenticator.check(request, sourceIp, false, toUser);
        if (outcome instanceof AuthOutcome.Challenge c) {
            Response challenge = sip.response(Response.UNAUTHORIZED, request);
            challenge.addHeader(authenticator.challenge(sourceIp, false, c.stale()));
            sip.respond(event, st, challenge);
        } else if (outcome instanceof AuthOutcome.Refused r) {
            LOG.warn("REGISTER from {} refused (403): {}", sourceIp, r.reason());
            sip.respond(event, st, sip.response(Response.FORBIDDEN, request));
        } else {
            sip.respond(event, st, register(event, ((AuthOutcome.Accepted) outcome).user()));
        }
    }

    private Response register(RequestEvent event, String user) {
        Request request = event.getRequest();
        List<ContactHeader> contacts = contacts(request);
        ExpiresHeader expiresHeader = request.getExpires();
        int headerExpires = expiresHeader == null ? -1 : expiresHeader.getExpires();
        if (contacts.stream().anyMatch(ContactHeader::isWildCard)) {
            if (headerExpires != 0 || contacts.size() > 1) {
                return sip.response(Response.BAD_REQUEST, request);
            }
            unbind(user, "Contact: *");
            return withDate(sip.response(Response.OK, request));
        }
        if (contacts.isEmpty()) {
            return listing(request, store.find(user), -1);
        }
        // one binding per device: the last Contact of the request wins
        ContactHeader contact = contacts.get(contacts.size() - 1);
        int requested = contact.getExpires() >= 0 ? contact.getExpires() : headerExpires;
        if (requested == 0) {
            unbind(user, "expires 0");
            return withDate(sip.response(Response.OK, request));
        }
        if (requested > 0 && requested < MIN_EXPIRES) {
            Response tooBrief = sip.response(Response.INTERVAL_TOO_BRIEF, request);
            try {
                tooBrief.addHeader(SipFactories.HEADERS.createMinExpiresHeader(MIN_EXPIRES));
            } catch (javax.sip.InvalidArgumentException e) {
                throw new IllegalStateException(e);
            }
            return tooBrief;
        }
        int granted = requested < 0 ? MAX_EXPIRES : Math.min(requested, MAX_EXPIRES);
        Binding previous = store.find(user).orElse(null);
        Binding binding = new Binding(user, contact.getAddress().getURI().toString(), SipEndpoint.sourceOf(event),
                SipEndpoint.sourcePortOf(event), transportOf(request), userAgentOf(request),
                clock.instant().plus(Duration.ofSeconds(granted)));
        store.put(binding);
        if (previous == null || !previous.source().equals(binding.source()) || !previous.contact().equals(binding.contact())) {
            reachability.answered(user);
            LOG.info("device {} registered from {} (contact {}, {} s, {})", user, binding.source(), binding.contact(), granted,
                    binding.userAgent() == null ? "no User-Agent" : binding.userAgent());
        } else {
            LOG.debug("device {} refreshed its registration ({} s)", user, granted);
        }
        return listing(request, Optional.of(binding), granted);
    }

    private void unbind(String user, String why) {
        if (store.find(user).isPresent()) {
            LOG.info("device {} unregistered ({})", user, why);
        }
        store.remove(user);
        reachability.forget(user);
    }

    /** 200 listing the binding; {@code granted} is its expiry just granted, or -1 for the time left. */
    private Response listing(Request request, Optional<Binding> binding, int granted) {
        Response ok = sip.response(Response.OK, request);
        if (binding.isPresent()) {
            try {
                ContactHeader contact = SipFactories.HEADERS.createContactHeader(
                        SipFactories.ADDRESSES.createAddress(binding.get().contact()));
                contact.setExpires(granted >= 0 ? granted : (int) binding.get().expiresInSeconds(clock));
                ok.addHeader(contact);
            } catch (ParseException | javax.sip.InvalidArgumentException e) {
                LOG.debug("binding contact not listed: {}", e.toString());
            }
        }
        return withDate(ok);
    }

    private Response withDate(Response response) {
        GregorianCalendar now = new GregorianCalendar(TimeZone.getTimeZone("GMT"), Locale.ROOT);
        now.setTimeInMillis(clock.millis());
        response.setHeader(SipFactories.HEADERS.createDateHeader(now));
        return response;
    }

    private static List<ContactHeader> contacts(Request request) {
        List<ContactHeader> list = new ArrayList<>();
        ListIterator<?> it = request.getHeaders(ContactHeader.NAME);
        while (it != null && it.hasNext()) {
            list.add((ContactHeader) it.next());
        }
        return list;
    }

    private static String transportOf(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }

    private static String userAgentOf(Request request) {
        Header h = request.getHeader("User-Agent");
        if (h == null) {
            return null;
        }
        String text = h.toString();
        String value = text.substring(text.indexOf(':') + 1).strip();
        return value.length() > 128 ? value.substring(0, 128) : value;
    }
}
