package io.voiceorder.bridge.call.transfer;

import java.util.Optional;

/** The gateway devices a transfer can reach (bridge.md §5.9): configured users and their current bindings. */
public interface DeviceDirectory {
    DeviceDirectory NONE = new DeviceDirectory() {
        @Override
        public boolean isDevice(String user) {
            return false;
        }

        @Override
        public Optional<TransferTarget.DeviceLeg> binding(String user) {
            return Optional.empty();
        }
    };

    boolean isDevice(String user);

    /** The device's registered binding, empty while it is not registered. */
    Optional<TransferTarget.DeviceLeg> binding(String user);
}
