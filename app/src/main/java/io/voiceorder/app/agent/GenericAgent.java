package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The agent serve runs until a restaurant is configured: a polite generic greeting, a short
 * conversation, and one call-control tool, {@code end_call}, so the model can hang up after its
 * goodbye. It takes no orders and says so.
 */
public final class GenericAgent {
    public static final String END_CALL = "end_call";

    private GenericAgent() {
    }

    public static AgentProfile profile(ObjectMapper json) {
        ObjectNode endCall = json.createObjectNode();
        endCall.put("type", "function");
        endCall.put("name", END_CALL);
        endCall.put("description", "Hang up the call. Call it only after you have said goodbye, in the same response.");
        ObjectNode params = endCall.putObject("parameters");
        params.put("type", "object");
        params.putObject("properties");
        return new AgentProfile(
                """
                Tu es l'assistant vocal d'un restaurant qui répond au téléphone. Parle français, \
                sauf si l'appelant parle une autre langue. Sois bref, chaleureux et naturel : une ou \
                deux phrases à la fois. Le menu, les commandes et les réservations ne sont pas encore \
                disponibles sur cette ligne : ne promets rien, n'invente aucun plat, prix ou horaire, \
                et propose à l'appelant de rappeler plus tard.

                Règles : quand la conversation est terminée, dis au revoir puis appelle end_call dans \
                la même réponse, et ne dis plus rien ensuite. Ne lis jamais d'identifiants à voix haute.""",
                "fr",
                null,
                List.of(endCall),
                "Un client appelle. Salue-le chaleureusement au nom du restaurant et demande ce que tu peux faire pour lui.",
                "Dis au revoir brièvement et poliment, en français.",
                "L'appel doit se terminer maintenant : conclus, dis au revoir et appelle end_call.",
                "L'appelant a tapé %s sur son clavier.");
    }
}
