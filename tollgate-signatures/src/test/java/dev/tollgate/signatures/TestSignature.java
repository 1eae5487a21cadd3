package dev.tollgate.signatures;

import dev.tollgate.signatures.TestPki.Identity;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * Builds Authenticode signature blobs in test code, the way signtool and osslsigncode lay them out: a PKCS#7 SignedData
 * encapsulating an SpcIndirectDataContent, one SignerInfo, optional timestamps, nested signatures and extra unsigned
 * attributes. Each knob that a tamper test needs rewrites exactly one field.
 */
final class TestSignature {

    static final ASN1ObjectIdentifier SPC_PE_IMAGE_DATA = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.15");
    static final ASN1ObjectIdentifier SPC_SP_OPUS_INFO = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.12");

    private static final Map<String, ASN1ObjectIdentifier> DIGEST_OIDS = Map.of(
            "MD5", PKCSObjectIdentifiers.md5,
            "SHA-1", OIWObjectIdentifiers.idSHA1,
            "SHA-256", NISTObjectIdentifiers.id_sha256,
            "SHA-384", NISTObjectIdentifiers.id_sha384,
            "SHA-512", NISTObjectIdentifiers.id_sha512);

    enum Timestamp {
        NONE,
        RFC3161,
        LEGACY
    }

    /** The image digest in a named algorithm, as the signer computes it. */
    interface Digests {
        byte[] digest(String algorithm) throws Exception;
    }

    private final Digests digests;
    private Identity signer = TestPki.SIGNER;
    private List<X509Certificate> bag = new ArrayList<>(
            List.of(TestPki.SIGNER.certificate(), TestPki.INTERMEDIATE.certificate(), TestPki.ROOT.certificate()));
    private String digestAlgorithm = "SHA-256";
    private Timestamp timestamp = Timestamp.NONE;
    private Instant timestampTime = Instant.parse("2026-01-15T12:00:00Z");
    private Identity timestampAuthority = TestPki.TSA;
    private boolean timestampOverOtherBytes;
    private boolean rewriteSpcAfterSigning;
    private boolean corruptSignature;
    private final List<byte[]> nested = new ArrayList<>();
    private final List<Attribute> extraUnsigned = new ArrayList<>();

    private TestSignature(Digests digests) {
        this.digests = digests;
    }

    /** A signature over {@code image}, whose "Authenticode digest" in these tests is the plain digest of the bytes. */
    static TestSignature over(byte[] image) {
        byte[] copy = image.clone();
        return new TestSignature(
                algorithm -> MessageDigest.getInstance(algorithm).digest(copy));
    }

    /** A signature whose image digest {@code digests} computes (for a PE: its Authenticode digest). */
    static TestSignature overDigests(Digests digests) {
        return new TestSignature(digests);
    }

    TestSignature signer(Identity identity) {
        this.signer = identity;
        this.bag = new ArrayList<>(List.of(identity.certificate(), TestPki.INTERMEDIATE.certificate()));
        return this;
    }

    TestSignature bag(X509Certificate... certificates) {
        this.bag = new ArrayList<>(List.of(certificates));
        return this;
    }

    TestSignature addToBag(X509Certificate certificate) {
        this.bag.add(certificate);
        return this;
    }

    TestSignature digest(String algorithm) {
        this.digestAlgorithm = algorithm;
        return this;
    }

    TestSignature timestamp(Timestamp kind, Instant time) {
        this.timestamp = kind;
        this.timestampTime = time;
        return this;
    }

    TestSignature timestampAuthority(Identity authority) {
        this.timestampAuthority = authority;
        return this;
    }

    /** The timestamp covers other bytes than this signature's encryptedDigest (a transplanted timestamp). */
    TestSignature timestampOverOtherBytes() {
        this.timestampOverOtherBytes = true;
        return this;
    }

    /** After signing, replaces the SpcIndirectDataContent's data field: the messageDigest attribute no longer matches. */
    TestSignature rewriteSpcAfterSigning() {
        this.rewriteSpcAfterSigning = true;
        return this;
    }

    /** Flips one bit of the signer's signature value. */
    TestSignature corruptSignature() {
        this.corruptSignature = true;
        return this;
    }

    /** Adds a nested signature (a whole ContentInfo, as {@link #build()} returns) in attribute 1.3.6.1.4.1.311.2.4.1. */
    TestSignature nest(byte[] contentInfo) {
        this.nested.add(contentInfo.clone());
        return this;
    }

    TestSignature unsignedAttribute(String oid, ASN1Encodable value) {
        this.extraUnsigned.add(new Attribute(new ASN1ObjectIdentifier(oid), new DERSet(value)));
        return this;
    }

    /** The DER of the ContentInfo, as it would sit in a WIN_CERTIFICATE's bCertificate. */
    byte[] build() {
        try {
            byte[] imageDigest = digests.digest(digestAlgorithm);
            ASN1Encodable data = new DERSequence(
                    new ASN1Encodable[] {SPC_PE_IMAGE_DATA, new DERSequence(new DERBitString(new byte[0]))});
            DigestInfo digestInfo = new DigestInfo(
                    new AlgorithmIdentifier(DIGEST_OIDS.get(digestAlgorithm), DERNull.INSTANCE), imageDigest);
            DERSequence indirect = new DERSequence(new ASN1Encodable[] {data, digestInfo});

            byte[] contents = AuthenticodeVerifier.contentsOctets(indirect);
            ASN1EncodableVector signed = new ASN1EncodableVector();
            signed.add(new Attribute(SPC_SP_OPUS_INFO, new DERSet(new DERSequence())));
            signed.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(TestPki.NOW)))));
            // The signer digests its attributes with the image's algorithm, except MD5, which no ECDSA variant takes.
            String jcaSignature = TestPki.signatureAlgorithm(
                    digestAlgorithm.equals("MD5") ? "SHA-256" : digestAlgorithm, signer.privateKey());
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                            new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(signed)))
                    .build(new JcaContentSignerBuilder(jcaSignature).build(signer.privateKey()), signer.certificate()));
            List<X509Certificate> certificates = new ArrayList<>(bag);
            if (timestamp == Timestamp.LEGACY && !certificates.contains(timestampAuthority.certificate())) {
                certificates.add(timestampAuthority.certificate());
            }
            generator.addCertificates(new JcaCertStore(certificates));
            CMSSignedData detached = generator.generate(
                    new CMSProcessableByteArray(AuthenticodeVerifier.SPC_INDIRECT_DATA, contents), false);
            SignerInformation signerInformation =
                    detached.getSignerInfos().getSigners().iterator().next();
            SignerInfo info = signerInformation.toASN1Structure();

            byte[] signature = info.getEncryptedDigest().getOctets().clone();
            ASN1EncodableVector unsigned = new ASN1EncodableVector();
            byte[] covered = timestampOverOtherBytes ? "some other signature".getBytes() : signature;
            switch (timestamp) {
                case RFC3161 ->
                    unsigned.add(new Attribute(
                            AuthenticodeVerifier.SPC_RFC3161_TIMESTAMP,
                            new DERSet(rfc3161(covered).toCMSSignedData().toASN1Structure())));
                case LEGACY ->
                    unsigned.add(new Attribute(
                            CMSAttributes.counterSignature, new DERSet(countersignature(signerInformation))));
                case NONE -> {}
            }
            for (byte[] inner : nested) {
                unsigned.add(new Attribute(
                        AuthenticodeVerifier.SPC_NESTED_SIGNATURE, new DERSet(ContentInfo.getInstance(inner))));
            }
            extraUnsigned.forEach(unsigned::add);
            if (corruptSignature) {
                signature[signature.length / 2] ^= 0x01;
            }
            SignerInfo rebuilt = new SignerInfo(
                    info.getSID(),
                    info.getDigestAlgorithm(),
                    info.getAuthenticatedAttributes(),
                    info.getDigestEncryptionAlgorithm(),
                    new DEROctetString(signature),
                    unsigned.size() == 0 ? null : new DERSet(unsigned));

            DERSequence content = indirect;
            if (rewriteSpcAfterSigning) {
                ASN1Encodable otherData = new DERSequence(
                        new ASN1Encodable[] {SPC_PE_IMAGE_DATA, new DERSequence(new DERUTF8String("rewritten"))});
                content = new DERSequence(new ASN1Encodable[] {otherData, digestInfo});
            }
            SignedData template =
                    SignedData.getInstance(detached.toASN1Structure().getContent());
            SignedData signedData = new SignedData(
                    template.getDigestAlgorithms(),
                    new ContentInfo(AuthenticodeVerifier.SPC_INDIRECT_DATA, content),
                    template.getCertificates(),
                    template.getCRLs(),
                    new DERSet(rebuilt));
            byte[] result = new ContentInfo(PKCSObjectIdentifiers.signedData, signedData).getEncoded(ASN1Encoding.DER);
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build test signature", e);
        }
    }

    private TimeStampToken rfc3161(byte[] covered) throws Exception {
        var digestProvider = new JcaDigestCalculatorProviderBuilder().build();
        var tsaSigner = new JcaSignerInfoGeneratorBuilder(digestProvider)
                .build(
                        new JcaContentSignerBuilder(
                                        TestPki.signatureAlgorithm("SHA-256", timestampAuthority.privateKey()))
                                .build(timestampAuthority.privateKey()),
                        timestampAuthority.certificate());
        var generator = new TimeStampTokenGenerator(
                tsaSigner,
                digestProvider.get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)),
                new ASN1ObjectIdentifier("1.2.3.4.1"));
        generator.addCertificates(new JcaCertStore(List.of(timestampAuthority.certificate())));
        var requests = new TimeStampRequestGenerator();
        // signtool and osslsigncode ask for the TSA certificate in the token.
        requests.setCertReq(true);
        var request = requests.generate(
                NISTObjectIdentifiers.id_sha256,
                MessageDigest.getInstance("SHA-256").digest(covered));
        return generator.generate(request, BigInteger.valueOf(42), Date.from(timestampTime));
    }

    private SignerInfo countersignature(SignerInformation signerInformation) throws Exception {
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(timestampTime)))));
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                        new JcaDigestCalculatorProviderBuilder().build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build(
                        new JcaContentSignerBuilder(
                                        TestPki.signatureAlgorithm("SHA-256", timestampAuthority.privateKey()))
                                .build(timestampAuthority.privateKey()),
                        timestampAuthority.certificate()));
        SignerInformation countersigned = signerInformation;
        if (timestampOverOtherBytes) {
            // A countersignature transplanted from another signature: it covers that signature's value.
            CMSSignedDataGenerator other = new CMSSignedDataGenerator();
            other.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                            new JcaDigestCalculatorProviderBuilder().build())
                    .build(
                            new JcaContentSignerBuilder(TestPki.signatureAlgorithm("SHA-256", signer.privateKey()))
                                    .build(signer.privateKey()),
                            signer.certificate()));
            countersigned = other.generate(new CMSProcessableByteArray("other file".getBytes()), false)
                    .getSignerInfos()
                    .getSigners()
                    .iterator()
                    .next();
        }
        return generator
                .generateCounterSigners(countersigned)
                .getSigners()
                .iterator()
                .next()
                .toASN1Structure();
    }
}
