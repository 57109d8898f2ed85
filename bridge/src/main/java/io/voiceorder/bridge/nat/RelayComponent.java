package io.voiceorder.bridge.nat;

import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.KeepAliveStrategy;

/**
 * The ice4j component a call's TURN allocation hangs off, without ice4j's per-component merging
 * socket: that socket would read the relayed socket too and keep, for ICE-validated pairs only,
 * the RTP the call's relay reader must get (there is no ICE here).
 */
final class RelayComponent extends Component {
    RelayComponent(IceMediaStream stream) {
        super(1, stream, KeepAliveStrategy.SELECTED_ONLY, false, stream.getLogger());
    }
}
