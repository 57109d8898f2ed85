package io.voiceorder.bridge.nat;

/** STUN or TURN did not give an address: the caller falls back (§8.1, §8.2) and warns. */
public final class NatException extends Exception {
    public NatException(String message) {
        super(message);
    }

    public NatException(String message, Throwable cause) {
        super(message, cause);
    }
}
