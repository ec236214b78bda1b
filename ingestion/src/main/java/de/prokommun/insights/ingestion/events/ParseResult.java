package de.prokommun.insights.ingestion.events;

import de.prokommun.insights.events.InteractionEvent;
import java.util.List;
import java.util.Optional;

/** Either a valid event or every error found in it (never both). */
public final class ParseResult {

    private final InteractionEvent event;
    private final List<FieldError> errors;

    private ParseResult(InteractionEvent event, List<FieldError> errors) {
        this.event = event;
        this.errors = List.copyOf(errors);
    }

    static ParseResult valid(InteractionEvent event) {
        return new ParseResult(event, List.of());
    }

    static ParseResult invalid(List<FieldError> errors) {
        if (errors.isEmpty()) throw new IllegalArgumentException("an invalid result needs at least one error");
        return new ParseResult(null, errors);
    }

    public boolean isValid() {
        return event != null;
    }

    /** The event; throws if the input was invalid. */
    public InteractionEvent event() {
        if (event == null) throw new IllegalStateException("invalid event: " + errors);
        return event;
    }

    public Optional<InteractionEvent> eventIfValid() {
        return Optional.ofNullable(event);
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** True if the sender may not submit the event at all (403 rather than 400). */
    public boolean isForbidden() {
        return errors.stream().anyMatch(FieldError::isForbidden);
    }
}
