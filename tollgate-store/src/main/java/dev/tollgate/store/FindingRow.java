package dev.tollgate.store;

/** One finding of a release's report, its evidence as JSON text. */
public record FindingRow(String code, String severity, String path, String message, String evidenceJson) {}
