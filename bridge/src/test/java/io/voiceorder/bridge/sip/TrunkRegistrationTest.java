package io.voiceorder.bridge.sip;

import io.voiceorder.bridge.config.HostPort;
import io.voiceorder.bridge.config.Secret;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Kamailio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The trunk registration against a real registrar: kamailio on loopback with digest auth. */
@RequiresPeers({KAMAILIO})
class TrunkRegistrationTest {
    private static final String USER = "0033972360682";
    private static final String PASSWORD = "trunk-pass-7f3a";

    @TempDir
    Path dir;

    private Kamailio kamailio;
    private SipEndpoint endpoint;
    private TrunkRegistration registration;
    private final List<String> outcomes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (registration != null) {
            registration.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (kamailio != null) {
            kamailio.close();
        }
    }

    private void start(Kamailio.Settings settings, String password, SipTimings timings) throws Exception {
        kamailio = Kamailio.start(settings, dir.resolve("kamailio"));
        endpoint = SipEndpoint.start("127.0.0.1", 0, "udp", "127.0.0.1", false, List.of(password));
        registration = new TrunkRegistration(endpoint, new HostPort("127.0.0.1", kamailio.port()), USER, Secret.of(password),
                300, timings, false, new TrunkAddresses("127.0.0.1"), new RegistrationEvents() {
                    @Override
                    public void onOutcome(String result) {
                        outcomes.add(result);
                    }

                    @Override
                    public void onRegistered(boolean up) {
                    }
                }, Clock.systemUTC());
        registration.start();
    }

    @Test
    void registersWithDigestAuthAndUnregistersOnShutdown() throws Exception {
        start(Kamailio.defaults(USER, PASSWORD), PASSWORD, SipTimings.standard());

        await().atMost(Duration.ofSeconds(5)).until(() -> registration.snapshot().state() == RegistrationState.REGISTERED);
        RegistrationSnapshot registered = registration.snapshot();
        assertThat(registered.lastError()).isEmpty();
        assertThat(registered.aor()).isEqualTo("sip:" + USER + "@127.0.0.1");
        assertThat(registered.expiresAt()).get().matches(at -> at.isAfter(Instant.now().plusSeconds(250)));
        assertThat(outcomes).containsExactly("ok");

        registration.unregister();
        assertThat(registration.snapshot().state()).isEqualTo(RegistrationState.UNREGISTERED);
        assertThat(kamailio.output()).doesNotContain(PASSWORD);
    }

    @Test
    void refreshesAtThreeQuartersOfTheGrantedExpiry() throws Exception {
        start(Kamailio.defaults(USER, PASSWORD).withExpires(12), PASSWORD, SipTimings.standard());

        await().atMost(Duration.ofSeconds(5)).until(() -> registration.snapshot().successfulRegistrations() == 1);
        Instant first = Instant.now();
        await().atMost(Duration.ofSeconds(15)).until(() -> registration.snapshot().successfulRegistrations() == 2);
        Duration gap = Duration.between(first, Instant.now());

        assertThat(gap).as("refresh 75%% into a 12 s grant").isBetween(Duration.ofSeconds(7), Duration.ofSeconds(11));
        assertThat(registration.snapshot().state()).isEqualTo(RegistrationState.REGISTERED);
    }

    @Test
    void aWrongPasswordFailsAndWaitsThirtySecondsBeforeTheNextAttempt() throws Exception {
        start(Kamailio.defaults(USER, PASSWORD), "wrong-password-1", SipTimings.standard());

        await().atMost(Duration.ofSeconds(5)).until(() -> registration.snapshot().state() == RegistrationState.FAILED);
        RegistrationSnapshot failed = registration.snapshot();
        assertThat(failed.lastError()).get().asString().contains("401").contains("credentials refused").doesNotContain("wrong-password-1");
        assertThat(failed.nextAttemptAt()).get().matches(at -> at.isAfter(Instant.now().plusSeconds(28)));
        assertThat(outcomes).containsExactly("auth_failed");
    }

    @Test
    void aRegistrarThatNeverAnswersOptionsGetsCrlfKeepalivesAndStaysRegistered() throws Exception {
        start(Kamailio.defaults(USER, PASSWORD).ignoringOptions(), PASSWORD,
                SipTimings.standard().withKeepalive(Duration.ofMillis(300), Duration.ofMillis(200)));

        await().atMost(Duration.ofSeconds(8)).until(() -> registration.snapshot().keepalive().equals("crlf"));
        assertThat(registration.snapshot().successfulRegistrations()).as("a REGISTER proved the registrar alive").isEqualTo(2);
        Thread.sleep(1500);

        assertThat(registration.snapshot().state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(registration.snapshot().lastError()).isEmpty();
        assertThat(outcomes).containsExactly("ok", "ok");
    }

    @Test
    void registrarDownIsDetectedByKeepaliveAndRegistrationComesBackAfterRestart() throws Exception {
        start(Kamailio.defaults(USER, PASSWORD), PASSWORD,
                SipTimings.standard().withKeepalive(Duration.ofMillis(500), Duration.ofMillis(400)));
        await().atMost(Duration.ofSeconds(5)).until(() -> registration.snapshot().state() == RegistrationState.REGISTERED);
        Thread.sleep(1200); // the registrar has answered keepalives before it goes down

        kamailio.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> registration.snapshot().state() == RegistrationState.FAILED);
        assertThat(registration.snapshot().lastError()).get().asString().contains("does not answer");

        kamailio.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> registration.snapshot().state() == RegistrationState.REGISTERED);
        assertThat(registration.snapshot().lastError()).isEmpty();
    }
}
