package dev.tollgate.signatures;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import dev.tollgate.signatures.AuthenticodeVerification.ExtraCertificate;
import dev.tollgate.signatures.AuthenticodeVerification.UnexpectedAttribute;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Verifies one Authenticode signature blob: the {@code bCertificate} of a WIN_CERTIFICATE entry of type
 * WIN_CERT_TYPE_PKCS_SIGNED_DATA, and the nested signatures inside it.
 *
 * <p>Follows Microsoft's "Windows Authenticode Portable Executable Signature Format" (1.0, 2008): the PKCS#7 SignedData
 * (RFC 2315 §9.1) encapsulates an SpcIndirectDataContent whose DigestInfo carries the image digest; the SignerInfo's
 * messageDigest attribute covers the DER contents octets of that SpcIndirectDataContent (without its outer identifier
 * and length); the timestamp is a PKCS#9 countersignature (1.2.840.113549.1.9.6) or an RFC 3161 token in unauthenticated
 * attribute 1.3.6.1.4.1.311.3.3.1; further signatures sit in unauthenticated attribute 1.3.6.1.4.1.311.2.4.1.
 *
 * <p>Malformed input never throws: it is a {@link SignatureStatus#MALFORMED} signature whose problems say why.
 * Stateless apart from its configuration, so thread-safe.
 */
final class AuthenticodeVerifier {

    static final int MAX_BLOB_BYTES = 16 << 20;
    static final int MAX_NESTED_DEPTH = 4;
    static final int MAX_SIGNATURES = 32;
    static final int MAX_CERTIFICATES = 256;
    static final int MAX_TIMESTAMP_ATTEMPTS = 4;
    static final int MAX_UNEXPECTED_ATTRIBUTES = 64;
    /** Real signatures nest about 15 levels deep; 64 leaves room and refuses recursion bombs. */
    static final int MAX_ASN1_DEPTH = 64;

    static final ASN1ObjectIdentifier SPC_INDIRECT_DATA = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.4");
    static final ASN1ObjectIdentifier SPC_NESTED_SIGNATURE = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.4.1");
    static final ASN1ObjectIdentifier SPC_RFC3161_TIMESTAMP = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.3.3.1");
    static final ASN1ObjectIdentifier COUNTER_SIGNATURE = CMSAttributes.counterSignature;

    static final String EKU_CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    static final String EKU_TIME_STAMPING = "1.3.6.1.5.5.7.3.8";
    static final String EKU_ANY = "2.5.29.37.0";

    /** The digests Authenticode names, by OID, under their JCA names (which reports also use). */
    private static final Map<ASN1ObjectIdentifier, String> DIGESTS = Map.of(
            PKCSObjectIdentifiers.md5, "MD5",
            OIWObjectIdentifiers.idSHA1, "SHA-1",
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            NISTObjectIdentifiers.id_sha384, "SHA-384",
            NISTObjectIdentifiers.id_sha512, "SHA-512");

    private static final int CHAIN_WALK_LIMIT = 16;

    private final TrustAnchors trust;
    private final Clock clock;

    AuthenticodeVerifier(TrustAnchors trust, Clock clock) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@link #verify(byte[], ImageDigester)} on a view, refusing an oversized blob before copying it. */
    AuthenticodeVerification verify(ByteView blob, ImageDigester digester) {
        Objects.requireNonNull(blob, "blob");
        if (blob.size() > MAX_BLOB_BYTES) {
            return tooLarge(blob.size(), digester);
        }
        return verify(blob.toArray(), digester);
    }

    /** Verifies {@code blob} (one entry's bCertificate bytes, possibly with trailing bytes) against the image digest. */
    AuthenticodeVerification verify(byte[] blob, ImageDigester digester) {
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(digester, "digester");
        if (blob.length > MAX_BLOB_BYTES) {
            return tooLarge(blob.length, digester);
        }
        Run run = new Run(digester);
        long extent;
        try {
            extent = DerExtent.of(blob, MAX_ASN1_DEPTH);
        } catch (FormatException e) {
            run.malformed(0, "", "PKCS#7 blob does not parse: " + e.getMessage());
            return run.result(OptionalLong.empty());
        }
        try {
            ASN1Primitive outer = ASN1Primitive.fromByteArray(Arrays.copyOf(blob, (int) extent));
            run.signedData(ContentInfo.getInstance(outer), 0);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // Bouncy Castle reports malformed structures as IllegalArgumentException, ClassCastException and kin.
            run.malformed(0, "", "PKCS#7 blob does not parse: " + describe(e));
        }
        return run.result(OptionalLong.of(extent));
    }

    private AuthenticodeVerification tooLarge(long size, ImageDigester digester) {
        Run run = new Run(digester);
        run.malformed(0, "", "signature blob of " + size + " bytes exceeds the 16 MiB limit");
        return run.result(OptionalLong.empty());
    }

    /** The state of one verification: what it found so far. */
    private final class Run {
        private final ImageDigester digester;
        private final List<SignatureInfo> signatures = new ArrayList<>();
        private final List<ExtraCertificate> extraCertificates = new ArrayList<>();
        private final List<UnexpectedAttribute> unexpectedAttributes = new ArrayList<>();
        private boolean signatureLimitReported;

        Run(ImageDigester digester) {
            this.digester = digester;
        }

        AuthenticodeVerification result(OptionalLong extent) {
            // A placeholder stays null only if an Error escaped mid-signature; its malformed entry follows it.
            signatures.removeIf(Objects::isNull);
            return new AuthenticodeVerification(signatures, extent, extraCertificates, unexpectedAttributes);
        }

        void malformed(int nested, String digestAlgorithm, String problem) {
            signatures.add(SignatureInfo.malformed("authenticode", digestAlgorithm, nested, oneLine(problem)));
        }

        /** Verifies one ContentInfo and, through its unauthenticated attributes, the signatures nested in it. */
        void signedData(ContentInfo contentInfo, int nested) {
            if (signatures.size() >= MAX_SIGNATURES) {
                if (!signatureLimitReported) {
                    signatureLimitReported = true;
                    malformed(nested, "", "more than " + MAX_SIGNATURES + " signatures; the rest were not verified");
                }
                return;
            }
            Outcome outcome = new Outcome();
            int index = signatures.size();
            signatures.add(null); // keeps the outer signature before the nested ones it contains
            List<ContentInfo> children = List.of();
            try {
                children = check(contentInfo, nested, outcome);
            } catch (MalformedSignature e) {
                outcome.fail(SignatureStatus.MALFORMED, e.getMessage());
            } catch (RuntimeException | StackOverflowError e) {
                // Bouncy Castle reports malformed structures as IllegalArgumentException, ClassCastException and kin;
                // content inside OCTET STRINGs (a timestamp's TSTInfo) is parsed recursively after DerExtent's check.
                outcome.fail(SignatureStatus.MALFORMED, "signature does not parse: " + describe(e));
            }
            signatures.set(index, outcome.toSignatureInfo(nested));
            for (ContentInfo child : children) {
                if (nested + 1 > MAX_NESTED_DEPTH) {
                    malformed(
                            nested + 1,
                            "",
                            "nested signature deeper than " + MAX_NESTED_DEPTH + " levels not verified");
                    continue;
                }
                signedData(child, nested + 1);
            }
        }

        /** Runs every check on one signature, filling {@code outcome}; returns the nested signatures found. */
        private List<ContentInfo> check(ContentInfo contentInfo, int nested, Outcome outcome)
                throws MalformedSignature {
            if (!PKCSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
                throw new MalformedSignature(
                        "content type is " + contentInfo.getContentType().getId() + ", not PKCS#7 signedData");
            }
            SignedData signedData = SignedData.getInstance(contentInfo.getContent());
            ContentInfo encapsulated = signedData.getEncapContentInfo();
            if (!SPC_INDIRECT_DATA.equals(encapsulated.getContentType())) {
                throw new MalformedSignature("signed content type is "
                        + encapsulated.getContentType().getId() + ", not SpcIndirectDataContent ("
                        + SPC_INDIRECT_DATA.getId() + ")");
            }
            if (encapsulated.getContent() == null) {
                throw new MalformedSignature("SpcIndirectDataContent is absent (detached signature)");
            }
            ASN1Sequence indirect = ASN1Sequence.getInstance(encapsulated.getContent());
            if (indirect.size() != 2) {
                throw new MalformedSignature("SpcIndirectDataContent has " + indirect.size() + " fields, not 2");
            }
            DigestInfo digestInfo = DigestInfo.getInstance(indirect.getObjectAt(1));
            AlgorithmIdentifier digestAlgorithm = digestInfo.getAlgorithmId();
            String digestName = DIGESTS.get(digestAlgorithm.getAlgorithm());
            if (digestName == null) {
                throw new MalformedSignature("unsupported image digest algorithm "
                        + digestAlgorithm.getAlgorithm().getId());
            }
            outcome.digestAlgorithm = digestName;

            checkImageDigest(digestName, digestInfo.getDigest(), outcome);

            List<BagCertificate> bag = certificates(signedData);
            ASN1Set signerInfos = signedData.getSignerInfos();
            if (signerInfos.size() != 1) {
                throw new MalformedSignature(
                        "Authenticode requires exactly one SignerInfo; found " + signerInfos.size());
            }
            CMSSignedData cms;
            try {
                cms = new CMSSignedData(
                        new CMSProcessableByteArray(SPC_INDIRECT_DATA, contentsOctets(indirect)), contentInfo);
            } catch (CMSException | IOException e) {
                throw new MalformedSignature("SignedData does not parse: " + describe(e));
            }
            SignerInformation signer =
                    cms.getSignerInfos().getSigners().iterator().next();
            X509Certificate signerCertificate = find(bag, signer.getSID())
                    .orElseThrow(() -> new MalformedSignature(
                            "the signer's certificate is not in the signature's certificate bag"));
            outcome.signer = Optional.of(signerCertificate);

            checkSignerSignature(signer, signerCertificate, outcome);

            List<ContentInfo> children = new ArrayList<>();
            Optional<Timestamp> timestamp = unauthenticatedAttributes(signer, bag, nested, outcome, children);
            Instant validationTime = clock.instant();
            if (timestamp.isPresent()) {
                validationTime = timestamp.get().time();
                outcome.signingTime = Optional.of(validationTime);
                outcome.timestampAuthority = Optional.of(timestamp.get().authority());
            } else {
                outcome.signingTime = signedSigningTime(signer);
            }

            Set<X509Certificate> used = new LinkedHashSet<>();
            used.addAll(bagChain(signerCertificate, bag));
            List<X509Certificate> chain =
                    chain(signerCertificate, bag, validationTime, EKU_CODE_SIGNING, "signer", outcome);
            used.addAll(chain);
            if (!chain.isEmpty()) {
                outcome.root = Optional.of(chain.getLast());
            }
            timestamp.ifPresent(t -> used.addAll(t.chain()));
            for (BagCertificate certificate : bag) {
                if (!certificate.parsed().map(used::contains).orElse(false)) {
                    extraCertificates.add(
                            new ExtraCertificate(nested, certificate.subject(), certificate.thumbprint()));
                }
            }
            return children;
        }

        private void checkImageDigest(String digestName, byte[] signedDigest, Outcome outcome) {
            if (digestName.equals("MD5")) {
                outcome.fail(
                        SignatureStatus.UNTRUSTED,
                        "image digest uses MD5, which is broken (practical collisions); not trusted");
            }
            byte[] actual;
            try {
                actual = digester.digest(MessageDigest.getInstance(digestName));
            } catch (FormatException e) {
                outcome.fail(SignatureStatus.MALFORMED, "the image digest cannot be computed: " + e.getMessage());
                return;
            } catch (NoSuchAlgorithmException e) {
                outcome.fail(SignatureStatus.MALFORMED, "the JDK cannot compute " + digestName);
                return;
            }
            if (!MessageDigest.isEqual(actual, signedDigest)) {
                outcome.fail(
                        SignatureStatus.DIGEST_MISMATCH,
                        "image digest mismatch: the signature says " + digestName + " "
                                + HexFormat.of().formatHex(signedDigest) + ", the file hashes to "
                                + HexFormat.of().formatHex(actual));
            }
        }

        private void checkSignerSignature(SignerInformation signer, X509Certificate certificate, Outcome outcome) {
            try {
                // A verifier built from the bare public key: certificate validity is the chain check's job, at the
                // timestamp's time, not Bouncy Castle's check against the signer's own signingTime claim.
                boolean verified =
                        signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate.getPublicKey()));
                if (!verified) {
                    outcome.fail(
                            SignatureStatus.MALFORMED,
                            "the signer's signature over the authenticated attributes does not verify");
                }
            } catch (CMSSignerDigestMismatchException e) {
                outcome.fail(
                        SignatureStatus.DIGEST_MISMATCH,
                        "the SpcIndirectDataContent does not match the signed messageDigest attribute"
                                + " (the signed image digest was rewritten)");
            } catch (CMSException | OperatorCreationException | RuntimeException e) {
                outcome.fail(SignatureStatus.MALFORMED, "the signer's signature cannot be verified: " + describe(e));
            }
        }

        /**
         * Sorts the unauthenticated attributes: timestamps are verified (the first valid one wins), nested signatures
         * collected into {@code children}, anything else recorded as unexpected.
         */
        private Optional<Timestamp> unauthenticatedAttributes(
                SignerInformation signer,
                List<BagCertificate> bag,
                int nested,
                Outcome outcome,
                List<ContentInfo> children) {
            // The raw set keeps the attributes' order, which the AttributeTable view does not.
            ASN1Set attributes = signer.toASN1Structure().getUnauthenticatedAttributes();
            if (attributes == null) {
                return Optional.empty();
            }
            Optional<Timestamp> timestamp = Optional.empty();
            List<String> timestampProblems = new ArrayList<>();
            for (ASN1Encodable element : attributes) {
                Attribute attribute = Attribute.getInstance(element);
                ASN1ObjectIdentifier type = attribute.getAttrType();
                for (ASN1Encodable value : attribute.getAttrValues()) {
                    if (type.equals(SPC_NESTED_SIGNATURE)) {
                        children.add(ContentInfo.getInstance(value));
                    } else if (type.equals(SPC_RFC3161_TIMESTAMP) || type.equals(COUNTER_SIGNATURE)) {
                        if (timestamp.isPresent()) {
                            continue;
                        }
                        if (timestampProblems.size() == MAX_TIMESTAMP_ATTEMPTS) {
                            // Each attempt costs signature checks; a blob of bogus timestamps must not cost more.
                            timestampProblems.add("more than " + MAX_TIMESTAMP_ATTEMPTS
                                    + " timestamps failed; the rest were not verified");
                            continue;
                        }
                        if (timestampProblems.size() > MAX_TIMESTAMP_ATTEMPTS) {
                            continue;
                        }
                        try {
                            timestamp = Optional.of(
                                    type.equals(SPC_RFC3161_TIMESTAMP)
                                            ? rfc3161(value, signer, bag)
                                            : countersignature(value, signer, bag));
                        } catch (MalformedSignature e) {
                            timestampProblems.add(e.getMessage());
                        } catch (RuntimeException | StackOverflowError e) {
                            timestampProblems.add("timestamp does not parse: " + describe(e));
                        }
                    } else if (unexpectedAttributes.size() < MAX_UNEXPECTED_ATTRIBUTES) {
                        unexpectedAttributes.add(new UnexpectedAttribute(nested, type.getId(), encodedSize(value)));
                    }
                }
            }
            if (timestamp.isEmpty()) {
                // A timestamp that fails is not ignored: it was meant to vouch for the signing time and does not.
                timestampProblems.forEach(p -> outcome.fail(SignatureStatus.UNTRUSTED, p));
            }
            return timestamp;
        }

        /** An RFC 3161 token whose imprint covers the signer's signature value (its encryptedDigest). */
        private Timestamp rfc3161(ASN1Encodable value, SignerInformation signer, List<BagCertificate> bag)
                throws MalformedSignature {
            TimeStampToken token;
            try {
                token = new TimeStampToken(ContentInfo.getInstance(value));
            } catch (TSPException | IOException e) {
                throw new MalformedSignature("RFC 3161 timestamp does not parse: " + describe(e));
            }
            List<BagCertificate> pool = new ArrayList<>(bag);
            for (X509CertificateHolder holder : token.getCertificates().getMatches(null)) {
                pool.add(BagCertificate.of(holder));
            }
            X509Certificate tsa = find(pool, token.getSID())
                    .orElseThrow(() -> new MalformedSignature("RFC 3161 timestamp signer's certificate is missing"));
            try {
                token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(tsa));
            } catch (TSPException | OperatorCreationException e) {
                throw new MalformedSignature("RFC 3161 timestamp does not verify: " + describe(e));
            }
            var info = token.getTimeStampInfo();
            String imprintAlgorithm = DIGESTS.get(info.getMessageImprintAlgOID());
            if (imprintAlgorithm == null) {
                throw new MalformedSignature("RFC 3161 timestamp imprint uses unsupported digest "
                        + info.getMessageImprintAlgOID().getId());
            }
            byte[] expected = digest(imprintAlgorithm, signer.getSignature());
            if (!MessageDigest.isEqual(expected, info.getMessageImprintDigest())) {
                throw new MalformedSignature("RFC 3161 timestamp imprint does not cover this signature");
            }
            Instant time = info.getGenTime().toInstant();
            return new Timestamp(time, Certificates.subject(tsa), tsaChain(tsa, pool, time));
        }

        /** A PKCS#9 countersignature (RFC 2315 §9.4 via PKCS#9 §5.3.6) over the signer's encryptedDigest. */
        private Timestamp countersignature(ASN1Encodable value, SignerInformation signer, List<BagCertificate> bag)
                throws MalformedSignature {
            // Bouncy Castle binds each countersignature to the signature value it covers.
            SignerInformation counter = null;
            for (SignerInformation candidate : signer.getCounterSignatures().getSigners()) {
                if (Arrays.equals(encoded(candidate.toASN1Structure()), encoded(value))) {
                    counter = candidate;
                }
            }
            if (counter == null) {
                throw new MalformedSignature("countersignature does not parse");
            }
            X509Certificate tsa = find(bag, counter.getSID())
                    .orElseThrow(() -> new MalformedSignature("countersigner's certificate is missing"));
            try {
                if (!counter.verify(new JcaSimpleSignerInfoVerifierBuilder().build(tsa.getPublicKey()))) {
                    throw new MalformedSignature("countersignature does not verify");
                }
            } catch (CMSSignerDigestMismatchException e) {
                throw new MalformedSignature("countersignature does not cover this signature");
            } catch (CMSException | OperatorCreationException e) {
                throw new MalformedSignature("countersignature cannot be verified: " + describe(e));
            }
            Instant time = signedSigningTime(counter)
                    .orElseThrow(() -> new MalformedSignature("countersignature has no signingTime"));
            return new Timestamp(time, Certificates.subject(tsa), tsaChain(tsa, bag, time));
        }

        /** The timestamp signer's chain at the timestamp's time; a timestamp that does not chain is not trusted. */
        private List<X509Certificate> tsaChain(X509Certificate tsa, List<BagCertificate> pool, Instant time)
                throws MalformedSignature {
            Outcome tsaOutcome = new Outcome();
            List<X509Certificate> chain = chain(tsa, pool, time, EKU_TIME_STAMPING, "timestamp signer", tsaOutcome);
            if (tsaOutcome.status != SignatureStatus.VALID) {
                throw new MalformedSignature(String.join("; ", tsaOutcome.problems));
            }
            Set<X509Certificate> all = new LinkedHashSet<>(chain);
            all.addAll(bagChain(tsa, pool));
            return List.copyOf(all);
        }

        /**
         * Builds the PKIX chain (RFC 5280 §6, revocation not checked) from {@code target} to a trust anchor at
         * {@code time}, with the bag as intermediates, and checks {@code requiredEku} on the target. Failures go into
         * {@code outcome} as {@link SignatureStatus#UNTRUSTED}; returns the chain (with its anchor) when one is found.
         */
        private List<X509Certificate> chain(
                X509Certificate target,
                List<BagCertificate> bag,
                Instant time,
                String requiredEku,
                String role,
                Outcome outcome) {
            checkEku(target, requiredEku, role, outcome);
            Date at = Date.from(time);
            // Messages name the time to the second; the validation itself uses the exact instant.
            time = time.truncatedTo(ChronoUnit.SECONDS);
            try {
                target.checkValidity(at);
            } catch (CertificateExpiredException e) {
                outcome.fail(
                        SignatureStatus.UNTRUSTED,
                        role + " certificate expired on "
                                + target.getNotAfter().toInstant()
                                + (role.equals("signer")
                                        ? ", before " + time + " (no trusted timestamp proves it signed earlier)"
                                        : ", before " + time));
                return List.of();
            } catch (CertificateNotYetValidException e) {
                outcome.fail(
                        SignatureStatus.UNTRUSTED,
                        role + " certificate is not valid until "
                                + target.getNotBefore().toInstant() + ", after " + time);
                return List.of();
            }
            if (trust.anchors().isEmpty()) {
                outcome.fail(SignatureStatus.UNTRUSTED, "no trust anchors are configured");
                return List.of();
            }
            try {
                X509CertSelector selector = new X509CertSelector();
                selector.setCertificate(target);
                PKIXBuilderParameters parameters = new PKIXBuilderParameters(trust.anchors(), selector);
                parameters.setRevocationEnabled(false);
                parameters.setDate(at);
                Collection<X509Certificate> intermediates = new ArrayList<>();
                intermediates.add(target);
                bag.forEach(c -> c.parsed().ifPresent(intermediates::add));
                parameters.addCertStore(
                        CertStore.getInstance("Collection", new CollectionCertStoreParameters(intermediates)));
                PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult)
                        CertPathBuilder.getInstance("PKIX").build(parameters);
                List<X509Certificate> path = new ArrayList<>();
                result.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
                for (X509Certificate ca : path.subList(1, path.size())) {
                    checkIssuerEku(ca, requiredEku, outcome);
                }
                path.add(result.getTrustAnchor().getTrustedCert());
                return path;
            } catch (CertPathBuilderException e) {
                outcome.fail(
                        SignatureStatus.UNTRUSTED,
                        role + " certificate (" + Certificates.subject(target) + ", issued by "
                                + Certificates.issuer(target) + ") does not chain to a trust anchor at " + time
                                + ": " + describe(e));
                return List.of();
            } catch (GeneralSecurityException e) {
                outcome.fail(SignatureStatus.UNTRUSTED, "the chain cannot be built: " + describe(e));
                return List.of();
            }
        }

        /**
         * The leaf must name the purpose. RFC 5280 §4.2.1.12 reads an absent EKU as "any purpose" and Windows accepts
         * that, but the CA/Browser Forum code-signing requirements (§7.1.2.3) make id-kp-codeSigning mandatory in every
         * publicly trusted code-signing certificate, and RFC 3161 §2.3 makes id-kp-timeStamping mandatory for a TSA; a
         * certificate without it was not issued to sign code and should not be allowed to.
         */
        private static void checkEku(X509Certificate certificate, String eku, String role, Outcome outcome) {
            List<String> usages;
            try {
                usages = certificate.getExtendedKeyUsage();
            } catch (CertificateParsingException e) {
                outcome.fail(SignatureStatus.UNTRUSTED, role + " certificate's extended key usage does not parse");
                return;
            }
            String name = eku.equals(EKU_CODE_SIGNING) ? "codeSigning" : "timeStamping";
            if (usages == null) {
                outcome.fail(
                        SignatureStatus.UNTRUSTED,
                        role + " certificate has no extended key usage; " + name + " (" + eku + ") is required");
            } else if (!usages.contains(eku)) {
                outcome.fail(
                        SignatureStatus.UNTRUSTED,
                        role + " certificate's extended key usage " + usages + " lacks " + name + " (" + eku + ")");
            }
        }
    }

    /**
     * An intermediate CA whose extended key usage is present must allow the purpose too (or any purpose): Windows
     * chains EKUs this way, and a CA constrained to TLS servers that issues a code signer has been misused.
     */
    private static void checkIssuerEku(X509Certificate ca, String eku, Outcome outcome) {
        List<String> usages;
        try {
            usages = ca.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            outcome.fail(
                    SignatureStatus.UNTRUSTED,
                    "intermediate CA certificate " + Certificates.subject(ca) + ": extended key usage does not parse");
            return;
        }
        if (usages != null && !usages.contains(eku) && !usages.contains(EKU_ANY)) {
            outcome.fail(
                    SignatureStatus.UNTRUSTED,
                    "intermediate CA certificate " + Certificates.subject(ca) + " has extended key usage " + usages
                            + ", which does not allow "
                            + (eku.equals(EKU_CODE_SIGNING) ? "codeSigning" : "timeStamping")
                            + " (" + eku + ")");
        }
    }

    /** What one signature's checks concluded so far. */
    private static final class Outcome {
        SignatureStatus status = SignatureStatus.VALID;
        final List<String> problems = new ArrayList<>();
        String digestAlgorithm = "";
        Optional<X509Certificate> signer = Optional.empty();
        Optional<X509Certificate> root = Optional.empty();
        Optional<Instant> signingTime = Optional.empty();
        Optional<String> timestampAuthority = Optional.empty();

        /** Records a problem; the status becomes the most serious seen (digest mismatch, malformed, untrusted). */
        void fail(SignatureStatus failed, String problem) {
            problems.add(oneLine(problem));
            if (rank(failed) < rank(status)) {
                status = failed;
            }
        }

        private static int rank(SignatureStatus status) {
            return switch (status) {
                case DIGEST_MISMATCH -> 0;
                case MALFORMED -> 1;
                case UNTRUSTED -> 2;
                case VALID -> 3;
            };
        }

        SignatureInfo toSignatureInfo(int nested) {
            return new SignatureInfo(
                    "authenticode",
                    status,
                    signer.map(Certificates::subject).orElse(""),
                    signer.map(Certificates::issuer).orElse(""),
                    signer.map(Certificates::serial).orElse(""),
                    signer.map(Certificates::thumbprint).orElse(""),
                    digestAlgorithm,
                    signingTime,
                    timestampAuthority,
                    nested,
                    problems,
                    signer.map(Certificates::thumbprintSha1).orElse(""),
                    root.map(Certificates::thumbprint).orElse(""));
        }
    }

    /** A verified timestamp: the time it vouches for, its signer's DN, and the certificates of its chain. */
    private record Timestamp(Instant time, String authority, List<X509Certificate> chain) {}

    /** A certificate from a bag: parsed when the JDK accepts it, else only its bytes' identity. */
    private record BagCertificate(
            X509CertificateHolder holder, Optional<X509Certificate> parsed, String subject, String thumbprint) {

        static BagCertificate of(X509CertificateHolder holder) {
            String thumbprint;
            try {
                thumbprint = Certificates.sha256Hex(holder.getEncoded());
            } catch (IOException e) {
                thumbprint = "";
            }
            try {
                X509Certificate parsed = (X509Certificate)
                        Certificates.factory().generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
                return new BagCertificate(holder, Optional.of(parsed), Certificates.subject(parsed), thumbprint);
            } catch (GeneralSecurityException | IOException e) {
                return new BagCertificate(
                        holder, Optional.empty(), holder.getSubject().toString(), thumbprint);
            }
        }
    }

    private static List<BagCertificate> certificates(SignedData signedData) throws MalformedSignature {
        ASN1Set set = signedData.getCertificates();
        if (set == null) {
            return List.of();
        }
        if (set.size() > MAX_CERTIFICATES) {
            throw new MalformedSignature(
                    "the signature carries " + set.size() + " certificates; at most " + MAX_CERTIFICATES + " accepted");
        }
        List<BagCertificate> bag = new ArrayList<>();
        for (ASN1Encodable element : set) {
            // Only X.509 certificates (an untagged SEQUENCE); attribute and other certificate choices are ignored.
            if (element.toASN1Primitive() instanceof ASN1TaggedObject) {
                continue;
            }
            bag.add(BagCertificate.of(new X509CertificateHolder(Certificate.getInstance(element))));
        }
        return bag;
    }

    private static Optional<X509Certificate> find(List<BagCertificate> bag, SignerId id) {
        for (BagCertificate certificate : bag) {
            if (certificate.parsed().isPresent() && id.match(certificate.holder())) {
                return certificate.parsed();
            }
        }
        return Optional.empty();
    }

    /**
     * The certificates of the bag that issue {@code leaf}, then its issuer, and so on: the chain as the signer shipped
     * it, used to tell which bag certificates belong to the signature even when no trust anchor is reached.
     */
    private static List<X509Certificate> bagChain(X509Certificate leaf, List<BagCertificate> bag) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        X509Certificate current = leaf;
        for (int i = 0; i < CHAIN_WALK_LIMIT; i++) {
            if (current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
                break;
            }
            X509Certificate issuer = null;
            for (BagCertificate candidate : bag) {
                if (candidate.parsed().isEmpty()
                        || chain.contains(candidate.parsed().get())) {
                    continue;
                }
                X509Certificate c = candidate.parsed().get();
                if (c.getSubjectX500Principal().equals(current.getIssuerX500Principal()) && signs(c, current)) {
                    issuer = c;
                    break;
                }
            }
            if (issuer == null) {
                break;
            }
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    private static boolean signs(X509Certificate issuer, X509Certificate subject) {
        try {
            subject.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Optional<Instant> signedSigningTime(SignerInformation signer) {
        AttributeTable signed = signer.getSignedAttributes();
        if (signed == null) {
            return Optional.empty();
        }
        Attribute attribute = signed.get(CMSAttributes.signingTime);
        if (attribute == null || attribute.getAttrValues().size() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(Time.getInstance(attribute.getAttrValues().getObjectAt(0))
                    .getDate()
                    .toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The contents octets of a DER encoding: what Authenticode's messageDigest covers. */
    static byte[] contentsOctets(ASN1Encodable value) throws IOException {
        byte[] der = value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        int lengthOctet = der[1] & 0xff;
        int header = 2 + (lengthOctet < 0x80 ? 0 : lengthOctet & 0x7f);
        return Arrays.copyOfRange(der, header, der.length);
    }

    private static byte[] digest(String algorithm, byte[] data) throws MalformedSignature {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new MalformedSignature("the JDK cannot compute " + algorithm);
        }
    }

    private static byte[] encoded(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static int encodedSize(ASN1Encodable value) {
        return encoded(value).length;
    }

    /** Problems are one line each: library messages sometimes span several. */
    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    private static String describe(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "structure nested too deeply";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** A signature whose structure is not Authenticode; the message says what, for a person. */
    private static final class MalformedSignature extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedSignature(String message) {
            super(message);
        }
    }
}
