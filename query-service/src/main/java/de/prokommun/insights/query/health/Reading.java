package de.prokommun.insights.query.health;

import java.util.function.Function;

/** One probe's result: a value, or why there is none ("not configured" is not an alarm; unreachable is). */
record Reading<T>(T value, String problem, boolean configured) {

    static <T> Reading<T> of(T value) { return new Reading<>(value, null, true); }

    static <T> Reading<T> failed(String problem) { return new Reading<>(null, problem, true); }

    static <T> Reading<T> notConfigured(String what) { return new Reading<>(null, what + " not configured", false); }

    boolean ok() { return problem == null; }

    <R> Reading<R> map(Function<T, R> f) {
        return ok() ? of(f.apply(value)) : new Reading<>(null, problem, configured);
    }
}
