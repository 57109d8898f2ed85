package io.voiceorder.bridge.call;

import io.voiceorder.bridge.call.transfer.DeviceDirectory;
import io.voiceorder.bridge.call.transfer.TransferTarget;
import io.voiceorder.bridge.config.DeviceAccount;
import io.voiceorder.bridge.registrar.Registrar;
import io.voiceorder.bridge.sip.DigestCredentials;

import java.util.Optional;

/** The registrar's devices as transfer destinations: a configured user reaches its binding with its own credentials. */
final class DeviceBindings implements DeviceDirectory {
    private final Registrar registrar;

    DeviceBindings(Registrar registrar) {
        this.registrar = registrar;
    }

    @Override
    public boolean isDevice(String user) {
        return registrar.authenticator().isDevice(user);
    }

    @Override
    public Optional<TransferTarget.DeviceLeg> binding(String user) {
        DeviceAccount account = registrar.authenticator().account(user);
        if (account == null) {
            return Optional.empty();
        }
        return registrar.bindings().find(user).map(b -> new TransferTarget.DeviceLeg(user, b.sourceHost(), b.sourcePort(),
                new DigestCredentials(user, account.password())));
    }
}
