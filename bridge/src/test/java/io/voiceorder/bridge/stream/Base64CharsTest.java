package io.voiceorder.bridge.stream;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Base64CharsTest {

    @Test
    void decodesWhatTheJdkEncodesAtEveryLengthWithAndWithoutPadding() {
        Random random = new Random(7);
        for (int n = 0; n < 400; n++) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            for (String text : new String[] {Base64.getEncoder().encodeToString(data),
                    Base64.getEncoder().withoutPadding().encodeToString(data)}) {
                char[] framed = ("xx" + text + "yy").toCharArray();
                assertThat(Base64Chars.decode(framed, 2, text.length())).as(text).isEqualTo(data);
            }
        }
    }

    @Test
    void acceptsAndRejectsExactlyWhatTheJdkDecoderDoes() {
        String[] cases = {"", "=", "==", "A", "AA", "AAA", "AAAA", "AA=", "AA==", "AAA=", "AA=A", "A===", "====",
                "AAAA=", "AAAA==", "AAA=AAAA", "AAAA AAAA", "AAAA\nAAAA", "AAé=", "AA-_", "QUJD", "QUJDRA", "QUJDRA==",
                "QUJDRA=", "QUJDRA===", "QUJDREU=", "QUJDREU", "Q", "QUJDR", "////", "++++", "AAAA*"};
        for (String text : cases) {
            assertSameAsJdk(text);
        }
        Random random = new Random(11);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/==\u00ff-";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(10);
            for (int k = 0; k < length; k++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertSameAsJdk(b.toString());
        }
    }

    private static void assertSameAsJdk(String text) {
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            assertThatThrownBy(() -> Base64Chars.decode(text.toCharArray(), 0, text.length())).as("'%s'", text)
                    .isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertThat(Base64Chars.decode(text.toCharArray(), 0, text.length())).as("'%s'", text).isEqualTo(expected);
    }
}
