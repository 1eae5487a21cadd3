package dev.tollgate.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import dev.tollgate.signatures.TestSignature.Timestamp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticodeVerifierTest {

    private static final byte[] IMAGE = "MZ... the signed image ...".getBytes(StandardCharsets.US_ASCII);
    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);

    private final AuthenticodeVerifier verifier = new AuthenticodeVerifier(TestPki.anchors(), CLOCK);

    private static ImageDigester digesterOf(byte[] image) {
        return md -> md.digest(image);
    }

    private AuthenticodeVerification verify(byte[] blob) {
        return verifier.verify(blob, digesterOf(IMAGE));
    }

    private static SignatureInfo only(AuthenticodeVerification verification) {
        assertThat(verification.signatures()).hasSize(1);
        return verification.signatures().getFirst();
    }

    @Test
    void acceptsSignatureThatChainsToTrustAnchor() throws Exception {
        byte[] blob = TestSignature.over(IMAGE).build();

        AuthenticodeVerification verification = verify(blob);

        SignatureInfo signature = only(verification);
        assertThat(signature.problems()).isEmpty();
        assertThat(signature.status()).isEqualTo(SignatureStatus.VALID);
        assertThat(signature.kind()).isEqualTo("authenticode");
        assertThat(signature.signer()).isEqualTo("CN=Orbit Phone Ltd,O=Orbit Phone Ltd,C=GB");
        assertThat(signature.issuer()).isEqualTo("CN=Tollgate Test Code Signing CA,O=Tollgate Tests");
        assertThat(signature.serial())
                .isEqualTo(TestPki.SIGNER.certificate().getSerialNumber().toString(16));
        assertThat(signature.thumbprintSha256())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(TestPki.SIGNER.certificate().getEncoded())));
        assertThat(signature.digestAlgorithm()).isEqualTo("SHA-256");
        assertThat(signature.nested()).isZero();
        // Without a timestamp, the signed signingTime attribute is all there is to show.
        assertThat(signature.signingTime()).contains(TestPki.NOW);
        assertThat(signature.timestampAuthority()).isEmpty();
        assertThat(verification.pkcs7Length()).hasValue(blob.length);
        // The root sits in the bag too, and belongs to the chain.
        assertThat(verification.extraCertificates()).isEmpty();
        assertThat(verification.unexpectedAttributes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA-1", "SHA-256", "SHA-384", "SHA-512"})
    void recomputesImageDigestInTheAlgorithmTheSignatureNames(String algorithm) {
        SignatureInfo signature =
                only(verify(TestSignature.over(IMAGE).digest(algorithm).build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.VALID);
        assertThat(signature.digestAlgorithm()).isEqualTo(algorithm);
    }

    @Test
    void distrustsMd5ImageDigest() {
        SignatureInfo signature =
                only(verify(TestSignature.over(IMAGE).digest("MD5").build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(signature.digestAlgorithm()).isEqualTo("MD5");
        assertThat(signature.problems()).singleElement().asString().contains("MD5");
    }

    @Test
    void reportsDigestMismatchWhenOneByteOfTheImageChanged() {
        byte[] blob = TestSignature.over(IMAGE).build();
        byte[] patched = IMAGE.clone();
        patched[3] ^= 0x01;

        SignatureInfo signature = only(verifier.verify(blob, digesterOf(patched)));

        assertThat(signature.status()).isEqualTo(SignatureStatus.DIGEST_MISMATCH);
        assertThat(signature.problems()).singleElement().asString().startsWith("image digest mismatch");
        // Still names who signed the original, so a reviewer knows whose file was altered.
        assertThat(signature.signer()).startsWith("CN=Orbit Phone Ltd");
    }

    @Test
    void reportsDigestMismatchWhenSpcIndirectDataContentRewrittenAfterSigning() {
        SignatureInfo signature =
                only(verify(TestSignature.over(IMAGE).rewriteSpcAfterSigning().build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.DIGEST_MISMATCH);
        assertThat(signature.problems()).singleElement().asString().contains("messageDigest");
    }

    @Test
    void reportsMalformedWhenSignerSignatureDoesNotVerify() {
        SignatureInfo signature =
                only(verify(TestSignature.over(IMAGE).corruptSignature().build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.MALFORMED);
        assertThat(signature.problems())
                .singleElement()
                .asString()
                .contains("signature over the authenticated attributes does not verify");
    }

    @Test
    void distrustsLookalikePublisherFromAnotherRoot() {
        SignatureInfo signature = only(verify(TestSignature.over(IMAGE)
                .signer(TestPki.LOOKALIKE_SIGNER)
                .bag(TestPki.LOOKALIKE_SIGNER.certificate(), TestPki.OTHER_ROOT.certificate())
                .build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        // Same subject as the genuine publisher; only the thumbprint and issuer tell them apart.
        assertThat(signature.signer()).isEqualTo("CN=Orbit Phone Ltd,O=Orbit Phone Ltd,C=GB");
        assertThat(signature.issuer()).isEqualTo("CN=Lookalike Root,O=Orbit Phone Ltd");
        assertThat(signature.problems()).singleElement().asString().contains("does not chain to a trust anchor");
    }

    @Test
    void distrustsChainWhoseIntermediateIsMissing() {
        SignatureInfo signature = only(verify(
                TestSignature.over(IMAGE).bag(TestPki.SIGNER.certificate()).build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(signature.problems()).singleElement().asString().contains("does not chain to a trust anchor");
    }

    @Test
    void distrustsSignerWhoseIntermediateIsConstrainedToOtherPurposes() {
        SignatureInfo signature = only(verify(TestSignature.over(IMAGE)
                .signer(TestPki.SIGNER_UNDER_TLS_CA)
                .bag(TestPki.SIGNER_UNDER_TLS_CA.certificate(), TestPki.TLS_ONLY_CA.certificate())
                .build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(signature.problems())
                .singleElement()
                .asString()
                .contains("CN=Tollgate Test TLS CA")
                .contains("[1.3.6.1.5.5.7.3.1]")
                .contains("does not allow codeSigning");
    }

    @Test
    void distrustsEverythingWithoutTrustAnchors() {
        var untrusting = new AuthenticodeVerifier(TrustAnchors.of(List.of()), CLOCK);

        SignatureInfo signature =
                only(untrusting.verify(TestSignature.over(IMAGE).build(), digesterOf(IMAGE)));

        assertThat(signature.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(signature.problems()).containsExactly("no trust anchors are configured");
    }

    @Test
    void requiresCodeSigningExtendedKeyUsage() {
        SignatureInfo noEku = only(
                verify(TestSignature.over(IMAGE).signer(TestPki.NO_EKU_SIGNER).build()));
        SignatureInfo tls =
                only(verify(TestSignature.over(IMAGE).signer(TestPki.TLS_SIGNER).build()));

        assertThat(noEku.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(noEku.problems()).singleElement().asString().contains("has no extended key usage");
        assertThat(tls.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(tls.problems()).singleElement().asString().contains("lacks codeSigning");
    }

    @Test
    void distrustsExpiredSignerWithoutTimestamp() {
        SignatureInfo signature = only(
                verify(TestSignature.over(IMAGE).signer(TestPki.EXPIRED_SIGNER).build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(signature.problems()).singleElement().asString().contains("expired on 2024-01-01");
    }

    @Test
    void acceptsExpiredSignerWhoseRfc3161TimestampFallsInsideItsValidity() {
        Instant signedAt = Instant.parse("2023-06-01T10:00:00Z");

        SignatureInfo signature = only(verify(TestSignature.over(IMAGE)
                .signer(TestPki.EXPIRED_SIGNER)
                .timestamp(Timestamp.RFC3161, signedAt)
                .build()));

        assertThat(signature.problems()).isEmpty();
        assertThat(signature.status()).isEqualTo(SignatureStatus.VALID);
        assertThat(signature.signingTime()).contains(signedAt);
        assertThat(signature.timestampAuthority()).contains("CN=Tollgate Test Timestamping,O=Tollgate Tests");
    }

    @Test
    void acceptsExpiredSignerWhoseLegacyCountersignatureFallsInsideItsValidity() {
        Instant signedAt = Instant.parse("2023-06-01T10:00:00Z");

        AuthenticodeVerification verification = verify(TestSignature.over(IMAGE)
                .signer(TestPki.EXPIRED_SIGNER)
                .timestamp(Timestamp.LEGACY, signedAt)
                .build());

        SignatureInfo signature = only(verification);
        assertThat(signature.problems()).isEmpty();
        assertThat(signature.status()).isEqualTo(SignatureStatus.VALID);
        assertThat(signature.signingTime()).contains(signedAt);
        assertThat(signature.timestampAuthority()).contains("CN=Tollgate Test Timestamping,O=Tollgate Tests");
        // The countersigner's certificate rides in the outer bag, and is no extra certificate.
        assertThat(verification.extraCertificates()).isEmpty();
    }

    @Test
    void distrustsSignerWhenTimestampComesAfterExpiry() {
        SignatureInfo signature = only(verify(TestSignature.over(IMAGE)
                .signer(TestPki.EXPIRED_SIGNER)
                .timestamp(Timestamp.RFC3161, Instant.parse("2025-03-01T00:00:00Z"))
                .build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(signature.signingTime()).contains(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(signature.problems()).singleElement().asString().contains("expired on 2024-01-01");
    }

    @Test
    void rejectsRfc3161TimestampTransplantedFromAnotherSignature() {
        SignatureInfo signature = only(verify(TestSignature.over(IMAGE)
                .timestamp(Timestamp.RFC3161, Instant.parse("2026-01-01T00:00:00Z"))
                .timestampOverOtherBytes()
                .build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(signature.timestampAuthority()).isEmpty();
        assertThat(signature.problems()).singleElement().asString().contains("imprint does not cover");
    }

    @Test
    void rejectsLegacyCountersignatureTransplantedFromAnotherSignature() {
        SignatureInfo signature = only(verify(TestSignature.over(IMAGE)
                .timestamp(Timestamp.LEGACY, Instant.parse("2026-01-01T00:00:00Z"))
                .timestampOverOtherBytes()
                .build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(signature.problems()).singleElement().asString().contains("does not cover this signature");
    }

    @Test
    void rejectsTimestampFromUntrustedAuthority() {
        SignatureInfo signature = only(verify(TestSignature.over(IMAGE)
                .timestamp(Timestamp.RFC3161, Instant.parse("2026-01-01T00:00:00Z"))
                .timestampAuthority(TestPki.issue(
                        TestPki.OTHER_ROOT,
                        "CN=Rogue TSA",
                        Instant.parse("2020-01-01T00:00:00Z"),
                        Instant.parse("2030-01-01T00:00:00Z"),
                        TestPki.Usage.TIME_STAMPING))
                .build()));

        assertThat(signature.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(signature.problems())
                .singleElement()
                .asString()
                .contains(
                        "timestamp signer certificate (CN=Rogue TSA, issued by CN=Lookalike Root,O=Orbit Phone Ltd) does not chain");
    }

    @Test
    void verifiesNestedSignaturesEachInItsOwnAlgorithm() {
        byte[] inner = TestSignature.over(IMAGE).digest("SHA-256").build();

        AuthenticodeVerification verification =
                verify(TestSignature.over(IMAGE).digest("SHA-1").nest(inner).build());

        assertThat(verification.signatures())
                .extracting(SignatureInfo::nested, SignatureInfo::digestAlgorithm, SignatureInfo::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, "SHA-1", SignatureStatus.VALID),
                        org.assertj.core.groups.Tuple.tuple(1, "SHA-256", SignatureStatus.VALID));
        assertThat(verification.unexpectedAttributes()).isEmpty();
    }

    @Test
    void reportsNestedSignatureOverAnotherImage() {
        byte[] inner = TestSignature.over("another image".getBytes(StandardCharsets.US_ASCII))
                .build();

        AuthenticodeVerification verification =
                verify(TestSignature.over(IMAGE).nest(inner).build());

        assertThat(verification.signatures())
                .extracting(SignatureInfo::status)
                .containsExactly(SignatureStatus.VALID, SignatureStatus.DIGEST_MISMATCH);
    }

    @Test
    void stopsNestingBeyondFourLevels() {
        byte[] blob = TestSignature.over(IMAGE).build();
        for (int i = 0; i < 5; i++) {
            blob = TestSignature.over(IMAGE).nest(blob).build();
        }

        AuthenticodeVerification verification = verify(blob);

        assertThat(verification.signatures()).hasSize(6);
        assertThat(verification.signatures().subList(0, 5))
                .allSatisfy(s -> assertThat(s.status()).isEqualTo(SignatureStatus.VALID));
        SignatureInfo deepest = verification.signatures().get(5);
        assertThat(deepest.nested()).isEqualTo(5);
        assertThat(deepest.status()).isEqualTo(SignatureStatus.MALFORMED);
        assertThat(deepest.problems()).singleElement().asString().contains("deeper than 4");
    }

    @Test
    void listsCertificatesOutsideEveryChain() {
        AuthenticodeVerification verification = verify(TestSignature.over(IMAGE)
                .addToBag(TestPki.OTHER_ROOT.certificate())
                .timestamp(Timestamp.LEGACY, Instant.parse("2026-01-01T00:00:00Z"))
                .build());

        assertThat(only(verification).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(verification.extraCertificates()).singleElement().satisfies(extra -> {
            assertThat(extra.subject()).isEqualTo("CN=Lookalike Root,O=Orbit Phone Ltd");
            assertThat(extra.thumbprintSha256()).isEqualTo(Certificates.thumbprint(TestPki.OTHER_ROOT.certificate()));
            assertThat(extra.nested()).isZero();
        });
    }

    @Test
    void listsUnexpectedUnauthenticatedAttributesButNotTimestampsOrNestedSignatures() {
        AuthenticodeVerification verification = verify(TestSignature.over(IMAGE)
                .timestamp(Timestamp.RFC3161, Instant.parse("2026-01-01T00:00:00Z"))
                .nest(TestSignature.over(IMAGE).build())
                .unsignedAttribute("1.3.6.1.4.1.11129.2.1.9999", new DEROctetString(new byte[300]))
                .build());

        assertThat(verification.signatures()).extracting(SignatureInfo::status).containsOnly(SignatureStatus.VALID);
        assertThat(verification.unexpectedAttributes()).singleElement().satisfies(attribute -> {
            assertThat(attribute.oid()).isEqualTo("1.3.6.1.4.1.11129.2.1.9999");
            assertThat(attribute.bytes()).isGreaterThan(300);
        });
    }

    @Test
    void stopsVerifyingBogusTimestampsAfterFour() {
        TestSignature signature = TestSignature.over(IMAGE);
        for (int i = 0; i < 10; i++) {
            signature.unsignedAttribute("1.3.6.1.4.1.311.3.3.1", new DEROctetString(new byte[] {(byte) i}));
        }

        SignatureInfo result = only(verify(signature.build()));

        assertThat(result.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(result.problems()).hasSize(5).last().asString().contains("more than 4 timestamps failed");
    }

    @Test
    void recordsAtMost64UnexpectedAttributes() {
        TestSignature signature = TestSignature.over(IMAGE);
        for (int i = 0; i < 100; i++) {
            signature.unsignedAttribute("1.2.3.4." + i, new DEROctetString(new byte[] {(byte) i}));
        }

        AuthenticodeVerification verification = verify(signature.build());

        assertThat(only(verification).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(verification.unexpectedAttributes()).hasSize(AuthenticodeVerifier.MAX_UNEXPECTED_ATTRIBUTES);
    }

    @Test
    void measuresPkcs7LengthSoTrailingBytesCanBeFlagged() {
        byte[] blob = TestSignature.over(IMAGE).build();
        byte[] withPayload = Arrays.copyOf(blob, blob.length + 64);
        withPayload[blob.length] = (byte) 0xFE;

        AuthenticodeVerification verification = verify(withPayload);

        assertThat(only(verification).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(verification.pkcs7Length()).hasValue(blob.length);
    }

    @Test
    void reportsMalformedForEmptyGarbageAndTruncatedBlobs() {
        byte[] good = TestSignature.over(IMAGE).build();
        List<byte[]> hostile = List.of(
                new byte[0],
                "not DER at all".getBytes(StandardCharsets.US_ASCII),
                Arrays.copyOf(good, good.length / 2),
                new byte[] {0x30, (byte) 0x84, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00},
                new byte[] {0x30, 0x00});

        for (byte[] blob : hostile) {
            AuthenticodeVerification verification = verify(blob);
            SignatureInfo signature = only(verification);
            assertThat(signature.status()).isEqualTo(SignatureStatus.MALFORMED);
            assertThat(signature.problems()).singleElement().asString().isNotBlank();
        }
    }

    @Test
    void refusesRecursionBombWithoutStackOverflow() {
        byte[] bomb = new byte[200_000];
        for (int i = 0; i < bomb.length; i += 2) {
            bomb[i] = 0x30;
            bomb[i + 1] = (byte) 0x80;
        }

        SignatureInfo signature = only(verify(bomb));

        assertThat(signature.status()).isEqualTo(SignatureStatus.MALFORMED);
        assertThat(signature.problems()).singleElement().asString().contains("nesting deeper than 64");
    }

    @Test
    void refusesBlobsOver16MiB() {
        SignatureInfo signature = only(verify(new byte[AuthenticodeVerifier.MAX_BLOB_BYTES + 1]));

        assertThat(signature.status()).isEqualTo(SignatureStatus.MALFORMED);
        assertThat(signature.problems()).singleElement().asString().contains("16 MiB");
    }

    @Test
    void reportsMalformedWhenContentIsNotSignedData() throws Exception {
        byte[] data = new ContentInfo(PKCSObjectIdentifiers.data, new DEROctetString(new byte[4]))
                .getEncoded(ASN1Encoding.DER);

        SignatureInfo signature = only(verify(data));

        assertThat(signature.status()).isEqualTo(SignatureStatus.MALFORMED);
        assertThat(signature.problems()).singleElement().asString().contains("not PKCS#7 signedData");
    }

    @Test
    void reportsMalformedWhenSignedContentIsNotSpcIndirectData() throws Exception {
        SignedData good = signedData(TestSignature.over(IMAGE).build());
        SignedData other = new SignedData(
                good.getDigestAlgorithms(),
                new ContentInfo(PKCSObjectIdentifiers.data, new DEROctetString(new byte[4])),
                good.getCertificates(),
                good.getCRLs(),
                good.getSignerInfos());

        SignatureInfo signature = only(verify(encode(other)));

        assertThat(signature.status()).isEqualTo(SignatureStatus.MALFORMED);
        assertThat(signature.problems()).singleElement().asString().contains("not SpcIndirectDataContent");
    }

    @Test
    void reportsMalformedWhenSignerCertificateIsMissing() throws Exception {
        SignedData good = signedData(TestSignature.over(IMAGE).build());
        SignedData stripped = new SignedData(
                good.getDigestAlgorithms(), good.getEncapContentInfo(), null, good.getCRLs(), good.getSignerInfos());

        SignatureInfo signature = only(verify(encode(stripped)));

        assertThat(signature.status()).isEqualTo(SignatureStatus.MALFORMED);
        assertThat(signature.problems()).singleElement().asString().contains("not in the signature's certificate bag");
    }

    @Test
    void reportsMalformedWithTwoSignerInfos() throws Exception {
        SignedData good = signedData(TestSignature.over(IMAGE).build());
        SignedData other = signedData(TestSignature.over(IMAGE).digest("SHA-1").build());
        SignedData doubled = new SignedData(
                good.getDigestAlgorithms(),
                good.getEncapContentInfo(),
                good.getCertificates(),
                good.getCRLs(),
                new DERSet(new ASN1Encodable[] {
                    good.getSignerInfos().getObjectAt(0), other.getSignerInfos().getObjectAt(0)
                }));

        SignatureInfo signature = only(verify(encode(doubled)));

        assertThat(signature.status()).isEqualTo(SignatureStatus.MALFORMED);
        assertThat(signature.problems()).singleElement().asString().contains("exactly one SignerInfo; found 2");
    }

    @Test
    void refusesMoreThan256Certificates() throws Exception {
        SignedData good = signedData(TestSignature.over(IMAGE).build());
        ASN1EncodableVector many = new ASN1EncodableVector();
        for (int i = 0; i < 257; i++) {
            // Distinct entries: a DER SET would fold identical ones.
            many.add(new DERSequence(new ASN1Encodable[] {
                good.getCertificates().getObjectAt(0), new DEROctetString(new byte[] {(byte) i, (byte) (i >> 8)})
            }));
        }
        SignedData crowded = new SignedData(
                good.getDigestAlgorithms(), good.getEncapContentInfo(), new DERSet(many), null, good.getSignerInfos());

        SignatureInfo signature = only(verify(encode(crowded)));

        assertThat(signature.status()).isEqualTo(SignatureStatus.MALFORMED);
        assertThat(signature.problems()).singleElement().asString().contains("257 certificates");
    }

    private static SignedData signedData(byte[] contentInfo) {
        return SignedData.getInstance(ContentInfo.getInstance(contentInfo).getContent());
    }

    private static byte[] encode(SignedData signedData) throws Exception {
        return new ContentInfo(PKCSObjectIdentifiers.signedData, signedData).getEncoded(ASN1Encoding.DER);
    }
}
