package io.voiceorder.app.config;

import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;

/**
 * Bean conditions for the restaurant backend adapter chosen by {@code VOICEORDER_BACKEND}
 * ({@link ServeConfig#backend()}): annotate an adapter's factory method with
 * {@code @Requires(condition = BackendSelection.Http.class)} or {@code …Embedded.class}.
 */
public final class BackendSelection {
    private BackendSelection() {
    }

    /** {@code VOICEORDER_BACKEND=http}. */
    public static final class Http implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            return context.getBeanContext().findBean(ServeConfig.class).map(ServeConfig::httpBackend).orElse(false);
        }
    }

    /** {@code VOICEORDER_BACKEND=embedded} (the default). */
    public static final class Embedded implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            return context.getBeanContext().findBean(ServeConfig.class).map(c -> !c.httpBackend()).orElse(true);
        }
    }
}
