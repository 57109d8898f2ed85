package io.voiceorder.app.agent;

/** Phone numbers in INFO logs: the prefix and the last 3 digits stay, the rest becomes dots. */
public final class PhoneMask {
    private PhoneMask() {
    }

    /** {@code +33612345678} → {@code +336•••••678}; short or empty values become {@code anonymous}/dots. */
    public static String mask(String phone) {
        if (phone == null || phone.isBlank()) {
            return "anonymous";
        }
        int keepHead = phone.startsWith("+") ? 4 : 2;
        int keepTail = 3;
        if (phone.length() <= keepHead + keepTail) {
            return "•".repeat(phone.length());
        }
        return phone.substring(0, keepHead) + "•".repeat(phone.length() - keepHead - keepTail)
                + phone.substring(phone.length() - keepTail);
    }
}
