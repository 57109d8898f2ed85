package io.voiceorder.bridge.guard;

import io.voiceorder.bridge.sip.SipEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sip.message.Request;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** On TCP the parser does not know the connection: the valve applies the source checks there. */
class GuardedTcpStackTest {
    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private SipEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private static String options(Socket socket, String callId, String userAgent) {
        String local = socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
        return "OPTIONS sip:100@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP " + local + ";branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:a@" + local + ">;tag=1\r\nTo: <sip:100@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nUser-Agent: " + userAgent + "\r\nContent-Length: 0\r\n\r\n";
    }

    /** Every response read until the connection stays quiet for {@code quietMs}. */
    private static String readUntilQuiet(Socket socket, int quietMs) throws IOException {
        socket.setSoTimeout(quietMs);
        InputStream in = socket.getInputStream();
        StringBuilder all = new StringBuilder();
        byte[] buffer = new byte[8192];
        for (int i = 0; i < 1000; i++) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                all.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            } catch (SocketTimeoutException quiet) {
                break;
            }
        }
        return all.toString();
    }

    @Test
    void scannersAndOverBudgetRequestsGetNothingOverTcp() throws Exception {
        SourceGuard guard = new SourceGuard(Set.of("127.0.0.1")::contains, Clock.systemUTC(),
                (verdict, invite) -> dropped.add(verdict.reason()));
        endpoint = SipEndpoint.start("127.0.0.1", 0, "tcp", "127.0.0.1", false, List.of(), guard);
        endpoint.onRequests(event -> {
            if (!event.getRequest().getMethod().equals(Request.ACK)) {
                endpoint.respond(event, null, endpoint.response(200, event.getRequest()));
            }
        });

        try (Socket stranger = new Socket()) {
            stranger.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.8"), 0));
            stranger.connect(new InetSocketAddress("127.0.0.1", endpoint.localPort()), 5000);
            stranger.getOutputStream().write(options(stranger, "tcp-scan", "friendly-scanner").getBytes(StandardCharsets.UTF_8));
            assertThat(readUntilQuiet(stranger, 800)).isEmpty();

            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                burst.append(options(stranger, "tcp-" + i, "plain"));
            }
            stranger.getOutputStream().write(burst.toString().getBytes(StandardCharsets.UTF_8));
            String answers = readUntilQuiet(stranger, 1500);
            int answered = answers.split("SIP/2.0 200", -1).length - 1;
            // the scanner's request took one token too
            assertThat(answered).isBetween(19, 22);
        }
        assertThat(dropped).contains("scanner", "rate_limited");
    }
}
