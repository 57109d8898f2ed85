package io.voiceorder.bridge.sip;

import io.voiceorder.bridge.config.HostPort;
import io.voiceorder.bridge.config.Secret;
import io.voiceorder.fixtures.sip.FreePorts;
import io.voiceorder.fixtures.sip.Sipp;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A sipp UAS answering REGISTERs with a scripted series of responses, and the bridge's trunk registration
 * (its own SIP endpoint on a free UDP port) registering to it.
 */
final class ScriptedRegistrar implements AutoCloseable {
    static final String USER = "0033972360682";
    private static final String PASSWORD = "trunk-pass-7f3a";

    final Sipp registrar;
    final SipEndpoint endpoint;
    final TrunkRegistration registration;

    private ScriptedRegistrar(Sipp registrar, SipEndpoint endpoint, TrunkRegistration registration) {
        this.registrar = registrar;
        this.endpoint = endpoint;
        this.registration = registration;
    }

    static ScriptedRegistrar start(String scenario, Map<String, String> keys, int requestedExpires, Path dir) throws Exception {
        int port = FreePorts.udpAndTcp();
        Sipp registrar = Sipp.callee(scenario, port, keys, 0, dir.resolve("registrar"));
        SipEndpoint endpoint = null;
        try {
            endpoint = SipEndpoint.start("127.0.0.1", 0, "udp", "127.0.0.1", false, List.of(PASSWORD));
            TrunkRegistration registration = new TrunkRegistration(endpoint, new HostPort("127.0.0.1", port), USER,
                    Secret.of(PASSWORD), requestedExpires, SipTimings.standard(), false, new TrunkAddresses("127.0.0.1"),
                    new RegistrationEvents() {
                        @Override
                        public void onOutcome(String result) {
                        }

                        @Override
                        public void onRegistered(boolean up) {
                        }
                    }, Clock.systemUTC());
            registration.start();
            return new ScriptedRegistrar(registrar, endpoint, registration);
        } catch (Exception | Error e) {
            if (endpoint != null) {
                endpoint.close();
            }
            registrar.close();
            throw e;
        }
    }

    @Override
    public void close() {
        registration.close();
        endpoint.close();
        registrar.close();
    }
}
