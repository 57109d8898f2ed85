package io.voiceorder.bridge.registrar;

import io.voiceorder.bridge.config.DeviceAccount;
import io.voiceorder.bridge.sip.SipFactories;

import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Digest authentication of the configured devices (bridge.md §5.2): one realm, {@code voiceorder}; nonces from
 * {@link NonceService}; the same challenge whatever the user, so the answers never reveal which users exist.
 * Each refusal is reported to {@code onAuthFailure} with the source IP (the ban counter of §9.2).
 */
public final class DeviceAuthenticator {
    public static final String REALM = "voiceorder";

    private final Map<String, DeviceAccount> accounts = new LinkedHashMap<>();
    private final NonceService nonces;
    private final Consumer<String> onAuthFailure;

    public DeviceAuthenticator(List<DeviceAccount> accounts, NonceService nonces, Consumer<String> onAuthFailure) {
        accounts.forEach(a -> this.accounts.put(a.user(), a));
        this.nonces = nonces;
        this.onAuthFailure = onAuthFailure;
    }

    public boolean isDevice(String user) {
        return accounts.containsKey(user);
    }

    public DeviceAccount account(String user) {
        return accounts.get(user);
    }

    public List<DeviceAccount> accounts() {
        return List.copyOf(accounts.values());
    }

    /**
     * Checks the Authorization (REGISTER) or Proxy-Authorization (INVITE) header of {@code request}.
     *
     * @param requiredUser the user the credentials must belong to (the To user of a REGISTER), or null for any device
     */
    public AuthOutcome check(Request request, String sourceIp, boolean proxy, String requiredUser) {
        AuthorizationHeader auth = (AuthorizationHeader) request.getHeader(proxy ? ProxyAuthorizationHeader.NAME
                : AuthorizationHeader.NAME);
        if (auth == null || !REALM.equals(auth.getRealm())) {
            return new AuthOutcome.Challenge(false);
        }
        NonceService.Freshness freshness = nonces.check(auth.getNonce(), sourceIp);
        if (freshness == NonceService.Freshness.INVALID) {
            return new AuthOutcome.Challenge(false);
        }
        String user = auth.getUsername();
        DeviceAccount account = user == null ? null : accounts.get(user);
        AuthOutcome outcome;
        if (account == null) {
            outcome = new AuthOutcome.Refused("unknown device user");
        } else if (requiredUser != null && !requiredUser.equals(user)) {
            outcome = new AuthOutcome.Refused("Authorization user differs from the To user");
        } else if (!DigestVerifier.verify(auth, request.getMethod(), account.password())) {
            outcome = new AuthOutcome.Refused("wrong digest response");
        } else if (freshness == NonceService.Freshness.STALE) {
            return new AuthOutcome.Challenge(true);
        } else {
            return new AuthOutcome.Accepted(user);
        }
        onAuthFailure.accept(sourceIp);
        return outcome;
    }

    /** {@code WWW-Authenticate} (401) or {@code Proxy-Authenticate} (407): realm voiceorder, qop auth, MD5. */
    public WWWAuthenticateHeader challenge(String sourceIp, boolean proxy, boolean stale) {
        try {
            WWWAuthenticateHeader header = proxy ? SipFactories.HEADERS.createProxyAuthenticateHeader("Digest")
                    : SipFactories.HEADERS.createWWWAuthenticateHeader("Digest");
            header.setRealm(REALM);
            header.setNonce(nonces.issue(sourceIp));
            header.setQop("auth");
            header.setAlgorithm("MD5");
            if (stale) {
                header.setStale(true);
            }
            return header;
        } catch (ParseException e) {
            throw new IllegalStateException("digest challenge", e);
        }
    }
}
