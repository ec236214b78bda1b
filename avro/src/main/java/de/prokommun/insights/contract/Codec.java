package de.prokommun.insights.contract;

/** Turns a record into the bytes of a Kafka value and back. */
public interface Codec<T> {
    byte[] encode(T value);

    T decode(byte[] bytes);
}
