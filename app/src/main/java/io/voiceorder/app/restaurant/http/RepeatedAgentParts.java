package io.voiceorder.app.restaurant.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.MenuIndex;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The back office sends a restaurant's system prompt, tool schemas and menu with every call, mostly
 * unchanged from one call to the next. Each call still reads them from the back office; when a part
 * equals what the restaurant's previous call received, the call takes that copy instead, so calls in
 * progress share one prompt, one set of schemas and one menu index. A changed part is used as sent
 * and becomes the copy the next calls compare against.
 */
final class RepeatedAgentParts {

    private record Parts(AgentConfig.Instructions instructions, List<JsonNode> tools, MenuIndex menu) {
    }

    private final Map<String, Parts> lastByRestaurant = new ConcurrentHashMap<>();

    /** {@code fresh}, with the parts equal to the previous call's replaced by that call's copies. */
    AgentConfig share(AgentConfig fresh) {
        Parts last = lastByRestaurant.get(fresh.restaurantId());
        Parts now = new Parts(fresh.instructions(), fresh.tools(), fresh.menu());
        if (last != null) {
            now = new Parts(
                    last.instructions().equals(now.instructions()) ? last.instructions() : now.instructions(),
                    last.tools().equals(now.tools()) ? last.tools() : now.tools(),
                    last.menu().equals(now.menu()) ? last.menu() : now.menu());
        }
        lastByRestaurant.put(fresh.restaurantId(), now);
        return fresh.withShared(now.instructions(), now.tools(), now.menu());
    }
}
