package io.voiceorder.bridge.support;

import io.voiceorder.fixtures.sip.Baresip;
import io.voiceorder.fixtures.sip.Kamailio;
import io.voiceorder.fixtures.sip.Sipp;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.BooleanSupplier;

/**
 * The real SIP software a test class talks to: when one is not installed, the class is skipped with the Debian
 * package to install (.ci/run installs them all), rather than failing on a missing binary.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPeers.Condition.class)
public @interface RequiresPeers {
    Peer[] value();

    enum Peer {
        KAMAILIO("kamailio", "kamailio", Kamailio::available),
        SIPP("sipp", "sip-tester", Sipp::available),
        BARESIP("baresip", "baresip", Baresip::available);

        private final String binary;
        private final String debianPackage;
        private final BooleanSupplier available;

        Peer(String binary, String debianPackage, BooleanSupplier available) {
            this.binary = binary;
            this.debianPackage = debianPackage;
            this.available = available;
        }
    }

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            RequiresPeers required = context.getRequiredTestClass().getAnnotation(RequiresPeers.class);
            if (required == null) {
                return ConditionEvaluationResult.enabled("no SIP peer required");
            }
            for (Peer peer : required.value()) {
                if (!peer.available.getAsBoolean()) {
                    return ConditionEvaluationResult.disabled(peer.binary + " is not installed (Debian package "
                            + peer.debianPackage + "; .ci/run installs it): skipped");
                }
            }
            return ConditionEvaluationResult.enabled("SIP peers installed");
        }
    }
}
