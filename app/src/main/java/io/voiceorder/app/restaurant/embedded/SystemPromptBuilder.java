package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.AgentConfig.CustomerContext;
import io.voiceorder.app.restaurant.MenuIndex;
import io.voiceorder.app.restaurant.PromptText;
import io.voiceorder.app.restaurant.MenuIndex.FormulaSlot;
import io.voiceorder.app.restaurant.MenuIndex.MenuEntry;
import io.voiceorder.app.restaurant.MenuIndex.MenuOption;
import io.voiceorder.app.restaurant.MenuIndex.OptionChoice;
import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Faq;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Builds the embedded system prompt from the restaurant file (serve.md §7.2.5), sections in the
 * spec's order. The seat count is never written into it. What does not depend on the call is built
 * once per restaurant version ({@link Sections}); a call adds its time, caller and answered questions.
 */
public final class SystemPromptBuilder {

    private SystemPromptBuilder() {
    }

    /**
     * The pieces of a restaurant's prompt that are the same on every call (everything but the time,
     * the caller and the questions answered since the file was read), built once per restaurant
     * version and shared by its calls.
     */
    public static final class Sections {
        private final RestaurantDefinition r;
        private final PromptTexts t;
        private final String head;
        private final String body;
        private final String faqHead;
        private final String rules;
        private final String transferRule;
        private final String tail;

        private Sections(RestaurantDefinition r, MenuIndex menu) {
            this.r = r;
            this.t = PromptTexts.forLanguage(r.language());
            this.head = head(r, t);
            this.body = body(r, t, menu);
            this.faqHead = faqLines(new StringBuilder("## ").append(t.faqTitle()).append('\n'), r.faq()).toString();
            this.rules = rules(r, t);
            this.transferRule = "- " + String.format(t.ruleTransfer(), r.transfer().cases().isEmpty() ? "—"
                    : String.join(" ; ", r.transfer().cases())) + '\n';
            this.tail = tail(r, t);
        }

        public RestaurantDefinition restaurant() {
            return r;
        }

        /**
         * The prompt of one call, with and without the transfer rule: the shared sections around the
         * call's own pieces, which both variants share too.
         *
         * @param customer the known caller, or null
         * @param faq      the file's FAQ followed by answered questions from the database, most asked first
         */
        public AgentConfig.Instructions instructions(ZonedDateTime now, CustomerContext customer, List<Faq> faq) {
            List<String> call = callPieces(now, customer, faq);
            return new AgentConfig.Instructions(assemble(call, true), assemble(call, false));
        }

        /**
         * The prompt of one call.
         *
         * @param transferCasesOffered true to include the transfer rule ({@code transfer_call} offered on this call)
         */
        public PromptText prompt(ZonedDateTime now, CustomerContext customer, List<Faq> faq, boolean transferCasesOffered) {
            return assemble(callPieces(now, customer, faq), transferCasesOffered);
        }

        /** The time, the caller, the FAQ's extra lines (or the whole FAQ when it does not start with the file's). */
        private List<String> callPieces(ZonedDateTime now, CustomerContext customer, List<Faq> faq) {
            List<Faq> fileFaq = r.faq();
            String faqPart;
            if (faq.size() >= fileFaq.size() && faq.subList(0, fileFaq.size()).equals(fileFaq)) {
                faqPart = faq.size() == fileFaq.size() ? faqHead
                        : faqLines(new StringBuilder(faqHead), faq.subList(fileFaq.size(), faq.size())).toString();
            } else {
                faqPart = faqLines(new StringBuilder("## ").append(t.faqTitle()).append('\n'), faq).toString();
            }
            return List.of(nowLine(now), customer(customer), faqPart);
        }

        private PromptText assemble(List<String> call, boolean transferCasesOffered) {
            List<String> parts = new ArrayList<>(7);
            parts.add(head);
            parts.add(call.get(0));
            parts.add(body);
            parts.add(call.get(1));
            parts.add(call.get(2));
            parts.add(rules);
            if (transferCasesOffered) {
                parts.add(transferRule);
            }
            parts.add(tail);
            return new PromptText(parts);
        }

        private String nowLine(ZonedDateTime now) {
            Locale locale = "fr".equals(r.language()) ? Locale.FRENCH : Locale.ENGLISH;
            return String.format(t.nowLabel(), t.weekdays()[now.getDayOfWeek().getValue() - 1],
                    now.format(DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale)),
                    now.format(AvailabilityRules.HHMM)) + "\n\n";
        }

        private String customer(CustomerContext customer) {
            if (customer == null || customer.firstName() == null) {
                return t.customerNew() + "\n\n";
            }
            StringBuilder p = new StringBuilder(String.format(t.customerKnown(), customer.firstName()));
            if (customer.totalOrders() > 0) {
                p.append(' ').append(String.format(t.customerOrders(), customer.totalOrders()));
            }
            String onFile = join(", ", customer.deliveryAddress(), join(" ", customer.deliveryPostalCode(), customer.deliveryCity()));
            if (customer.deliveryAddress() != null) {
                p.append(' ').append(String.format(t.customerAddress(), onFile));
            }
            return p.append("\n\n").toString();
        }
    }

    /** The shared sections of {@code r}'s prompt, with its menu numbered as {@code menu}. */
    public static Sections sections(RestaurantDefinition r, MenuIndex menu) {
        return new Sections(r, menu);
    }

    /**
     * The whole prompt of one call as a string.
     *
     * @param customer the known caller, or null
     * @param faq      the file's FAQ followed by answered questions from the database, most asked first
     * @param transferCasesOffered true to include the transfer rule ({@code transfer_call} offered on this call)
     */
    public static String build(RestaurantDefinition r, MenuIndex menu, ZonedDateTime now, CustomerContext customer,
                               List<Faq> faq, boolean transferCasesOffered) {
        return sections(r, menu).prompt(now, customer, faq, transferCasesOffered).text();
    }

    /** Role, style and the restaurant's details, up to the local time. */
    private static String head(RestaurantDefinition r, PromptTexts t) {
        StringBuilder p = new StringBuilder();
        p.append(String.format(t.role(), r.name()));
        if (r.cuisineType() != null) {
            p.append(' ').append(String.format(t.cuisine(), r.cuisineType()));
        }
        p.append('\n');
        if (!"fr".equals(r.language()) && !"en".equals(r.language())) {
            p.append(String.format(t.speakLanguage(), languageName(r.language()))).append('\n');
        }
        if (r.ai().instructions() != null) {
            p.append(r.ai().instructions()).append('\n');
        }
        p.append('\n').append(t.style()).append("\n\n");

        p.append("## ").append(t.detailsTitle()).append('\n');
        String address = join(", ", r.address(), join(" ", r.postalCode(), r.city()));
        if (!address.isEmpty()) {
            p.append("- ").append(t.addressLabel()).append(sep(r)).append(address).append('\n');
        }
        if (r.phone() != null) {
            p.append("- ").append(t.phoneLabel()).append(sep(r)).append(r.phone()).append('\n');
        }
        List<String> services = new ArrayList<>();
        if (r.services().pickup()) {
            services.add(t.serviceNames()[0]);
        }
        if (r.services().delivery()) {
            services.add(t.serviceNames()[1]);
        }
        if (r.services().reservation()) {
            services.add(t.serviceNames()[2]);
        }
        if (r.services().orderStatus()) {
            services.add(t.serviceNames()[3]);
        }
        p.append("- ").append(t.servicesLabel()).append(sep(r)).append(String.join(", ", services)).append("\n\n");
        return p.toString();
    }

    /** Opening hours, menu, formulas, delivery and reservation terms (never the seat count). */
    private static String body(RestaurantDefinition r, PromptTexts t, MenuIndex menu) {
        StringBuilder p = new StringBuilder();
        p.append("## ").append(t.hoursTitle()).append('\n');
        for (DayOfWeek d : DayOfWeek.values()) {
            List<OpeningHours.Range> ranges = r.openingHours().week().get(d);
            p.append("- ").append(t.weekdays()[d.getValue() - 1]).append(sep(r)).append(ranges.isEmpty() ? t.closed()
                    : ranges.stream().map(x -> x.open() + "–" + x.close()).collect(Collectors.joining(", "))).append('\n');
        }
        p.append('\n');

        p.append("## ").append(t.menuTitle()).append('\n');
        for (MenuEntry e : menu.entries()) {
            if (e.kind() != MenuIndex.Kind.ITEM) {
                continue;
            }
            p.append('#').append(e.number()).append(' ').append(e.name()).append(" — ").append(e.price().toPlainString())
                    .append(' ').append(r.currency());
            if (!e.description().isEmpty()) {
                p.append(" — ").append(e.description());
            }
            p.append('\n');
            for (MenuOption o : e.options()) {
                p.append("   ").append(o.name()).append(" (").append(o.required() ? t.required() : t.optional()).append(", ")
                        .append(o.type() == MenuIndex.OptionType.SINGLE_CHOICE ? t.oneChoice()
                                : o.maxChoices() != null ? String.format(t.upToChoices(), o.maxChoices()) : t.severalChoices())
                        .append(")").append(sep(r))
                        .append(o.choices().stream().map(SystemPromptBuilder::choice).collect(Collectors.joining(", ")))
                        .append('\n');
            }
            if (!e.allergens().isEmpty()) {
                p.append("   ").append(t.allergens()).append(sep(r)).append(String.join(", ", e.allergens())).append('\n');
            }
        }
        List<MenuEntry> formulas = menu.entries().stream().filter(e -> e.kind() == MenuIndex.Kind.FORMULA).toList();
        if (!formulas.isEmpty()) {
            p.append("\n## ").append(t.formulasTitle()).append('\n');
            for (MenuEntry f : formulas) {
                p.append('#').append(f.number()).append(' ').append(f.name()).append(" — ").append(f.price().toPlainString())
                        .append(' ').append(r.currency());
                if (!f.description().isEmpty()) {
                    p.append(" — ").append(f.description());
                }
                p.append('\n');
                for (FormulaSlot s : f.slots()) {
                    p.append("   ").append(s.name()).append(" (").append(s.required() ? t.required() : t.optional()).append(")")
                            .append(sep(r)).append(s.allowedEntryIds().stream()
                                    .map(id -> menu.entries().stream().filter(e -> e.kind() == MenuIndex.Kind.ITEM && e.id().equals(id))
                                            .findFirst().map(e -> "#" + e.number() + " " + e.name()).orElse(null))
                                    .filter(x -> x != null).collect(Collectors.joining(", ")))
                            .append('\n');
                }
            }
        }
        p.append('\n');

        if (r.services().delivery()) {
            RestaurantDefinition.Delivery d = r.delivery() != null ? r.delivery() : RestaurantDefinition.Delivery.defaults();
            p.append("## ").append(t.deliveryTitle()).append('\n');
            p.append("- ").append(d.postalCodes().isEmpty() ? t.deliveryAnyAddress()
                    : String.format(t.deliveryZone(), String.join(", ", d.postalCodes()))).append('\n');
            if (d.radiusKm() != null) {
                p.append("- ").append(String.format(t.deliveryRadius(), trim(BigDecimal.valueOf(d.radiusKm())))).append('\n');
            }
            p.append("- ").append(String.format(t.deliveryFee(), d.fee().toPlainString(), r.currency())).append('\n');
            if (d.freeAbove() != null) {
                p.append("- ").append(String.format(t.deliveryFreeAbove(), d.freeAbove().toPlainString(), r.currency())).append('\n');
            }
            if (d.minOrder() != null) {
                p.append("- ").append(String.format(t.deliveryMinimum(), d.minOrder().toPlainString(), r.currency())).append('\n');
            }
            p.append("- ").append(String.format(t.deliveryTime(), d.estimatedDeliveryMin())).append("\n\n");
        }

        if (r.services().reservation() && r.reservations() != null) {
            RestaurantDefinition.Reservations res = r.reservations();
            p.append("## ").append(t.reservationTitle()).append('\n').append("- ")
                    .append(String.format(t.reservationTerms(), res.minAdvanceMin(), res.maxAdvanceDays(), res.maxPartySize()))
                    .append("\n\n");
        }
        return p.toString();
    }

    private static StringBuilder faqLines(StringBuilder p, List<Faq> faq) {
        for (Faq f : faq) {
            p.append("- ").append(f.question()).append(" → ").append(f.answer()).append('\n');
        }
        return p;
    }

    /** The FAQ rule and the mandatory rules up to the transfer rule. */
    private static String rules(RestaurantDefinition r, PromptTexts t) {
        StringBuilder p = new StringBuilder();
        p.append(t.faqRule()).append("\n\n");
        p.append("## ").append(t.rulesTitle()).append('\n');
        p.append("- ").append(t.ruleMode()).append('\n');
        if (r.services().pickup() || r.services().delivery()) {
            p.append("- ").append(t.ruleItems()).append('\n');
            p.append("- ").append(t.ruleRecap()).append('\n');
        }
        if (r.services().reservation()) {
            p.append("- ").append(t.ruleReservation()).append('\n');
        }
        if (r.services().orderStatus() || r.services().reservation()) {
            p.append("- ").append(t.ruleOwnOnly()).append('\n');
        }
        return p.toString();
    }

    /** The rules after the transfer rule, and the greeting. */
    private static String tail(RestaurantDefinition r, PromptTexts t) {
        return "- " + t.ruleNumbers() + '\n' + "- " + t.ruleGoodbye() + "\n\n"
                + "## " + t.greetingTitle() + '\n' + greeting(r) + '\n';
    }

    /** The verbatim greeting: {@code ai.welcome_message}, else the template's. */
    public static String greeting(RestaurantDefinition r) {
        return r.ai().welcomeMessage() != null ? r.ai().welcomeMessage()
                : String.format(PromptTexts.forLanguage(r.language()).defaultGreeting(), r.name());
    }

    private static String choice(OptionChoice c) {
        return c.priceModifier().signum() == 0 ? c.label() : c.label() + " (+" + c.priceModifier().toPlainString() + ")";
    }

    private static String sep(RestaurantDefinition r) {
        return "fr".equals(r.language()) ? " : " : ": ";
    }

    private static String languageName(String code) {
        String name = Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH);
        return name.isEmpty() ? code : name;
    }

    private static String trim(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }

    private static String join(String sep, String... parts) {
        List<String> kept = new ArrayList<>();
        for (String s : parts) {
            if (s != null && !s.isBlank()) {
                kept.add(s.trim());
            }
        }
        return String.join(sep, kept);
    }
}
