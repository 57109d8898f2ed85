package io.voiceorder.app.agent;

import io.voiceorder.app.restaurant.ServiceMode;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The system item that re-seeds a replacement OpenAI session (§5.10): the state block (customer,
 * availability checks, orders, reservations, messages, last refused order, transfer, time) and the
 * conversation so far — at most the last 40 lines and 8 000 characters, an interrupted assistant line
 * cut to what the caller heard.
 */
final class ContinuityCue {
    static final int MAX_LINES = 40;
    static final int MAX_CHARS = 8_000;
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private ContinuityCue() {
    }

    /** One transcript line, with the share of it the caller heard (1 unless cut by a barge-in). */
    record Spoken(String role, String content, double heardFraction) {
    }

    static String build(AgentMessages m, CallState.View state, List<Spoken> conversation, String transfer,
                        long elapsedSec, ZonedDateTime localNow, String currency) {
        StringBuilder b = new StringBuilder(m.get("continuity.header")).append('\n');
        CallState.Customer c = state.customer();
        line(b, c.firstName() != null ? m.get("continuity.customer", c.firstName()) : m.get("continuity.customer.unknown"));
        if (c.address() != null) {
            line(b, m.get("continuity.customer.address", join(c.address(), c.postalCode(), c.city())));
        }
        for (Map.Entry<ServiceMode, CallState.AvailabilityCheck> e : state.checks().entrySet()) {
            var r = e.getValue().result();
            String fee = r.deliveryFee() != null ? m.get("continuity.check.fee", r.deliveryFee().toPlainString() + " " + currency) : "";
            String where = r.customerAddressFormatted() != null ? " — " + r.customerAddressFormatted() : "";
            line(b, m.get("continuity.check", e.getKey().wire(), r.estimatedTime(), fee + where));
        }
        for (CallState.OrderPlaced o : state.orders()) {
            line(b, m.get("continuity.order", o.number() == null ? "?" : o.number(), o.total().toPlainString() + " " + currency));
        }
        for (CallState.ReservationPlaced r : state.reservations()) {
            line(b, m.get("continuity.reservation", r.partySize(), r.time()));
        }
        if (!state.messageIds().isEmpty()) {
            line(b, m.get("continuity.message"));
        }
        if (state.lastRefused() != null) {
            line(b, m.get("continuity.refused", state.lastRefused().error(), state.lastRefused().summary()));
        }
        if (transfer != null) {
            line(b, m.get("continuity.transfer", transfer));
        }
        line(b, m.get("continuity.time", elapsedSec, localNow.format(HH_MM)));
        b.append(m.get("continuity.conversation")).append('\n').append(conversation(conversation, m));
        return b.toString();
    }

    /** The last lines, oldest first, within the limits; what does not fit becomes "…". */
    static String conversation(List<Spoken> lines, AgentMessages m) {
        Deque<String> kept = new ArrayDeque<>();
        int chars = 0;
        boolean cut = false;
        for (int i = lines.size() - 1; i >= 0; i--) {
            Spoken s = lines.get(i);
            String text = s.content();
            if (s.heardFraction() < 1) {
                text = text.substring(0, (int) Math.round(text.length() * Math.max(0, s.heardFraction()))) + "…";
            }
            String who = m.get("user".equals(s.role()) ? "automatic_message.caller" : "automatic_message.assistant");
            String line = who + ": " + text;
            if (kept.size() >= MAX_LINES || chars + line.length() + 1 > MAX_CHARS) {
                cut = true;
                break;
            }
            kept.addFirst(line);
            chars += line.length() + 1;
        }
        StringBuilder b = new StringBuilder();
        if (cut) {
            b.append("…\n");
        }
        kept.forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    private static void line(StringBuilder b, String text) {
        b.append("- ").append(text).append('\n');
    }

    private static String join(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                if (!b.isEmpty()) {
                    b.append(", ");
                }
                b.append(p);
            }
        }
        return b.toString();
    }
}
