package dev.tollgate.policy;

/** A policy file cannot be used; the message names the file and the key that is wrong, for a person. */
public final class PolicyException extends Exception {

    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }
}
