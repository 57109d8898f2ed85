package io.voiceorder.bridge.guard;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SipHygieneTest {
    private static final String HEADERS = "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\n"
            + "To: <sip:b@y>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static SIPRequest parse(String text) throws Exception {
        return (SIPRequest) new StringMsgParser().parseSIPMessage(bytes(text), true, false, null);
    }

    @Test
    void aRequestLineWithSingleSpacesAndSip20Passes() {
        assertThat(SipHygiene.rawProblem(bytes("OPTIONS sip:b@y SIP/2.0\r\n" + HEADERS + "Content-Length: 0\r\n\r\n"))).isEmpty();
        assertThat(SipHygiene.rawProblem(bytes("\r\n\r\nOPTIONS sip:b@y SIP/2.0\r\n" + HEADERS + "l: 0\r\n\r\n")))
                .as("leading CRLFs are keepalive padding").isEmpty();
        assertThat(SipHygiene.rawProblem(bytes("SIP/2.0 100 \r\n" + HEADERS + "\r\n"))).as("responses are left to the parser")
                .isEmpty();
        assertThat(SipHygiene.rawProblem(bytes("\r\n\r\n"))).isEmpty();
    }

    @Test
    void extraSpacesAnotherVersionOrAnglesInTheRequestLineAreRefused() {
        assertThat(SipHygiene.rawProblem(bytes("OPTIONS  sip:b@y  SIP/2.0\r\n" + HEADERS + "\r\n"))).contains("Malformed Request-Line");
        assertThat(SipHygiene.rawProblem(bytes("OPTIONS sip:b@y SIP/2.0  \r\n" + HEADERS + "\r\n"))).isPresent();
        assertThat(SipHygiene.rawProblem(bytes("OPTIONS sip:b@y SIP/7.0\r\n" + HEADERS + "\r\n"))).isPresent();
        assertThat(SipHygiene.rawProblem(bytes("INVITE sip:b@y; lr SIP/2.0\r\n" + HEADERS + "\r\n"))).isPresent();
    }

    @Test
    void twoContentLengthsAreRefusedWhateverTheirForm() {
        assertThat(SipHygiene.rawProblem(bytes("OPTIONS sip:b@y SIP/2.0\r\n" + HEADERS + "Content-Length: 13\r\nl : 5\r\n\r\nhello")))
                .contains("Duplicate Content-Length");
    }

    @Test
    void headersInTheRequestUriAndAMethodMismatchAreRefused() throws Exception {
        assertThat(SipHygiene.problem(parse("OPTIONS sip:b@y?Route=%3Csip:x%3E SIP/2.0\r\n" + HEADERS + "l: 0\r\n\r\n")))
                .contains("Headers In Request-URI");
        assertThat(SipHygiene.problem(parse("INFO sip:b@y SIP/2.0\r\n" + HEADERS + "l: 0\r\n\r\n")))
                .contains("CSeq Method Mismatch");
        assertThat(SipHygiene.problem(parse("OPTIONS sip:b@y SIP/2.0\r\n" + HEADERS + "l: 0\r\n\r\n"))).isEmpty();
    }
}
