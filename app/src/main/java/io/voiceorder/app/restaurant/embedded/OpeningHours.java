package io.voiceorder.app.restaurant.embedded;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Weekly opening ranges in the restaurant's wall-clock time. A range whose close is not after its
 * open ends after midnight, on the next day (e.g. Friday 18:30–01:00 covers Saturday 00:30).
 */
public record OpeningHours(Map<DayOfWeek, List<Range>> week) {

    public OpeningHours {
        EnumMap<DayOfWeek, List<Range>> copy = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            copy.put(d, List.copyOf(week.getOrDefault(d, List.of())));
        }
        week = java.util.Collections.unmodifiableMap(copy);
    }

    public record Range(LocalTime open, LocalTime close) {
        public boolean crossesMidnight() {
            return !close.isAfter(open);
        }
    }

    /** True if {@code t} (local wall-clock) falls in a range: open inclusive, close exclusive. */
    public boolean isOpen(LocalDateTime t) {
        return intervals(t.toLocalDate().minusDays(1), t.toLocalDate()).stream()
                .anyMatch(i -> !t.isBefore(i[0]) && t.isBefore(i[1]));
    }

    /** The first open instant at or after {@code from}, within the next 8 days; empty if never open. */
    public Optional<ZonedDateTime> nextOpening(ZonedDateTime from) {
        ZoneId zone = from.getZone();
        LocalDateTime t = from.toLocalDateTime();
        if (isOpen(t)) {
            return Optional.of(from);
        }
        LocalDateTime best = null;
        for (LocalDateTime[] i : intervals(t.toLocalDate(), t.toLocalDate().plusDays(8))) {
            if (!i[0].isBefore(t) && (best == null || i[0].isBefore(best))) {
                best = i[0];
            }
        }
        return Optional.ofNullable(best).map(b -> b.atZone(zone));
    }

    public boolean closedAllWeek() {
        return week.values().stream().allMatch(List::isEmpty);
    }

    /** Every concrete interval [open, close) starting on a day from {@code first} to {@code last}. */
    private List<LocalDateTime[]> intervals(LocalDate first, LocalDate last) {
        List<LocalDateTime[]> out = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            for (Range r : week.get(d.getDayOfWeek())) {
                LocalDateTime open = d.atTime(r.open());
                LocalDateTime close = r.crossesMidnight() ? d.plusDays(1).atTime(r.close()) : d.atTime(r.close());
                out.add(new LocalDateTime[] {open, close});
            }
        }
        return out;
    }
}
