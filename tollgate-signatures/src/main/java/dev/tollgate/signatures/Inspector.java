package dev.tollgate.signatures;

/**
 * A signature inspection of one file: the PE inspection of a Windows image, the MSI inspection of an installer, the
 * JAR verification of a signed archive. An inspection turns what the file's bytes say into findings and never throws
 * for hostile content; a {@link RuntimeException} out of it is a bug in Tollgate, which its caller catches in one
 * place and reports so that the release is held.
 *
 * @param <I> what the inspection reads: the file's bytes, or the evidence gathered while unpacking it
 */
public interface Inspector<I> {

    /** A short name for messages: {@code pe}, {@code msi}, {@code jar}. */
    String name();

    /** What the inspection found in {@code input}, reported under {@code path}. */
    PeInspection inspect(String path, I input);
}
