package io.voiceorder.bridge.stream;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ServeMessageParserTest {
    private final ServeMessageParser parser = new ServeMessageParser("CA0123");

    @Test
    void readsTheFourMessagesTheBridgeActsOnInAnyFieldOrder() {
        byte[] audio = new byte[160];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) i;
        }
        String b64 = Base64.getEncoder().encodeToString(audio);
        ServeMessageParser.Outcome media = parser.parse("{\"event\":\"media\",\"streamSid\":\"CA0123\",\"media\":{\"payload\":\""
                + b64 + "\",\"track\":\"outbound\"}}");
        assertThat(media.message()).isInstanceOf(ServeMessage.Media.class);
        assertThat(((ServeMessage.Media) media.message()).payload()).isEqualTo(audio);

        ServeMessageParser.Outcome late = parser.parse("{\"media\":{\"extra\":{\"a\":[1,2,{}]},\"payload\":\"AAEC\"},\"event\":\"media\"}");
        assertThat(((ServeMessage.Media) late.message()).payload()).containsExactly(0, 1, 2);

        assertThat(((ServeMessage.Mark) parser.parse("{\"event\":\"mark\",\"mark\":{\"name\":\"item_12:3\"}}").message()).name())
                .isEqualTo("item_12:3");
        assertThat(((ServeMessage.Mark) parser.parse("{\"mark\":{\"name\":\"é \\\"q\\\"\"},\"event\":\"mark\"}").message()).name())
                .isEqualTo("é \"q\"");
        assertThat(((ServeMessage.Mark) parser.parse("{\"event\":\"mark\",\"mark\":{\"name\":7}}").message()).name()).isEqualTo("7");
        assertThat(((ServeMessage.Mark) parser.parse("{\"event\":\"mark\"}").message()).name()).isEmpty();
        assertThat(((ServeMessage.Mark) parser.parse("{\"event\":\"mark\",\"mark\":{\"name\":null}}").message()).name()).isEmpty();
        assertThat(((ServeMessage.Mark) parser.parse("{\"event\":\"mark\",\"mark\":{\"name\":{\"x\":1}}}").message()).name()).isEmpty();
        assertThat(parser.parse("{\"event\":\"clear\",\"streamSid\":\"CA0123\"}").message()).isInstanceOf(ServeMessage.Clear.class);
        assertThat(parser.parse("{\"event\":\"stop\",\"streamSid\":null}").message()).isInstanceOf(ServeMessage.Stop.class);
        assertThat(parser.parse("{\"event\":\"clear\"} trailing").message()).isInstanceOf(ServeMessage.Clear.class);
    }

    @Test
    void garbageIsDroppedWithItsReason() {
        assertDropped("not json", "malformed");
        assertDropped("{\"event\":\"media\"", "malformed");
        assertDropped("{\"event\":\"media\",}", "malformed");
        assertDropped("", "malformed");
        assertDropped("[1,2]", "malformed");
        assertDropped("\"media\"", "malformed");
        assertDropped("{}", "unknown_event");
        assertDropped("{\"event\":5}", "unknown_event");
        assertDropped("{\"event\":null}", "unknown_event");
        assertDropped("{\"event\":\"dance\"}", "unknown_event");
        assertDropped("{\"event\":\"clear\",\"streamSid\":\"CA9999\"}", "wrong_stream");
        assertDropped("{\"event\":\"clear\",\"streamSid\":\"CA01234\"}", "wrong_stream");
        assertDropped("{\"event\":\"clear\",\"streamSid\":{\"sid\":\"CA0123\"}}", "wrong_stream");
        assertDropped("{\"streamSid\":\"CA9999\"}", "unknown_event");
        assertDropped("{\"event\":\"media\"}", "bad_payload");
        assertDropped("{\"event\":\"media\",\"media\":\"AAEC\"}", "bad_payload");
        assertDropped("{\"event\":\"media\",\"media\":{\"payload\":12}}", "bad_payload");
        assertDropped("{\"event\":\"media\",\"media\":{\"payload\":\"***\"}}", "bad_payload");
        assertDropped("{\"event\":\"media\",\"media\":{\"payload\":\"AA=\"}}", "bad_payload");
        ServeMessageParser.Outcome unknown = parser.parse("{\"event\":\"" + "x".repeat(60) + "\"}");
        assertThat(unknown.detail()).isEqualTo("unknown event " + "x".repeat(40) + "…");
    }

    @Test
    void aRepeatedKeyKeepsItsLastValue() {
        ServeMessageParser.Outcome o = parser.parse("{\"event\":\"media\",\"media\":{\"payload\":\"***\"},\"media\":{\"payload\":\"AAEC\"}}");
        assertThat(((ServeMessage.Media) o.message()).payload()).containsExactly(0, 1, 2);
        assertThat(parser.parse("{\"event\":\"dance\",\"event\":\"clear\"}").message()).isInstanceOf(ServeMessage.Clear.class);
    }

    @Test
    void parsesASliceOfALargerBuffer() {
        byte[] buffer = "xx{\"event\":\"clear\"}yy".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(parser.parse(buffer, 2, buffer.length - 4).message()).isInstanceOf(ServeMessage.Clear.class);
    }

    @Test
    void aBrokenMessageLeavesTheNextOneIntact() {
        for (String broken : new String[] {"{\"event\":\"media\",\"media\":{\"extra\":{\"a\":[1,", "{\"event\":", "[1,2]",
                "{\"event\":\"clear\"}{\"event\":\"stop\"}", "{\"event\":\"clear\"} x", "\"text\"", "", "{]"}) {
            parser.parse(broken);
            assertThat(parser.parse("{\"event\":\"mark\",\"mark\":{\"name\":\"after\"}}").message()).as(broken)
                    .isEqualTo(new ServeMessage.Mark("after"));
        }
        assertDropped("{\"event\":\"media\",\"media\":{\"extra\":{\"a\":[1,", "malformed");
        assertDropped("{\"event\":", "malformed");
        for (int i = 0; i < 10_000; i++) {
            assertThat(parser.parse("{\"event\":\"clear\",\"k" + i + "\":1}").message()).isInstanceOf(ServeMessage.Clear.class);
        }
    }

    private void assertDropped(String text, String reason) {
        ServeMessageParser.Outcome o = parser.parse(text);
        assertThat(o.message()).as(text).isNull();
        assertThat(o.dropReason()).as(text).isEqualTo(reason);
    }
}
