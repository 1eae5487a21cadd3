package dev.tollgate.store;

/** A stored IP indicator that is a network ({@code 10.1.0.0/16}), matched in Java over candidate addresses. */
public record NetworkIndicator(long id, String value, String feedId) {}
