package io.voiceorder.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** start-sipbridge.sh: environment to flags, secrets only through the environment, never printed. */
class StartSipBridgeScriptTest {
    private static final Map<String, String> SECRETS = Map.of("SIP_PASSWORD", "sip-secret-1a2b", "TURN_PASSWORD",
            "turn-secret-3c4d", "BRIDGE_API_TOKEN", "api-token-5e6f7a8b9c0d", "MEDIA_STREAM_SECRET", "stream-secret-7g8h");

    @TempDir
    Path dir;

    private record Run(int status, String output) {
    }

    private Run run(Map<String, String> env) throws IOException, InterruptedException {
        Path script = dir.resolve("start-sipbridge.sh");
        Files.copy(Path.of("..", "start-sipbridge.sh"), script, StandardCopyOption.REPLACE_EXISTING);
        Path launcher = dir.resolve("fake-voiceorder");
        // stands in for bin/voiceorder: shows the arguments it got and which secrets reached its environment
        Files.writeString(launcher, "#!/usr/bin/env bash\necho \"ARGS: $*\"\n"
                + "for v in SIP_PASSWORD TURN_PASSWORD BRIDGE_API_TOKEN MEDIA_STREAM_SECRET; do "
                + "[[ -n \"${!v:-}\" ]] && echo \"ENV: $v present\"; done\nexit 0\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SIP_") || k.startsWith("TURN_") || k.startsWith("BRIDGE_")
                || k.equals("RESTAURANT_ID") || k.equals("MEDIA_STREAM_SECRET"));
        pb.environment().putAll(env);
        pb.environment().put("VOICEORDER_LAUNCHER", launcher.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void mapsTheEnvironmentToFlagsAndKeepsSecretsOutOfTheCommandLineAndTheOutput() throws Exception {
        Map<String, String> env = new HashMap<>(SECRETS);
        env.put("SIP_USERNAME", "0033972360682");
        env.put("SIP_DOMAIN", "sip.ovh.fr");
        env.put("RESTAURANT_ID", "r1");
        env.put("STATUS_CALLBACK_URL", "http://127.0.0.1:9000/status");

        Run r = run(env);

        assertThat(r.status()).as(r.output()).isZero();
        assertThat(r.output()).contains("--sip-domain sip.ovh.fr", "--sip-username 0033972360682", "--sip-transport udp",
                "--ws-target ws://localhost:5050/media-stream", "--api-port 5060", "--max-call-duration 600",
                "--max-concurrent-calls 10", "--param restaurantId=r1", "--status-callback-url http://127.0.0.1:9000/status",
                "SIP_PASSWORD set", "BRIDGE_API_TOKEN set", "ENV: SIP_PASSWORD present", "ENV: MEDIA_STREAM_SECRET present");
        assertThat(r.output()).doesNotContain("--sip-port", "--sip-password", "--turn-password", "--api-token");
        for (String secret : SECRETS.values()) {
            assertThat(r.output()).doesNotContain(secret);
        }
    }

    @Test
    void abortsNamingTheVariablesWhenNoWayInOrNoRestaurantIsSet() throws Exception {
        Run noWayIn = run(Map.of("RESTAURANT_ID", "r1"));
        assertThat(noWayIn.status()).isEqualTo(1);
        assertThat(noWayIn.output()).contains("SIP_USERNAME", "SIP_DEVICES", "SIP_ALLOW_FROM");

        Run noRestaurant = run(Map.of("SIP_USERNAME", "0033972360682"));
        assertThat(noRestaurant.status()).isEqualTo(1);
        assertThat(noRestaurant.output()).contains("RESTAURANT_ID");
    }
}
