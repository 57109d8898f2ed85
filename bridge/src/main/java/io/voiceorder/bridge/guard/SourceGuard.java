package io.voiceorder.bridge.guard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The per-source part of the SIP policy (bridge.md §5.3 rule 1, §9.2):
 * <ul>
 * <li>a banned source gets nothing, whoever it is (bans come from floods and from authentication failures);</li>
 * <li>a known source (trunk today; {@code known} is the integration point for peers and device bindings) passes;</li>
 * <li>an unknown source spends one token of its bucket (20, refilled at 2/s) per message; without a token it gets
 * nothing, and a source dropped in each of 30 consecutive seconds is banned for 10 min;</li>
 * <li>a request from an unknown source with a scanner User-Agent gets nothing;</li>
 * <li>5 authentication failures within 10 min from one IP ban it for 10 min.</li>
 * </ul>
 * Memory is bounded: at most {@value #MAX_SOURCES} sources are tracked (least recently seen forgotten first, idle
 * ones expire) and at most {@value #MAX_BANS} bans are held (oldest lifted first), so a flood from random source
 * addresses cannot grow it. Thread-safe; every decision is a few map operations under one lock, so it never blocks
 * the stack's threads for long.
 */
public final class SourceGuard {
    public static final int BUCKET = 20;
    public static final double REFILL_PER_SECOND = 2.0;
    public static final int FLOOD_SECONDS = 30;
    public static final Duration BAN = Duration.ofMinutes(10);
    public static final int AUTH_FAILURES = 5;
    public static final Duration AUTH_WINDOW = Duration.ofMinutes(10);
    /** bridge.md §9.5: a larger SIP message is dropped. */
    public static final int MAX_MESSAGE_BYTES = 65536;
    static final int MAX_SOURCES = 10_000;
    static final int MAX_BANS = 10_000;
    /** A source unseen this long, with a full bucket and no recent authentication failure, is forgotten. */
    static final Duration IDLE = Duration.ofMinutes(2);

    private static final Logger LOG = LoggerFactory.getLogger(SourceGuard.class);

    private final Predicate<String> known;
    private final Clock clock;
    private final GuardEvents events;
    private final LinkedHashMap<String, Source> sources = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Source> eldest) {
            return size() > MAX_SOURCES;
        }
    };
    private final LinkedHashMap<String, Held> bans = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
            return size() > MAX_BANS;
        }
    };

    /**
     * @param known  whether a source IP is known (trunk, peer CIDR, device binding): known sources are not rate
     *               limited and not checked for scanner User-Agents
     * @param events where drops are counted
     */
    public SourceGuard(Predicate<String> known, Clock clock, GuardEvents events) {
        this.known = known;
        this.clock = clock;
        this.events = events;
    }

    /**
     * The check ahead of the parser, for every datagram or stream message: size, ban, and the unknown source's
     * bucket.
     *
     * @param invite whether the message looks like an INVITE (for {@code invites_refused_total})
     */
    public GuardVerdict onMessage(String sourceIp, int length, boolean invite) {
        GuardVerdict verdict = length > MAX_MESSAGE_BYTES ? GuardVerdict.OVERSIZE : admit(sourceIp);
        report(verdict, invite);
        return verdict;
    }

    /** The check once a request is parsed: a scanner User-Agent from an unknown source. */
    public GuardVerdict onRequest(String sourceIp, String userAgent, boolean invite) {
        GuardVerdict verdict = ScannerUserAgents.matches(userAgent) && !isKnown(sourceIp) ? GuardVerdict.SCANNER
                : GuardVerdict.PASS;
        if (verdict == GuardVerdict.SCANNER) {
            LOG.debug("{} from {} with a scanner User-Agent dropped", invite ? "INVITE" : "request", sourceIp);
        }
        report(verdict, invite);
        return verdict;
    }

    /** A message that could not be parsed (or broke the parser), counted; the stack answers 400 where it can. */
    public void malformed() {
        events.dropped(GuardVerdict.MALFORMED, false);
    }

    /**
     * A failed device authentication (REGISTER or INVITE digest, bridge.md §5.2): the fifth within 10 min from one
     * IP bans it for 10 min.
     */
    public void authenticationFailed(String sourceIp) {
        long now = clock.millis();
        synchronized (this) {
            Source source = source(sourceIp, now);
            ArrayDeque<Long> failures = source.authFailures;
            failures.addLast(now);
            while (!failures.isEmpty() && now - failures.peekFirst() >= AUTH_WINDOW.toMillis()) {
                failures.removeFirst();
            }
            while (failures.size() > AUTH_FAILURES) {
                failures.removeFirst();
            }
            if (failures.size() >= AUTH_FAILURES) {
                failures.clear();
                ban(sourceIp, now, BanReason.AUTH_FAILURES, AUTH_FAILURES + " authentication failures within "
                        + AUTH_WINDOW.toMinutes() + " min (a device with a wrong password locks itself out)");
            }
        }
    }

    public synchronized boolean isBanned(String sourceIp) {
        return banned(sourceIp, clock.millis());
    }

    /** How many sources are tracked now (bounded by {@value #MAX_SOURCES}). */
    public synchronized int trackedSources() {
        return sources.size();
    }

    /** How many bans are held now (bounded by {@value #MAX_BANS}). */
    public synchronized int bans() {
        return bans.size();
    }

    /**
     * The bans in force, for {@code /health}: at most {@code limit} listed, most recent first, with the number in
     * force. A full scan of at most {@value #MAX_BANS} entries, only on demand.
     */
    public BanList activeBans(int limit) {
        long now = clock.millis();
        List<Ban> active = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, Held> e : bans.entrySet()) {
                if (now < e.getValue().untilMillis()) {
                    active.add(new Ban(e.getKey(), e.getValue().reason(), Instant.ofEpochMilli(e.getValue().untilMillis())));
                }
            }
        }
        Collections.reverse(active);
        return new BanList(active.subList(0, Math.min(limit, active.size())), active.size());
    }

    private boolean isKnown(String sourceIp) {
        try {
            return known.test(sourceIp);
        } catch (RuntimeException e) {
            LOG.warn("cannot tell whether {} is a known source: {}", sourceIp, e.toString());
            return false;
        }
    }

    private GuardVerdict admit(String sourceIp) {
        long now = clock.millis();
        boolean isKnown = isKnown(sourceIp);
        synchronized (this) {
            expire(now);
            if (banned(sourceIp, now)) {
                return GuardVerdict.BANNED;
            }
            if (isKnown) {
                return GuardVerdict.PASS;
            }
            Source source = source(sourceIp, now);
            if (source.bucket.tryTake(now)) {
                return GuardVerdict.PASS;
            }
            long second = now / 1000;
            if (source.lastDropSecond != second) {
                if (source.lastDropSecond != second - 1) {
                    source.streakStartSecond = second;
                    LOG.debug("{} exceeds its request budget: dropping", sourceIp);
                }
                source.lastDropSecond = second;
                if (second - source.streakStartSecond + 1 >= FLOOD_SECONDS) {
                    ban(sourceIp, now, BanReason.FLOOD, "dropped for exceeding its request budget in each of " + FLOOD_SECONDS
                            + " consecutive seconds");
                    return GuardVerdict.BANNED;
                }
            }
            return GuardVerdict.RATE_LIMITED;
        }
    }

    private Source source(String sourceIp, long now) {
        Source source = sources.get(sourceIp);
        if (source == null) {
            source = new Source(new TokenBucket(BUCKET, REFILL_PER_SECOND, now));
            sources.put(sourceIp, source);
        }
        source.lastSeenMillis = now;
        return source;
    }

    private boolean banned(String sourceIp, long now) {
        Held held = bans.get(sourceIp);
        if (held == null) {
            return false;
        }
        if (now >= held.untilMillis()) {
            bans.remove(sourceIp);
            LOG.info("ban of {} lifted", sourceIp);
            return false;
        }
        return true;
    }

    private void ban(String sourceIp, long now, BanReason reason, String why) {
        // re-inserted so that the map's order stays the order of the bans
        bans.remove(sourceIp);
        bans.put(sourceIp, new Held(reason, now + BAN.toMillis()));
        Source source = sources.get(sourceIp);
        if (source != null) {
            source.lastDropSecond = -1;
            source.streakStartSecond = -1;
        }
        LOG.warn("source {} banned for {} min ({}): {}; its messages are dropped", sourceIp, BAN.toMinutes(),
                reason.healthName(), why);
    }

    /** A little expiry work per call, from the least recently used end: amortised, never a full scan. */
    private void expire(long now) {
        Iterator<Map.Entry<String, Source>> it = sources.entrySet().iterator();
        for (int i = 0; i < 2 && it.hasNext(); i++) {
            Source s = it.next().getValue();
            boolean recentFailure = !s.authFailures.isEmpty() && now - s.authFailures.peekLast() < AUTH_WINDOW.toMillis();
            if (now - s.lastSeenMillis >= IDLE.toMillis() && s.bucket.isFull(now) && !recentFailure) {
                it.remove();
            } else {
                break;
            }
        }
        Iterator<Map.Entry<String, Held>> bansIt = bans.entrySet().iterator();
        for (int i = 0; i < 2 && bansIt.hasNext(); i++) {
            Map.Entry<String, Held> ban = bansIt.next();
            if (now >= ban.getValue().untilMillis()) {
                bansIt.remove();
                LOG.info("ban of {} lifted", ban.getKey());
            } else {
                break;
            }
        }
    }

    private void report(GuardVerdict verdict, boolean invite) {
        if (!verdict.passes()) {
            events.dropped(verdict, invite);
        }
    }

    private record Held(BanReason reason, long untilMillis) {
    }

    private static final class Source {
        final TokenBucket bucket;
        final ArrayDeque<Long> authFailures = new ArrayDeque<>(AUTH_FAILURES + 1);
        long lastSeenMillis;
        long lastDropSecond = -1;
        long streakStartSecond = -1;

        Source(TokenBucket bucket) {
            this.bucket = bucket;
        }
    }
}
