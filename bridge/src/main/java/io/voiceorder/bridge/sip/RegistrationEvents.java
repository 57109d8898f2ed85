package io.voiceorder.bridge.sip;

/** What the registration reports to metrics: each REGISTER outcome, and whether it is registered. */
public interface RegistrationEvents {
    /** @param result ok, auth_failed, timeout or error */
    void onOutcome(String result);

    void onRegistered(boolean up);

    RegistrationEvents NONE = new RegistrationEvents() {
        @Override
        public void onOutcome(String result) {
        }

        @Override
        public void onRegistered(boolean up) {
        }
    };
}
