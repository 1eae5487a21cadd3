package dev.tollgate.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads the root certificates of a {@code --trust} PEM file (one or more {@code CERTIFICATE} blocks). */
final class PemCertificates {

    private static final long MAX_PEM_BYTES = 4L << 20;

    /** The file cannot serve as trust anchors; the message starts with the file's name. */
    static final class PemException extends Exception {
        private static final long serialVersionUID = 1L;

        PemException(String message) {
            super(message);
        }
    }

    private PemCertificates() {}

    static List<X509Certificate> load(Path pem) throws PemException {
        byte[] bytes;
        try {
            if (Files.size(pem) > MAX_PEM_BYTES) {
                throw new PemException(pem + ": larger than " + MAX_PEM_BYTES + " bytes, not a certificate file");
            }
            bytes = Files.readAllBytes(pem);
        } catch (NoSuchFileException e) {
            throw new PemException(pem + ": no such file");
        } catch (IOException e) {
            throw new PemException(pem + ": cannot read: " + e.getMessage());
        }
        if (!new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("-----BEGIN CERTIFICATE-----")) {
            throw new PemException(pem + ": no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        try {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
            List<X509Certificate> result = new ArrayList<>();
            for (Certificate c : certificates) {
                result.add((X509Certificate) c);
            }
            if (result.isEmpty()) {
                throw new PemException(pem + ": no certificate could be read from it");
            }
            return result;
        } catch (CertificateException e) {
            throw new PemException(pem + ": not a valid certificate: " + e.getMessage());
        }
    }
}
