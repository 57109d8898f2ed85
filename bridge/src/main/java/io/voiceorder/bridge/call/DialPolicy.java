package io.voiceorder.bridge.call;

import io.voiceorder.bridge.config.PhoneNumbers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The toll-fraud guard of outbound calls (bridge.md §9.3): the normalised destination must start with an
 * {@code --allow-dial} prefix ({@code *} = all), and at most {@code --max-outbound-per-hour} attempts per
 * sliding hour, failed ones included.
 */
public final class DialPolicy {
    private static final Duration HOUR = Duration.ofHours(1);

    private final List<String> allowDial;
    private final String trunkHost;
    private final int maxPerHour;
    private final PhoneNumbers numbers;
    private final Clock clock;
    private final Deque<Instant> attempts = new ArrayDeque<>();

    public DialPolicy(List<String> allowDial, String trunkHost, int maxPerHour, PhoneNumbers numbers, Clock clock) {
        this.allowDial = allowDial;
        this.trunkHost = trunkHost.toLowerCase(Locale.ROOT);
        this.maxPerHour = maxPerHour;
        this.numbers = numbers;
        this.clock = clock;
    }

    /** What is dialled: digits and a leading {@code +} of a number, the number of a {@code tel:}, a sip: URI as given. */
    public static String dialString(String to) {
        String t = to.strip();
        if (t.regionMatches(true, 0, "sip:", 0, 4)) {
            return t;
        }
        if (t.regionMatches(true, 0, "tel:", 0, 4)) {
            t = t.substring(4);
        }
        String cleaned = t.replaceAll("[\\s.()\\-]", "");
        return cleaned;
    }

    /** @return the E.164 form for the record and the policy, or null when {@code to} is not a usable destination */
    public String normalise(String to) {
        String dial = dialString(to);
        if (dial.regionMatches(true, 0, "sip:", 0, 4)) {
            String user = userOf(dial);
            return user == null ? null : numbers.normalise(user);
        }
        if (!dial.matches("\\+?[0-9*#]{2,32}")) {
            return null;
        }
        return numbers.normalise(dial);
    }

    public boolean allowed(String to) {
        String dial = dialString(to);
        String number = normalise(to);
        if (number == null) {
            return false;
        }
        if (dial.regionMatches(true, 0, "sip:", 0, 4)) {
            String host = hostOf(dial);
            boolean trunk = host != null && (host.equals(trunkHost) || host.startsWith(trunkHost + ":"));
            if (!trunk) {
                return allowDial.contains("*") || allowDial.stream().anyMatch(e -> e.equalsIgnoreCase("sip:" + host));
            }
        }
        return allowDial.contains("*") || allowDial.stream().anyMatch(prefix -> prefix.startsWith("+") && number.startsWith(prefix));
    }

    /** Counts an attempt; empty when allowed, else the seconds until one is free again. */
    public synchronized OptionalLong takeAttempt() {
        if (maxPerHour <= 0) {
            return OptionalLong.empty();
        }
        Instant now = clock.instant();
        while (!attempts.isEmpty() && !attempts.peekFirst().isAfter(now.minus(HOUR))) {
            attempts.pollFirst();
        }
        if (attempts.size() >= maxPerHour) {
            long wait = Duration.between(now, attempts.peekFirst().plus(HOUR)).toSeconds() + 1;
            return OptionalLong.of(Math.max(1, wait));
        }
        attempts.addLast(now);
        return OptionalLong.empty();
    }

    private static String userOf(String sipUri) {
        String rest = sipUri.substring(4);
        int at = rest.indexOf('@');
        return at <= 0 ? null : rest.substring(0, at);
    }

    private static String hostOf(String sipUri) {
        String rest = sipUri.substring(4);
        int at = rest.indexOf('@');
        String host = at < 0 ? rest : rest.substring(at + 1);
        int semi = host.indexOf(';');
        return (semi < 0 ? host : host.substring(0, semi)).toLowerCase(Locale.ROOT);
    }
}
