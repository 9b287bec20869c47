// A peer for libsign's tests: Bouncy Castle writes a detached CMS SignedData that carries revocation
// evidence in SignedData.crls, as other signing products do: CRLs with addCRL and OCSP responses in
// RFC 5940 form with addOtherRevocationInfo(id-ri-ocsp-response, OCSPResponse).
//
// java CmsRevocationWriter --p12 FILE --password-file FILE --signing-time 2026-06-20T03:00:00Z
//      [--crl FILE.der]... [--ocsp FILE.der]... CONTENT OUTPUT.p7s
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

public final class CmsRevocationWriter {
  public static void main(String[] args) throws Exception {
    String p12 = null, passwordFile = null, signingTime = null;
    List<String> crls = new ArrayList<>(), ocsps = new ArrayList<>(), files = new ArrayList<>();
    for (int i = 0; i < args.length; ++i) {
      switch (args[i]) {
        case "--p12": p12 = args[++i]; break;
        case "--password-file": passwordFile = args[++i]; break;
        case "--signing-time": signingTime = args[++i]; break;
        case "--crl": crls.add(args[++i]); break;
        case "--ocsp": ocsps.add(args[++i]); break;
        default: files.add(args[i]);
      }
    }
    if (p12 == null || passwordFile == null || signingTime == null || files.size() != 2) {
      System.err.println("usage: --p12 F --password-file F --signing-time T [--crl F]... [--ocsp F]... CONTENT OUTPUT");
      System.exit(2);
    }
    Security.addProvider(new BouncyCastleProvider());
    char[] password = new String(Files.readAllBytes(Paths.get(passwordFile)), StandardCharsets.UTF_8).trim().toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(p12)) {
      store.load(in, password);
    }
    String alias = null;
    for (Enumeration<String> e = store.aliases(); e.hasMoreElements();) {
      String a = e.nextElement();
      if (store.isKeyEntry(a)) alias = a;
    }
    PrivateKey key = (PrivateKey) store.getKey(alias, password);
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate c : store.getCertificateChain(alias)) chain.add((X509Certificate) c);

    // signingTime as a signed attribute (the generator adds contentType and messageDigest).
    Hashtable<org.bouncycastle.asn1.ASN1ObjectIdentifier, Attribute> attrs = new Hashtable<>();
    attrs.put(CMSAttributes.signingTime,
              new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(Instant.parse(signingTime))))));
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").setProvider("BC").build(key);
    CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
    generator.addSignerInfoGenerator(
        new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().setProvider("BC").build())
            .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)))
            .build(signer, chain.get(0)));
    generator.addCertificates(new JcaCertStore(chain));
    for (String crl : crls) generator.addCRL(new X509CRLHolder(Files.readAllBytes(Paths.get(crl))));
    for (String ocsp : ocsps)
      generator.addOtherRevocationInfo(CMSObjectIdentifiers.id_ri_ocsp_response,
                                       ASN1Primitive.fromByteArray(Files.readAllBytes(Paths.get(ocsp))));
    byte[] content = Files.readAllBytes(Paths.get(files.get(0)));
    CMSSignedData signed = generator.generate(new CMSProcessableByteArray(content), false);
    Files.write(Paths.get(files.get(1)), signed.getEncoded("DER"));
  }
}
