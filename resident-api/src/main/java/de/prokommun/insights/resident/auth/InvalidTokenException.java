package de.prokommun.insights.resident.auth;

/** The token is refused (401); the message names the claim or check that failed and never echoes the token. */
public final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
        super(message, null, false, false);
    }
}
