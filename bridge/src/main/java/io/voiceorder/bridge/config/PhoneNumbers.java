package io.voiceorder.bridge.config;

import java.util.Optional;

/** E.164 normalisation of bridge.md §5.8; never applied to the string actually dialled. */
public final class PhoneNumbers {
    private final Optional<String> countryCode;

    public PhoneNumbers(Optional<String> countryCode) {
        this.countryCode = countryCode;
    }

    public Optional<String> countryCode() {
        return countryCode;
    }

    /** Empty or {@code +…} unchanged; {@code 00…} → {@code +…}; one leading {@code 0} → country code + rest; else unchanged. */
    public String normalise(String number) {
        if (number == null) {
            return null;
        }
        String n = number.strip();
        if (n.isEmpty() || n.startsWith("+")) {
            return n;
        }
        if (n.startsWith("00") && n.length() > 2 && n.chars().allMatch(Character::isDigit)) {
            return "+" + n.substring(2);
        }
        if (n.startsWith("0") && n.length() > 1 && countryCode.isPresent() && n.chars().allMatch(Character::isDigit)) {
            return countryCode.get() + n.substring(1);
        }
        return n;
    }

    /** The country code a trunk user name implies ({@code 0033972360682} → {@code +33}); none for non-numbers. */
    public static Optional<String> countryCodeOf(String username) {
        if (username == null || !username.matches("\\+?[0-9]+")) {
            return Optional.empty();
        }
        String normalised = new PhoneNumbers(Optional.empty()).normalise(username);
        return CountryCodes.of(normalised);
    }
}
