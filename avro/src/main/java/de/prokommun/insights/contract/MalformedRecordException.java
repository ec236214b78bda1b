package de.prokommun.insights.contract;

/** Bytes on a topic that are not a record of the expected schema (a poison message). */
public final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
