package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.bridge.support.UdpSipProbe;
import io.voiceorder.fixtures.sip.Sipp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault-matrix row "malformed SIP" (bridge.md §11 item 43, §9.5): while a trunk call is live, every RFC 4475
 * torture message (from unknown sources and from the trunk's address) and 1,000 random datagrams (seeded: random
 * bytes, truncated and mutated INVITEs) reach the SIP port. Each gets 400 or nothing (valid-but-weird ones a
 * sensible refusal), no torture INVITE gets a 2xx, no call record or RTP port is left behind, the live call keeps
 * its audio, and an OPTIONS from the trunk's address still gets 200.
 */
@RequiresPeers({KAMAILIO, SIPP})
class FaultMalformedSipTest {
    /** One RFC 4475 message of {@code rfc4475/index.txt}. */
    record Torture(String name, String section, String kind, byte[] bytes) {
        boolean isInvite() {
            return new String(bytes, 0, Math.min(bytes.length, 7), StandardCharsets.ISO_8859_1).equals("INVITE ");
        }

        boolean isResponse() {
            return kind.equals("response");
        }

        /** Well formed, or malformed in a way the RFC lets an element accept. */
        boolean acceptable() {
            return kind.equals("valid") || kind.equals("tolerated");
        }

        String callId() {
            return UdpSipProbe.callIdOf(new String(bytes, StandardCharsets.ISO_8859_1));
        }

        /**
         * The message with its Via branches made unique to this copy: several RFC 4475 messages share one branch
         * (z9hG4bKkdjuw), and JAIN-SIP matches server transactions by branch alone, so they would be absorbed as
         * retransmissions of each other instead of each being judged.
         */
        byte[] withBranchesTagged(String tag) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            return text.replace("branch=z9hG4bK", "branch=z9hG4bK" + tag + ".").getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    @TempDir
    Path dir;

    private BridgeHarness harness;
    private final List<UdpSipProbe> probes = new ArrayList<>();

    @AfterEach
    void stop() {
        probes.forEach(UdpSipProbe::close);
        if (harness != null) {
            harness.close();
        }
    }

    static List<Torture> tortureMessages() throws IOException {
        List<Torture> all = new ArrayList<>();
        for (String line : resource("index.txt").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" ");
            try (InputStream in = FaultMalformedSipTest.class.getResourceAsStream("/rfc4475/" + f[0] + ".dat")) {
                assertThat(in).as(f[0]).isNotNull();
                all.add(new Torture(f[0], f[1], f[2], in.readAllBytes()));
            }
        }
        return all;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FaultMalformedSipTest.class.getResourceAsStream("/rfc4475/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * A probe on its own loopback address, port 5060: the bridge answers a Via without rport to its sent-by port,
     * 5060 by default, at the received address.
     */
    private UdpSipProbe unknownSource(int n) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            String ip = "127.44." + (n / 200 + attempt * 7 + 1) + "." + (n % 200 + 10);
            try {
                UdpSipProbe probe = new UdpSipProbe(ip, 5060, harness.bridge.sipPort());
                probes.add(probe);
                return probe;
            } catch (BindException taken) {
                // another test holds it: next address
            }
        }
        throw new IOException("no free loopback address for probe " + n);
    }

    private boolean trunkOn5060;

    /**
     * The trunk's address as a source: on port 5060 when it is free, where the bridge sends its answers to the
     * torture messages' port-less Vias; otherwise anywhere, and those answers go unseen (the call records still
     * show that none became a call).
     */
    private UdpSipProbe trunkProbe() throws IOException {
        try {
            UdpSipProbe probe = new UdpSipProbe("127.0.0.1", 5060, harness.bridge.sipPort());
            trunkOn5060 = true;
            return probe;
        } catch (BindException taken) {
            return new UdpSipProbe("127.0.0.1", harness.bridge.sipPort());
        }
    }

    @Test
    void tortureMessagesAndRandomDatagramsGet400OrNothingWhileALiveCallKeepsItsAudio() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        harness.serve.onStart((ws, start) -> {
            String sid = start.path("streamSid").asText();
            Thread speaker = new Thread(() -> {
                byte[] batch = new byte[1600];
                Arrays.fill(batch, (byte) 0x55);
                try {
                    for (int i = 0; i < 40 && ws.isOpen(); i++) {
                        ServeStandIn.sendAudio(ws, sid, batch);
                        Thread.sleep(200);
                    }
                    Thread.sleep(500);
                    ws.close(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "serve-speaker");
            speaker.setDaemon(true);
            speaker.start();
        });
        List<Torture> torture = tortureMessages();
        assertThat(torture).hasSize(49);

        Map<Torture, UdpSipProbe> fromUnknown = new LinkedHashMap<>();
        try (Sipp caller = Sipp.caller("uac-wait-bye.xml", harness.kamailio.domain(), BridgeHarness.USER,
                Map.of("caller", "0145678901"), dir.resolve("sipp"));
             UdpSipProbe trunk = trunkProbe()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().size() == 1
                    && harness.calls().get(0).path("status").asText().equals("active"));

            // every message once from its own unknown source, and once from the trunk's address (but the valid and
            // tolerated INVITEs: from the trunk they are calls)
            for (Torture t : torture) {
                UdpSipProbe probe = unknownSource(fromUnknown.size());
                fromUnknown.put(t, probe);
                probe.send(t.withBranchesTagged("u" + fromUnknown.size()));
            }
            List<Torture> fromTrunk = new ArrayList<>();
            for (Torture t : torture) {
                if (!(t.acceptable() && t.isInvite())) {
                    fromTrunk.add(t);
                    trunk.send(t.withBranchesTagged("t" + fromTrunk.size()));
                }
            }

            // 1,000 seeded random datagrams: random bytes, printable noise, truncated and mutated INVITEs
            Random random = new Random(4475);
            List<UdpSipProbe> noiseSources = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                noiseSources.add(unknownSource(1000 + i));
            }
            String invite = noiseSources.get(0).request("INVITE", "mutant", "plain-phone/2.1");
            byte[] valid = invite.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 1000; i++) {
                byte[] datagram;
                switch (i % 4) {
                    case 0 -> {
                        datagram = new byte[1 + random.nextInt(1500)];
                        random.nextBytes(datagram);
                    }
                    case 1 -> {
                        datagram = new byte[1 + random.nextInt(1500)];
                        for (int k = 0; k < datagram.length; k++) {
                            datagram[k] = (byte) " \r\n:;<>@=SIP/2.0INVITEVia".charAt(random.nextInt(25));
                        }
                    }
                    case 2 -> datagram = Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1));
                    default -> {
                        datagram = valid.clone();
                        for (int k = 0; k < 1 + random.nextInt(8); k++) {
                            datagram[random.nextInt(datagram.length)] = (byte) random.nextInt(256);
                        }
                    }
                }
                // the trunk's address sends random bytes too: it skips the rate limit, so all reach the parser
                UdpSipProbe from = i % 8 == 0 ? trunk : noiseSources.get(i % noiseSources.size());
                from.send(datagram);
                if (i % 50 == 49) {
                    Thread.sleep(20);
                }
            }

            // answers arrive within a second on loopback; three leave room for a loaded machine
            Thread.sleep(3000);
            Map<String, List<Integer>> answers = new LinkedHashMap<>();
            for (Map.Entry<Torture, UdpSipProbe> e : fromUnknown.entrySet()) {
                answers.put(e.getKey().name(), e.getValue().received().stream().filter(r -> r.startsWith("SIP/2.0 "))
                        .map(UdpSipProbe::status).distinct().toList());
            }
            int refused400 = 0;
            for (Torture t : torture) {
                List<Integer> statuses = answers.get(t.name());
                String what = t.name() + " (RFC 4475 " + t.section() + ", " + t.kind() + ") from an unknown source; all: " + answers;
                switch (t.kind()) {
                    // well formed: refused as any unknown source is (403), or per its oddity (481 to a To tag, 483 to
                    // Max-Forwards 0)
                    case "valid" -> assertThat(statuses).as(what).isSubsetOf(403, 481, 483);
                    case "tolerated" -> assertThat(statuses).as(what).isSubsetOf(400, 403);
                    // malformed: 400 (or 505) where the parser objects; 403 where it parses and the policy refuses
                    case "invalid" -> assertThat(statuses).as(what).isSubsetOf(400, 403, 505);
                    default -> assertThat(statuses).as(what + ": a stray response gets nothing").isEmpty();
                }
                if (statuses.contains(400)) {
                    refused400++;
                }
            }
            assertThat(refused400).as("malformed requests answered 400 by the parser: %s", answers).isGreaterThanOrEqualTo(8);
            assertThat(answers.get("esc01")).as("a valid INVITE from an unknown source").containsExactly(403);
            assertThat(answers.get("zeromf")).containsExactly(483);
            for (UdpSipProbe noise : noiseSources) {
                assertThat(noise.received()).as("random datagrams get 400, 403 or nothing")
                        .allSatisfy(r -> assertThat(UdpSipProbe.status(r)).isIn(400, 403, 505));
            }
            if (trunkOn5060) {
                Map<String, List<Integer>> trunkAnswers = new LinkedHashMap<>();
                for (Torture t : fromTrunk) {
                    String callId = t.callId();
                    trunkAnswers.put(t.name(), callId == null ? List.of() : trunk.received().stream()
                            .filter(r -> r.startsWith("SIP/2.0 ") && callId.equals(UdpSipProbe.callIdOf(r)))
                            .map(UdpSipProbe::status).distinct().toList());
                }
                for (Torture t : fromTrunk) {
                    List<Integer> statuses = trunkAnswers.get(t.name());
                    String what = t.name() + " (RFC 4475 " + t.section() + ", " + t.kind() + ") from the trunk's address; all: "
                            + trunkAnswers;
                    switch (t.kind()) {
                        // the trunk's well-formed non-INVITEs: 200 to OPTIONS, 405 to other methods, 481/483 per oddity
                        case "valid" -> assertThat(statuses).as(what).isSubsetOf(200, 405, 481, 483);
                        case "tolerated" -> assertThat(statuses).as(what).isSubsetOf(200, 400, 405);
                        case "invalid" -> assertThat(statuses).as(what).isSubsetOf(400, 405, 505);
                        default -> assertThat(statuses).as(what + ": a stray response gets nothing").isEmpty();
                    }
                }
            }

            trunk.send(trunk.request("OPTIONS", "after-torture", "kamailio"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !trunk.statusesFor("after-torture").isEmpty());
            assertThat(trunk.statusesFor("after-torture")).containsExactly(200);

            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        assertThat(harness.calls()).as("no call record for any torture message or datagram").hasSize(1);
        assertThat(harness.serve.upgradePaths()).hasSize(1);
        JsonNode call = harness.calls().get(0);
        assertThat(call.path("endReason").asText()).isEqualTo("app-hangup");
        assertThat(call.path("media").path("rtpOut").asLong()).isGreaterThanOrEqualTo(400);
        assertThat(call.path("media").path("discardedMs").asLong()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.health().path("rtp_ports").path("in_use").asInt() == 0);

        long expectedChunk = 1;
        for (String text : harness.serve.streams().get(0)) {
            JsonNode message = ServeStandIn.parse(text);
            if (message.path("event").asText().equals("media")) {
                assertThat(message.path("media").path("chunk").asLong()).as("chunk continuity").isEqualTo(expectedChunk++);
            }
        }
        assertThat(expectedChunk - 1).as("the caller's audio reached serve throughout").isGreaterThanOrEqualTo(300);
        assertThat(harness.get("/metrics").body()).containsPattern("voiceorder_bridge_sip_dropped_total\\{reason=\"malformed\"} [1-9]");
    }
}
