package io.voiceorder.bridge.call.transfer;

import java.util.Objects;

/**
 * How a call reached the bridge, which decides where a transfer's number is dialled (bridge.md §5.9): trunk
 * calls and calls placed via the trunk → the trunk domain; peer calls → the peer's signalling address; device
 * calls and calls placed via a device → that device's binding.
 *
 * @param peer   {@code host:port} of the peer, for {@link Kind#PEER}
 * @param device the device user, for {@link Kind#DEVICE}
 */
public record TransferRoute(Kind kind, String peer, String device) {
    public enum Kind { TRUNK, PEER, DEVICE }

    public static final TransferRoute TRUNK = new TransferRoute(Kind.TRUNK, null, null);

    public TransferRoute {
        Objects.requireNonNull(kind);
        if (kind == Kind.PEER) {
            Objects.requireNonNull(peer, "peer");
        }
        if (kind == Kind.DEVICE) {
            Objects.requireNonNull(device, "device");
        }
    }

    public static TransferRoute peer(String host, int port) {
        return new TransferRoute(Kind.PEER, host + ":" + port, null);
    }

    public static TransferRoute device(String user) {
        return new TransferRoute(Kind.DEVICE, null, user);
    }
}
