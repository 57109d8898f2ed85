package io.voiceorder.bridge.guard;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SourceGuardTest {
    private static final String TRUNK = "192.0.2.10";
    private static final String STRANGER = "198.51.100.7";

    private final StepClock clock = new StepClock();
    private final List<String> drops = new ArrayList<>();
    private final SourceGuard guard = new SourceGuard(Set.of(TRUNK)::contains, clock,
            (verdict, invite) -> drops.add(verdict.reason() + (invite ? "/invite" : "")));

    private int passed(String source, int messages, Duration spacing) {
        int passed = 0;
        for (int i = 0; i < messages; i++) {
            if (guard.onMessage(source, 500, true).passes()) {
                passed++;
            }
            clock.advance(spacing);
        }
        return passed;
    }

    @Test
    void anUnknownSourceGetsItsBucketThenNothing() {
        assertThat(passed(STRANGER, 200, Duration.ofMillis(10))).isBetween(23, 24);
        assertThat(drops).hasSizeBetween(176, 177).allMatch(d -> d.equals("rate_limited/invite"));
    }

    @Test
    void theTrunkIsNeverRateLimited() {
        assertThat(passed(TRUNK, 1000, Duration.ofMillis(1))).isEqualTo(1000);
        assertThat(drops).isEmpty();
    }

    @Test
    void sourcesHaveTheirOwnBuckets() {
        passed(STRANGER, 100, Duration.ZERO);
        assertThat(passed("198.51.100.8", 20, Duration.ZERO)).isEqualTo(20);
    }

    @Test
    void aSourceDroppedInEachOf30ConsecutiveSecondsIsBannedForTenMinutes() {
        // the bucket emptied at once, then 10 messages a second: 2 pass, the rest are dropped, every second
        passed(STRANGER, 20, Duration.ZERO);
        for (int second = 0; second < 29; second++) {
            passed(STRANGER, 10, Duration.ofMillis(100));
        }
        assertThat(guard.isBanned(STRANGER)).as("29 seconds are not enough").isFalse();
        passed(STRANGER, 10, Duration.ofMillis(100));
        assertThat(guard.isBanned(STRANGER)).isTrue();
        drops.clear();
        assertThat(guard.onMessage(STRANGER, 100, false)).isEqualTo(GuardVerdict.BANNED);
        assertThat(drops).containsExactly("banned");

        // banned at the first drop of the 30th second (t = 29.1 s); the clock is now at 30 s
        clock.advance(Duration.ofMinutes(10).minusSeconds(2));
        assertThat(guard.onMessage(STRANGER, 100, true)).isEqualTo(GuardVerdict.BANNED);
        clock.advance(Duration.ofSeconds(2));
        assertThat(guard.isBanned(STRANGER)).isFalse();
        assertThat(guard.onMessage(STRANGER, 100, true)).isEqualTo(GuardVerdict.PASS);
    }

    @Test
    void aBreakInTheDropsRestartsTheCount() {
        for (int second = 0; second < 20; second++) {
            passed(STRANGER, 10, Duration.ofMillis(100));
        }
        clock.advance(Duration.ofSeconds(12));
        for (int second = 0; second < 20; second++) {
            passed(STRANGER, 10, Duration.ofMillis(100));
        }
        assertThat(guard.isBanned(STRANGER)).isFalse();
    }

    @Test
    void oversizedMessagesAreDroppedFromAnySource() {
        assertThat(guard.onMessage(TRUNK, SourceGuard.MAX_MESSAGE_BYTES + 1, false)).isEqualTo(GuardVerdict.OVERSIZE);
        assertThat(guard.onMessage(TRUNK, SourceGuard.MAX_MESSAGE_BYTES, false)).isEqualTo(GuardVerdict.PASS);
        assertThat(drops).containsExactly("oversize");
    }

    @Test
    void scannerUserAgentsAreDroppedFromUnknownSourcesOnly() {
        assertThat(guard.onRequest(STRANGER, "friendly-scanner", true)).isEqualTo(GuardVerdict.SCANNER);
        assertThat(guard.onRequest(STRANGER, "sipp", true)).isEqualTo(GuardVerdict.PASS);
        assertThat(guard.onRequest(STRANGER, null, false)).isEqualTo(GuardVerdict.PASS);
        assertThat(guard.onRequest(TRUNK, "friendly-scanner", true)).isEqualTo(GuardVerdict.PASS);
        assertThat(drops).containsExactly("scanner/invite");
    }

    @Test
    void fiveAuthenticationFailuresWithinTenMinutesBanEvenAKnownSource() {
        for (int i = 0; i < 4; i++) {
            guard.authenticationFailed(TRUNK);
            clock.advance(Duration.ofMinutes(2));
        }
        assertThat(guard.isBanned(TRUNK)).isFalse();
        guard.authenticationFailed(TRUNK);
        assertThat(guard.isBanned(TRUNK)).isTrue();
        assertThat(guard.onMessage(TRUNK, 100, false)).isEqualTo(GuardVerdict.BANNED);
        clock.advance(Duration.ofMinutes(10));
        assertThat(guard.onMessage(TRUNK, 100, false)).isEqualTo(GuardVerdict.PASS);
    }

    @Test
    void authenticationFailuresOlderThanTenMinutesDoNotCount() {
        for (int i = 0; i < 10; i++) {
            guard.authenticationFailed(STRANGER);
            clock.advance(Duration.ofMinutes(3));
        }
        assertThat(guard.isBanned(STRANGER)).isFalse();
    }

    @Test
    void aFloodFromRandomSourcesDoesNotGrowMemoryWithoutBound() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 50_000; i++) {
            String source = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
            guard.onMessage(source, 100, true);
            guard.authenticationFailed(source);
            if (i % 100 == 0) {
                clock.advance(Duration.ofMillis(1));
            }
        }
        assertThat(guard.trackedSources()).isLessThanOrEqualTo(SourceGuard.MAX_SOURCES);
        assertThat(guard.bans()).isLessThanOrEqualTo(SourceGuard.MAX_BANS);
    }

    @Test
    void idleSourcesAndLiftedBansExpire() {
        for (int i = 0; i < 100; i++) {
            guard.onMessage("10.0.0." + i, 100, false);
        }
        passed(STRANGER, 20, Duration.ZERO);
        for (int second = 0; second < 30; second++) {
            passed(STRANGER, 10, Duration.ofMillis(100));
        }
        assertThat(guard.bans()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(11));
        for (int i = 0; i < 200; i++) {
            guard.onMessage(TRUNK, 100, false);
        }
        assertThat(guard.trackedSources()).isZero();
        assertThat(guard.bans()).isZero();
    }

    @Test
    void aFailingKnownPredicateTreatsTheSourceAsUnknown() {
        SourceGuard failing = new SourceGuard(ip -> {
            throw new IllegalStateException("boom");
        }, clock, GuardEvents.NONE);
        assertThat(failing.onMessage(STRANGER, 10, false)).isEqualTo(GuardVerdict.PASS);
        assertThat(failing.onRequest(STRANGER, "sipvicious", false)).isEqualTo(GuardVerdict.SCANNER);
    }

    @Test
    void activeBansNameTheirReasonAndEndMostRecentFirstAndBounded() {
        java.time.Instant bannedAt = clock.instant();
        for (int i = 0; i < SourceGuard.AUTH_FAILURES; i++) {
            guard.authenticationFailed(TRUNK);
        }
        clock.advance(Duration.ofSeconds(1));
        passed(STRANGER, 20, Duration.ZERO);
        for (int second = 0; second < SourceGuard.FLOOD_SECONDS; second++) {
            passed(STRANGER, 10, Duration.ofMillis(100));
        }
        BanList bans = guard.activeBans(20);
        assertThat(bans.total()).isEqualTo(2);
        assertThat(bans.listed()).extracting(Ban::source).containsExactly(STRANGER, TRUNK);
        assertThat(bans.listed()).extracting(Ban::reason).containsExactly(BanReason.FLOOD, BanReason.AUTH_FAILURES);
        assertThat(bans.listed().get(1).until()).isEqualTo(bannedAt.plus(SourceGuard.BAN));

        for (int i = 0; i < 30; i++) {
            for (int f = 0; f < SourceGuard.AUTH_FAILURES; f++) {
                guard.authenticationFailed("203.0.113." + i);
            }
        }
        BanList many = guard.activeBans(20);
        assertThat(many.total()).isEqualTo(32);
        assertThat(many.listed()).hasSize(20);
        assertThat(many.listed().get(0).source()).isEqualTo("203.0.113.29");

        clock.advance(SourceGuard.BAN.plusSeconds(SourceGuard.FLOOD_SECONDS + 1));
        assertThat(guard.activeBans(20).total()).isZero();
    }
}
