package io.voiceorder.bridge.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BridgeConfigParserTest {
    private static BridgeConfig parse(Map<String, String> extra, List<String> params) {
        Map<String, String> vars = new HashMap<>(Map.of("SIP_USERNAME", "0033972360682"));
        vars.putAll(extra);
        return BridgeConfigParser.parse(vars, params, List.of());
    }

    @Test
    void defaultsAreTheOriginalBridgesAndTheCountryCodeComesFromTheUsername() {
        BridgeConfig c = parse(Map.of(), List.of());

        assertThat(c.sipDomain()).isEqualTo(new HostPort("sip.twilio.com", 5060));
        assertThat(c.sipTransport()).isEqualTo("udp");
        assertThat(c.sipRegTimeoutSec()).isEqualTo(300);
        assertThat(c.wsTarget()).hasToString("ws://localhost:5050/media-stream");
        assertThat(c.apiPort()).isEqualTo(5060);
        assertThat(c.apiBind()).isEqualTo("127.0.0.1");
        assertThat(c.maxCallDurationSec()).isEqualTo(600);
        assertThat(c.maxConcurrentCalls()).isEqualTo(10);
        assertThat(c.callbackMethod()).isEqualTo("POST");
        assertThat(c.countryCode()).hasValue("+33");
        assertThat(c.allowDial()).containsExactly("+33");
        assertThat(c.rtpPortMin()).isEqualTo(10000);
        assertThat(c.rtpPortMax()).isEqualTo(20000);
        assertThat(c.pacerPriority()).isEqualTo(10);
    }

    @Test
    void transferModeDefaultsToAutoAndTakesReferOrBridge() {
        assertThat(parse(Map.of(), List.of()).transferMode()).isEqualTo(TransferMode.AUTO);
        assertThat(parse(Map.of("TRANSFER_MODE", "refer"), List.of()).transferMode()).isEqualTo(TransferMode.REFER);
        assertThat(parse(Map.of("TRANSFER_MODE", "BRIDGE"), List.of()).transferMode()).isEqualTo(TransferMode.BRIDGE);
        assertThatThrownBy(() -> parse(Map.of("TRANSFER_MODE", "attended"), List.of()))
                .hasMessageContaining("TRANSFER_MODE (flag --transfer-mode)").hasMessageContaining("auto, refer, bridge");
    }

    @Test
    void paramsComeFromRestaurantIdThenBridgeParamsThenFlagsLaterWinning() {
        BridgeConfig c = parse(Map.of("RESTAURANT_ID", "r1", "BRIDGE_PARAMS", "a=1, b = 2 ,restaurantId=r2"),
                List.of("b=3", "url=x=y"));

        assertThat(c.params()).containsExactly(Map.entry("a", "1"), Map.entry("restaurantId", "r2"), Map.entry("b", "3"),
                Map.entry("url", "x=y"));
    }

    @Test
    void refusalsNameTheFlagTheVariableAndNeverASecret() {
        assertThatThrownBy(() -> parse(Map.of("SIP_REG_TIMEOUT", "59"), List.of()))
                .hasMessageContaining("SIP_REG_TIMEOUT (flag --sip-reg-timeout)");
        assertThatThrownBy(() -> parse(Map.of("BRIDGE_API_TOKEN", "short-secret"), List.of()))
                .hasMessageContaining("--api-token").hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> parse(Map.of("SIP_TRANSPORT", "tcp", "SIP_PORT", "5060"), List.of()))
                .hasMessageContaining("choose two different ports");
        assertThatThrownBy(() -> parse(Map.of(), List.of("noequals"))).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> parse(Map.of(), List.of("=v"))).hasMessageContaining("key");
        assertThatThrownBy(() -> parse(Map.of(), List.of("direction=x"))).hasMessageContaining("reserved");
        assertThatThrownBy(() -> parse(Map.of("TURN_SERVER", "turn.example", "SIP_NO_ICE", "true"), List.of()))
                .hasMessageContaining("--no-ice");
        assertThatThrownBy(() -> parse(Map.of("CALLBACK_TIMEOUT", "0.1"), List.of())).hasMessageContaining("0.5 and 30");
        assertThatThrownBy(() -> parse(Map.of("RTP_PORTS", "20000-10000"), List.of())).hasMessageContaining("RTP_PORTS");
        assertThatThrownBy(() -> parse(Map.of("PACER_PRIORITY", "100"), List.of()))
                .hasMessageContaining("PACER_PRIORITY (flag --pacer-priority)").hasMessageContaining("0 (ordinary scheduling) and 99");
        assertThatThrownBy(() -> BridgeConfigParser.parse(Map.of(), List.of(), List.of()))
                .hasMessageContaining("--sip-username").hasMessageContaining("--device").hasMessageContaining("--allow-from");
    }

    @Test
    void devicesAndPeersAreWaysInOnTheirOwnAndMoveTheSipPortDefaultTo5060() {
        BridgeConfig gateway = BridgeConfigParser.parse(Map.of("SIP_DEVICES", "ht841:gw:pass, fxs:pw2"), List.of(), List.of());
        assertThat(gateway.trunkMode()).isFalse();
        assertThat(gateway.devices()).extracting(DeviceAccount::user).containsExactly("ht841", "fxs");
        assertThat(gateway.devices().get(0).password().reveal()).isEqualTo("gw:pass");
        assertThat(gateway.devices().get(0).toString()).doesNotContain("gw:pass");
        assertThat(gateway.sipPort()).isEqualTo(5060);
        assertThat(gateway.allowDial()).isEmpty();

        BridgeConfig peers = BridgeConfigParser.parse(Map.of("SIP_ALLOW_FROM", "192.0.2.0/28,198.51.100.7"), List.of(), List.of());
        assertThat(peers.allowFrom()).extracting(Object::toString).containsExactly("192.0.2.0/28", "198.51.100.7/32");
        assertThat(peers.sipPort()).isEqualTo(5060);
        assertThat(peers.allowFrom().get(0).contains("192.0.2.15")).isTrue();
        assertThat(peers.allowFrom().get(0).contains("192.0.2.16")).isFalse();

        assertThat(parse(Map.of(), List.of()).sipPort()).isZero();
        assertThat(parse(Map.of("SIP_DEVICES", "ht841:pw", "SIP_PORT", "5070"), List.of()).sipPort()).isEqualTo(5070);
    }

    @Test
    void badDeviceAndCidrEntriesAreRefusedWithoutEchoingAPassword() {
        assertThatThrownBy(() -> BridgeConfigParser.parse(Map.of("SIP_DEVICES", "ht841:ok-pass,nocolon-secret"), List.of(), List.of()))
                .hasMessageContaining("SIP_DEVICES (flag --device) entry 2").hasMessageNotContaining("secret")
                .hasMessageNotContaining("ok-pass");
        assertThatThrownBy(() -> BridgeConfigParser.parse(Map.of("SIP_DEVICES", "ht841:"), List.of(), List.of()))
                .hasMessageContaining("--device");
        assertThatThrownBy(() -> BridgeConfigParser.parse(Map.of("SIP_DEVICES", "a:x,a:y"), List.of(), List.of()))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> BridgeConfigParser.parse(Map.of("SIP_ALLOW_FROM", "10.0.0.300/8"), List.of(), List.of()))
                .hasMessageContaining("SIP_ALLOW_FROM (flag --allow-from)");
        assertThatThrownBy(() -> BridgeConfigParser.parse(Map.of("SIP_ALLOW_FROM", "10.0.0.0/33"), List.of(), List.of()))
                .hasMessageContaining("--allow-from");
    }

    @Test
    void natFlagsDefaultToPort3478AndTurnDoublesAsStun() {
        assertThat(parse(Map.of(), List.of()).nat()).isEqualTo(NatConfig.NONE);
        NatConfig stun = parse(Map.of("STUN_SERVER", "stun.example"), List.of()).nat();
        assertThat(stun.stunServer()).hasValue(new HostPort("stun.example", 3478));
        assertThat(stun.turnServer()).isEmpty();
        NatConfig turn = parse(Map.of("TURN_SERVER", "turn.example:3479", "TURN_USERNAME", "site1",
                "TURN_PASSWORD", "pw-secret"), List.of()).nat();
        assertThat(turn.stunServer()).hasValue(new HostPort("turn.example", 3479));
        assertThat(turn.turnUsername()).hasValue("site1");
        assertThat(turn.turnPassword().reveal()).isEqualTo("pw-secret");
        assertThat(parse(Map.of("STUN_SERVER", "stun.example", "SIP_NO_ICE", "true"), List.of()).nat().noIce()).isTrue();
    }

    @Test
    void turnNeedsBothCredentialsAndCredentialsNeedTurn() {
        assertThatThrownBy(() -> parse(Map.of("TURN_SERVER", "turn.example", "TURN_USERNAME", "site1"), List.of()))
                .hasMessageContaining("TURN_PASSWORD (flag --turn-password)");
        assertThatThrownBy(() -> parse(Map.of("TURN_SERVER", "turn.example", "TURN_PASSWORD", "pw-secret"), List.of()))
                .hasMessageContaining("--turn-username").hasMessageNotContaining("pw-secret");
        assertThatThrownBy(() -> parse(Map.of("TURN_USERNAME", "site1", "TURN_PASSWORD", "pw-secret"), List.of()))
                .hasMessageContaining("--turn-server").hasMessageNotContaining("pw-secret");
        assertThatThrownBy(() -> parse(Map.of("STUN_SERVER", "stun.example:99999"), List.of()))
                .hasMessageContaining("STUN_SERVER");
    }

    @Test
    void numbersNormaliseToE164WithTheTrunksCountryCode() {
        PhoneNumbers n = new PhoneNumbers(Optional.of("+33"));
        assertThat(n.normalise("0674911383")).isEqualTo("+33674911383");
        assertThat(n.normalise("0033972360682")).isEqualTo("+33972360682");
        assertThat(n.normalise("+447700900123")).isEqualTo("+447700900123");
        assertThat(n.normalise("anonymous")).isEqualTo("anonymous");
        assertThat(n.normalise("3615")).isEqualTo("3615");
        assertThat(PhoneNumbers.countryCodeOf("0033972360682")).hasValue("+33");
        assertThat(PhoneNumbers.countryCodeOf("0014155550100")).hasValue("+1");
        assertThat(PhoneNumbers.countryCodeOf("resto")).isEmpty();
    }
}
