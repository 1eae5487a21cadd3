package dev.tollgate.server;

import dev.tollgate.store.Ids;
import dev.tollgate.store.Page;
import dev.tollgate.store.ProductRepository;
import dev.tollgate.store.ProductRow;
import dev.tollgate.store.TrustAnchorRow;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Products, the roots trusted for their releases, and their policy. */
@Service
final class Products {

    static final int MAX_PEM_CHARS = 1 << 20;
    static final int MAX_ANCHORS_PER_REQUEST = 100;
    static final int MAX_POLICY_CHARS = 256 << 10;

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

    private final ProductRepository products;
    private final ReleaseVetting vetting;
    private final Audit audit;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final ServerSettings settings;

    Products(
            ProductRepository products,
            ReleaseVetting vetting,
            Audit audit,
            Clock clock,
            TransactionTemplate transaction,
            ServerSettings settings) {
        this.products = products;
        this.vetting = vetting;
        this.audit = audit;
        this.clock = clock;
        this.transaction = transaction;
        this.settings = settings;
    }

    ProductRow create(Caller caller, Api.CreateProduct request) {
        if (request == null) {
            throw ProblemException.badRequest("The request body is required.");
        }
        String vendor = Validation.text(request.vendor(), "vendor", 200);
        String name = Validation.text(request.name(), "name", 200);
        Optional<String> vendorId = Validation.optionalId(request.vendorId(), "vendorId");
        long limit = settings.defaultMaxRelease().toBytes();
        if (request.maxReleaseBytes() != null) {
            limit = request.maxReleaseBytes();
            if (limit < 1 || limit > settings.maxUpload().toBytes()) {
                throw ProblemException.badRequest("The field 'maxReleaseBytes' must be within 1.."
                        + settings.maxUpload().toBytes() + " (the server's tollgate.max-upload).");
            }
        }
        ProductRow row = new ProductRow(Ids.next(), vendor, name, vendorId, limit, caller.actor(), clock.instant());
        try {
            transaction.executeWithoutResult(status -> {
                products.insert(row);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("vendor", vendor);
                details.put("name", name);
                details.put("maxReleaseBytes", row.maxReleaseBytes());
                audit.record(caller.actor(), "product.created", "product:" + row.id(), details);
            });
        } catch (DuplicateKeyException e) {
            throw ProblemException.conflict("The vendor '" + vendor + "' already has a product named '" + name + "'.");
        }
        return row;
    }

    ProductRow find(String id) {
        return products.find(Validation.id(id, "product"))
                .orElseThrow(() -> ProblemException.notFound("No product has this id."));
    }

    Page<ProductRow> page(Optional<String> after, int limit) {
        return products.page(after, limit);
    }

    List<TrustAnchorRow> trustAnchors(String productId) {
        return products.trustAnchors(find(productId).id());
    }

    /** Adds the certificates of a PEM text; returns those that were new. */
    List<TrustAnchorRow> addTrustAnchors(Caller caller, String productId, String pem) {
        ProductRow product = find(productId);
        List<X509Certificate> certificates = parsePem(pem);
        List<TrustAnchorRow> added = new ArrayList<>();
        transaction.executeWithoutResult(status -> {
            for (X509Certificate certificate : certificates) {
                TrustAnchorRow row = new TrustAnchorRow(
                        Ids.next(),
                        product.id(),
                        certificate.getSubjectX500Principal().getName(),
                        thumbprint(certificate),
                        toPem(certificate),
                        caller.actor(),
                        clock.instant());
                if (products.addTrustAnchor(row)) {
                    added.add(row);
                    audit.record(
                            caller.actor(),
                            "product.trust-anchor-added",
                            "product:" + product.id(),
                            Map.of("subject", row.subject(), "thumbprintSha256", row.thumbprintSha256()));
                }
            }
        });
        return added;
    }

    /** Sets the policy after the engine's policy loader accepted it. */
    String putPolicy(Caller caller, String productId, String yaml) {
        ProductRow product = find(productId);
        if (yaml == null || yaml.isBlank()) {
            throw ProblemException.badRequest("The request body must be the policy's YAML.");
        }
        if (yaml.length() > MAX_POLICY_CHARS) {
            throw ProblemException.badRequest("The policy is longer than " + MAX_POLICY_CHARS + " characters.");
        }
        vetting.checkPolicy(yaml).ifPresent(problem -> {
            throw ProblemException.badRequest("The policy is not valid: " + problem);
        });
        String sha256 = sha256Hex(yaml.getBytes(StandardCharsets.UTF_8));
        transaction.executeWithoutResult(status -> {
            products.putPolicy(product.id(), yaml, sha256, caller.actor(), clock.instant());
            audit.record(caller.actor(), "product.policy-set", "product:" + product.id(), Map.of("sha256", sha256));
        });
        return sha256;
    }

    Optional<String> policy(String productId) {
        return products.policy(find(productId).id());
    }

    /** The certificates of a PEM text: only CERTIFICATE blocks, each one parsed, at least one. */
    static List<X509Certificate> parsePem(String pem) {
        if (pem == null || pem.isBlank()) {
            throw ProblemException.badRequest("The request body must be PEM text with one or more certificates.");
        }
        if (pem.length() > MAX_PEM_CHARS) {
            throw ProblemException.badRequest("The PEM text is longer than " + MAX_PEM_CHARS + " characters.");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(pem);
        int end = 0;
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        while (m.find()) {
            if (!pem.substring(end, m.start()).isBlank()) {
                throw ProblemException.badRequest("The PEM text holds something other than PEM blocks (block "
                        + (certificates.size() + 1) + ").");
            }
            end = m.end();
            int index = certificates.size() + 1;
            if (!m.group(1).equals("CERTIFICATE")) {
                throw ProblemException.badRequest("PEM block " + index + " is a " + m.group(1)
                        + ", not a CERTIFICATE (a private key must never be sent here).");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("PEM block " + index + " is not valid base64.");
            }
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException | ClassCastException e) {
                throw ProblemException.badRequest("PEM block " + index + " is not a valid X.509 certificate.");
            }
            if (certificates.size() > MAX_ANCHORS_PER_REQUEST) {
                throw ProblemException.badRequest(
                        "At most " + MAX_ANCHORS_PER_REQUEST + " certificates may be sent at once.");
            }
        }
        if (!pem.substring(end).isBlank()) {
            throw ProblemException.badRequest(
                    certificates.isEmpty()
                            ? "The request body is not PEM: expected -----BEGIN CERTIFICATE----- blocks."
                            : "The PEM text has something other than a complete PEM block after block "
                                    + certificates.size() + ".");
        }
        if (certificates.isEmpty()) {
            throw ProblemException.badRequest("The PEM text holds no certificate.");
        }
        return certificates;
    }

    private static String toPem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw ProblemException.badRequest("A certificate cannot be encoded again as DER.");
        }
    }

    private static String thumbprint(X509Certificate certificate) {
        try {
            return sha256Hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw ProblemException.badRequest("A certificate cannot be encoded again as DER.");
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
