package io.voiceorder.app.agent.tools;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The tools serve runs itself, by name. {@code end_call} and {@code transfer_call} drive the call and live in the call. */
public final class Toolbox {
    private final Map<String, Tool> tools;

    public Toolbox() {
        this(List.of(new CheckAvailabilityTool(), new ConfirmOrderTool(), new ConfirmReservationTool(),
                new SaveCustomerInfoTool(), new LogNewFaqTool(), new LeaveMessageTool(), new CheckOrderStatusTool(),
                new CancelOrderTool(), new LookupReservationTool(), new CancelReservationTool()));
    }

    Toolbox(List<Tool> tools) {
        this.tools = tools.stream().collect(Collectors.toUnmodifiableMap(Tool::name, Function.identity()));
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }
}
