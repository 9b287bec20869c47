// iText 5 (Debian's libitext5-java, with Bouncy Castle) as a test peer for libsign: many Java signing
// plug-ins used with Vietnamese portals sign PDFs through this API (PdfStamper.createSignature +
// MakeSignature.signDetached), and check signatures through AcroFields.verifySignature.
//
//   java ItextPeer sign --p12 F --password-file F [--subfilter cms|cades] [--append] [--visible]
//        [--certify 1|2|3] [--field NAME] [--signing-time ISO8601Z] [--tsa URL] [--ocsp URL] [--crl URL] IN.pdf OUT.pdf
//   java ItextPeer verify IN.pdf   -> "SIG <field> VALID|INVALID whole|partial" per signature; exit 0 when all valid
//
// Verification here is the cryptography and the coverage only; trust is libsign's job.
import com.itextpdf.text.Rectangle;
import com.itextpdf.text.pdf.*;
import com.itextpdf.text.pdf.security.*;
import java.io.*;
import java.nio.file.*;
import java.security.*;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.*;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

public class ItextPeer {
  public static void main(String[] args) throws Exception {
    Security.addProvider(new BouncyCastleProvider());
    if (args.length >= 2 && args[0].equals("sign")) sign(Arrays.copyOfRange(args, 1, args.length));
    else if (args.length == 2 && args[0].equals("verify")) System.exit(verify(args[1]));
    else {
      System.err.println("usage: ItextPeer sign|verify ...");
      System.exit(2);
    }
  }

  static void sign(String[] a) throws Exception {
    Map<String, String> opt = new HashMap<>();
    Set<String> flags = new HashSet<>(Arrays.asList("--append", "--visible"));
    List<String> files = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      if (flags.contains(a[i])) opt.put(a[i], "yes");
      else if (a[i].startsWith("--")) opt.put(a[i], a[++i]);
      else files.add(a[i]);
    }
    char[] password = new String(Files.readAllBytes(Paths.get(opt.get("--password-file"))), "UTF-8").trim().toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(opt.get("--p12"))) { ks.load(in, password); }
    String alias = ks.aliases().nextElement();
    PrivateKey key = (PrivateKey) ks.getKey(alias, password);
    Certificate[] chain = ks.getCertificateChain(alias);

    Path out = Paths.get(files.get(1));
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "itext", ".tmp");
    PdfReader reader = new PdfReader(files.get(0));
    try (OutputStream os = Files.newOutputStream(tmp)) {
      PdfStamper stamper = PdfStamper.createSignature(reader, os, '\0', null, opt.containsKey("--append"));
      PdfSignatureAppearance appearance = stamper.getSignatureAppearance();
      appearance.setReason("Phê duyệt hồ sơ");
      appearance.setLocation("Bắc Ninh");
      String field = opt.getOrDefault("--field", "Signature1");
      if (opt.containsKey("--visible")) appearance.setVisibleSignature(new Rectangle(350, 60, 570, 140), 1, field);
      else appearance.setVisibleSignature(new Rectangle(0, 0, 0, 0), 1, field);
      if (opt.containsKey("--certify"))
        appearance.setCertificationLevel(Integer.parseInt(opt.get("--certify")));
      if (opt.containsKey("--signing-time")) {
        Calendar when = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        when.setTimeInMillis(Instant.parse(opt.get("--signing-time")).toEpochMilli());
        appearance.setSignDate(when);
      }
      TSAClient tsa = opt.containsKey("--tsa") ? new TSAClientBouncyCastle(opt.get("--tsa")) : null;
      // Revocation data in the adbe-revocationInfoArchival signed attribute, fetched from the given URLs.
      OcspClient ocsp = null;
      if (opt.containsKey("--ocsp")) {
        String url = opt.get("--ocsp");
        OcspClientBouncyCastle fetcher = new OcspClientBouncyCastle(null);
        ocsp = (checkCert, rootCert, ignored) -> fetcher.getEncoded(checkCert, rootCert, url);
      }
      List<CrlClient> crls = opt.containsKey("--crl") ? Collections.singletonList(new CrlClientOnline(opt.get("--crl"))) : null;
      MakeSignature.CryptoStandard standard =
          opt.getOrDefault("--subfilter", "cms").equals("cades") ? MakeSignature.CryptoStandard.CADES : MakeSignature.CryptoStandard.CMS;
      ExternalSignature signature = new PrivateKeySignature(key, DigestAlgorithms.SHA256, "BC");
      MakeSignature.signDetached(appearance, new BouncyCastleDigest(), signature, chain, crls, ocsp, tsa, 0, standard);
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static int verify(String path) throws Exception {
    PdfReader reader = new PdfReader(path);
    AcroFields fields = reader.getAcroFields();
    List<String> names = fields.getSignatureNames();
    if (names.isEmpty()) {
      System.out.println("NO SIGNATURE");
      return 1;
    }
    int status = 0;
    for (String name : names) {
      boolean ok;
      try {
        ok = fields.verifySignature(name, "BC").verify();
      } catch (Exception e) {
        ok = false;
      }
      System.out.println("SIG " + name + (ok ? " VALID " : " INVALID ") + (fields.signatureCoversWholeDocument(name) ? "whole" : "partial"));
      if (!ok) status = 1;
    }
    return status;
  }
}
