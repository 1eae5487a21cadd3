package dev.tollgate.store;

/** An IP address a stored file names, a candidate for matching IP network indicators in Java. */
public record StoredAddress(String releaseFileId, String releaseId, String path, String address) {}
