package io.voiceorder.app.twilio;

import java.util.regex.Pattern;

/**
 * A number serve asks Twilio to dial: {@code +} and 3 to 15 digits (E.164). Anything else is refused
 * before it reaches TwiML, so a restaurant setting can never inject markup or a SIP URI into a {@code <Dial>}.
 */
public final class DialNumber {
    private static final Pattern E164 = Pattern.compile("\\+[0-9]{3,15}");

    private DialNumber() {
    }

    public static boolean isValid(String number) {
        return number != null && E164.matcher(number).matches();
    }

    /** The number itself when valid; otherwise {@link IllegalArgumentException}. */
    public static String require(String number) {
        if (!isValid(number)) {
            throw new IllegalArgumentException("not a dialable number: + and 3 to 15 digits expected");
        }
        return number;
    }
}
