/** The bridge's REST API; its beans exist only in the bridge's application context. */
@Configuration
@Requires(env = "voiceorder-bridge")
package io.voiceorder.bridge.api;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
