package io.voiceorder.bridge.guard;

/**
 * A token bucket: starts full with {@code capacity} tokens, refilled continuously at {@code refillPerSecond}, never
 * above capacity. Time is given by the caller in milliseconds, so a test can drive it. Not thread-safe: its owner
 * serialises access.
 */
public final class TokenBucket {
    private final double capacity;
    private final double refillPerMilli;
    private double tokens;
    private long lastMillis;

    public TokenBucket(int capacity, double refillPerSecond, long nowMillis) {
        if (capacity < 1 || refillPerSecond <= 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", refill " + refillPerSecond);
        }
        this.capacity = capacity;
        this.refillPerMilli = refillPerSecond / 1000.0;
        this.tokens = capacity;
        this.lastMillis = nowMillis;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowMillis) {
        refill(nowMillis);
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /** Whether the bucket has refilled completely, i.e. holds no memory of past traffic. */
    public boolean isFull(long nowMillis) {
        refill(nowMillis);
        return tokens >= capacity;
    }

    private void refill(long nowMillis) {
        // a clock stepping backwards neither refills nor drains
        if (nowMillis > lastMillis) {
            tokens = Math.min(capacity, tokens + (nowMillis - lastMillis) * refillPerMilli);
            lastMillis = nowMillis;
        }
    }
}
