package io.voiceorder.bridge.call.transfer;

import io.voiceorder.bridge.call.CallRefusedException;
import io.voiceorder.bridge.call.DialPolicy;
import io.voiceorder.bridge.config.HostPort;
import io.voiceorder.bridge.metrics.BridgeMetrics;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Routes a transfer's destination (bridge.md §5.9) and applies the toll-fraud guard (§9.3): a {@code sip:}
 * URI goes as given; a number or {@code tel:} goes the way the call came in; a device user goes to its
 * binding. Every destination but a device user must start with an allowed prefix and counts toward the
 * hourly cap. Checks in the API's order: 400, 403, 429.
 */
public final class TransferRouter {
    static final int MAX_DESTINATION = 256;
    private static final Pattern DEVICE_USER = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    private final DialPolicy policy;
    private final HostPort trunkDomain;
    private final String uriTransportSuffix;
    private final BridgeMetrics metrics;
    private final DeviceDirectory devices;

    public TransferRouter(DialPolicy policy, HostPort trunkDomain, String uriTransportSuffix, BridgeMetrics metrics) {
        this(policy, trunkDomain, uriTransportSuffix, metrics, DeviceDirectory.NONE);
    }

    public TransferRouter(DialPolicy policy, HostPort trunkDomain, String uriTransportSuffix, BridgeMetrics metrics,
                          DeviceDirectory devices) {
        this.policy = policy;
        this.trunkDomain = trunkDomain;
        this.uriTransportSuffix = uriTransportSuffix;
        this.metrics = metrics;
        this.devices = devices;
    }

    public TransferTarget route(String destination, TransferRoute route) throws CallRefusedException {
        String given = destination == null ? "" : destination.strip();
        if (given.isEmpty() || given.length() > MAX_DESTINATION) {
            throw bad("'destination' is required: a sip: or tel: URI, a number or a device user, at most 256 characters.");
        }
        TransferTarget target;
        if (given.regionMatches(true, 0, "sip:", 0, 4)) {
            if (policy.normalise(given) == null) {
                throw bad("'destination' " + given + " is not a sip: URI the bridge can dial (sip:USER@HOST).");
            }
            target = new TransferTarget(given, given, hostOf(given).equals(trunkDomain.host().toLowerCase(Locale.ROOT)));
        } else if (devices.isDevice(given)) {
            return deviceTarget(given);
        } else if (policy.normalise(given) != null) {
            // the toll-fraud guard first: the API answers 403 and 429 before any routing failure
            guard(given, new TransferTarget(given, policy.normalise(given), route.kind() == TransferRoute.Kind.TRUNK));
            return numberTarget(DialPolicy.dialString(given), policy.normalise(given), route);
        } else if (DEVICE_USER.matcher(given).matches()) {
            throw new CallRefusedException(400, "unknown_destination", "'destination' " + given
                    + " is not a configured device (SIP_DEVICES, flag --device): give a number, a sip: URI or a device user.");
        } else {
            throw bad("'destination' " + given + " is neither a sip:/tel: URI, a number nor a device user.");
        }
        guard(given, target);
        return target;
    }

    /**
     * A number goes the way the call came in: trunk calls and trunk-placed calls to the trunk domain, peer calls
     * to the peer, device calls (both directions) to the same device through its binding.
     */
    private TransferTarget numberTarget(String dialled, String normalised, TransferRoute route) throws CallRefusedException {
        return switch (route.kind()) {
            case TRUNK -> new TransferTarget("sip:" + dialled + "@" + trunkHostPort() + uriTransportSuffix, normalised, true);
            case PEER -> new TransferTarget("sip:" + dialled + "@" + route.peer() + uriTransportSuffix, normalised, false);
            case DEVICE -> {
                TransferTarget.DeviceLeg leg = registered(route.device());
                yield new TransferTarget("sip:" + dialled + "@" + leg.host() + ":" + leg.port() + uriTransportSuffix, normalised,
                        false, leg);
            }
        };
    }

    /** A configured device user as the destination (e.g. an FXS port registered as its own device): its binding. */
    private TransferTarget deviceTarget(String user) throws CallRefusedException {
        TransferTarget.DeviceLeg leg = registered(user);
        return new TransferTarget("sip:" + user + "@" + leg.host() + ":" + leg.port() + uriTransportSuffix, user, false, leg);
    }

    private TransferTarget.DeviceLeg registered(String user) throws CallRefusedException {
        return devices.binding(user).orElseThrow(() -> new CallRefusedException(502, "transfer_failed",
                "The device '" + user + "' is not registered, so the transfer cannot reach it."));
    }

    private void guard(String given, TransferTarget target) throws CallRefusedException {
        if (!policy.allowed(given)) {
            metrics.outboundRefused("prefix");
            throw new CallRefusedException(403, "destination_not_allowed", "The destination " + target.shownDestination()
                    + " does not start with an allowed prefix (ALLOW_DIAL, flag --allow-dial).");
        }
        OptionalLong wait = policy.takeAttempt();
        if (wait.isPresent()) {
            metrics.outboundRefused("hourly_cap");
            throw new CallRefusedException(429, "hourly_cap", "The hourly cap of outbound calls and transfers is reached "
                    + "(MAX_OUTBOUND_PER_HOUR, flag --max-outbound-per-hour); retry in " + wait.getAsLong() + " s.", wait);
        }
    }

    private String trunkHostPort() {
        return trunkDomain.host() + (trunkDomain.port() == 5060 ? "" : ":" + trunkDomain.port());
    }

    private static String hostOf(String sipUri) {
        String rest = sipUri.substring(4);
        int at = rest.indexOf('@');
        String host = at < 0 ? rest : rest.substring(at + 1);
        int end = host.length();
        for (char c : new char[] {':', ';', '>', '?'}) {
            int i = host.indexOf(c);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        return host.substring(0, end).toLowerCase(Locale.ROOT);
    }

    private static CallRefusedException bad(String message) {
        return new CallRefusedException(400, "bad_request", message);
    }
}
