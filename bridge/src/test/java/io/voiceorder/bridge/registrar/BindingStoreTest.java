package io.voiceorder.bridge.registrar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BindingStoreTest {
    @TempDir
    Path dir;

    @Test
    void bindingsSurviveAReloadExpiredAndUnconfiguredOnesAreDropped() throws Exception {
        var clock = new DeviceAuthenticatorTest.MutableClock(Instant.parse("2026-02-10T13:00:00Z"));
        BindingStore store = new BindingStore(dir, clock, Runnable::run);
        store.put(new Binding("ht841", "sip:ht841@192.168.1.50:5062", "198.51.100.7", 41234, "udp", "Grandstream HT841",
                clock.instant().plusSeconds(3600)));
        store.put(new Binding("fxs", "sip:fxs@192.168.1.50:5064", "198.51.100.7", 41240, "udp", null,
                clock.instant().plusSeconds(60)));
        store.put(new Binding("gone", "sip:gone@10.0.0.1", "198.51.100.9", 5060, "udp", null, clock.instant().plusSeconds(600)));
        assertThat(Files.readString(dir.resolve(BindingStore.FILE_NAME))).contains("ht841").doesNotContain("password");

        clock.now = clock.now.plusSeconds(120);
        BindingStore reloaded = new BindingStore(dir, clock, Runnable::run);
        reloaded.load(Set.of("ht841", "fxs"));

        assertThat(reloaded.current()).extracting(Binding::user).containsExactly("ht841");
        Binding b = reloaded.find("ht841").orElseThrow();
        assertThat(b.source()).isEqualTo("198.51.100.7:41234");
        assertThat(b.userAgent()).isEqualTo("Grandstream HT841");
        assertThat(b.expiresInSeconds(clock)).isEqualTo(3480);
        assertThat(reloaded.isBoundSource("198.51.100.7")).isTrue();
        assertThat(reloaded.isBoundSource("198.51.100.9")).isFalse();

        reloaded.remove("ht841");
        BindingStore empty = new BindingStore(dir, clock, Runnable::run);
        empty.load(Set.of("ht841", "fxs"));
        assertThat(empty.current()).isEmpty();
    }
}
