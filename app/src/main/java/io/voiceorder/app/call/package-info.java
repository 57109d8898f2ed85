/** serve's beans; kept out of the bridge's application context when both run from one jar. */
@Configuration
@Requires(notEnv = "voiceorder-bridge")
package io.voiceorder.app.call;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
