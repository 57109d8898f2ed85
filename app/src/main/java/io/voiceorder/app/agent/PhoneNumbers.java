package io.voiceorder.app.agent;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Phone numbers as serve compares and stores them: E.164 with the restaurant's country. Spaces,
 * dots, dashes and parentheses go, {@code 00} becomes {@code +}, a national {@code 0…} number gets
 * the country calling code; anything else is kept as it is.
 */
public final class PhoneNumbers {
    private static final Set<String> ANONYMOUS = Set.of("", "anonymous", "restricted", "unknown", "private", "+266696687");
    private static final Map<String, String> CALLING_CODES = Map.ofEntries(
            Map.entry("FR", "33"), Map.entry("BE", "32"), Map.entry("CH", "41"), Map.entry("LU", "352"),
            Map.entry("MC", "377"), Map.entry("DE", "49"), Map.entry("AT", "43"), Map.entry("ES", "34"),
            Map.entry("PT", "351"), Map.entry("IT", "39"), Map.entry("NL", "31"), Map.entry("GB", "44"),
            Map.entry("IE", "353"), Map.entry("US", "1"), Map.entry("CA", "1"), Map.entry("MA", "212"),
            Map.entry("TN", "216"), Map.entry("DZ", "213"), Map.entry("RE", "262"), Map.entry("GP", "590"),
            Map.entry("MQ", "596"));

    private PhoneNumbers() {
    }

    /** Empty, {@code anonymous}, {@code restricted}, {@code unknown}, {@code private} (any case) or {@code +266696687}. */
    public static boolean isAnonymous(String phone) {
        return phone == null || ANONYMOUS.contains(phone.strip().toLowerCase(Locale.ROOT));
    }

    /** E.164 for {@code country} (ISO 3166 alpha-2, default {@code FR}); anonymous numbers become "". */
    public static String normalize(String phone, String country) {
        if (isAnonymous(phone)) {
            return "";
        }
        String compact = phone.strip().replaceAll("[\\s.\\-()]", "");
        if (compact.startsWith("00") && compact.length() > 2 && compact.substring(2).chars().allMatch(Character::isDigit)) {
            return "+" + compact.substring(2);
        }
        if (compact.startsWith("0") && compact.length() > 1 && compact.chars().allMatch(Character::isDigit)) {
            String code = CALLING_CODES.get(country == null ? "FR" : country.toUpperCase(Locale.ROOT));
            return code == null ? compact : "+" + code + compact.substring(1);
        }
        if (compact.startsWith("+") && compact.length() > 1 && compact.substring(1).chars().allMatch(Character::isDigit)) {
            return compact;
        }
        return phone.strip();
    }
}
