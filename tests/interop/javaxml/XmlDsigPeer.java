// The JDK's own XML-DSig implementation (java.xml.crypto, JSR 105) as a test peer for libsign: it signs
// e-forms the way Java portal software does, and checks the signatures libsign writes.
//
//   java XmlDsigPeer sign --p12 F --password-file F [--alg rsa-sha256|rsa-sha512|ecdsa-sha256]
//        [--c14n exc|inc|inc-comments] [--ref whole|id] [--parent NAME/NAME…] IN.xml OUT.xml
//   java XmlDsigPeer verify IN.xml     -> one line per ds:Signature: "SIG n VALID|INVALID", exit 0 when all valid
//
// Only the cryptography is checked in verify (the key is the first certificate of KeyInfo); trust is libsign's job.
import java.io.*;
import java.nio.file.*;
import java.security.*;
import java.security.cert.X509Certificate;
import java.util.*;
import javax.xml.crypto.*;
import javax.xml.crypto.dsig.*;
import javax.xml.crypto.dsig.dom.*;
import javax.xml.crypto.dsig.keyinfo.*;
import javax.xml.crypto.dsig.spec.*;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.*;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.*;

public class XmlDsigPeer {
  static final String DSIG = XMLSignature.XMLNS;

  public static void main(String[] args) throws Exception {
    if (args.length < 2) usage();
    if (args[0].equals("sign")) sign(Arrays.copyOfRange(args, 1, args.length));
    else if (args[0].equals("verify")) System.exit(verify(args[1]));
    else usage();
  }

  static void usage() {
    System.err.println("usage: XmlDsigPeer sign|verify ...");
    System.exit(2);
  }

  static Document parse(String path) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new File(path));
  }

  static void sign(String[] a) throws Exception {
    Map<String, String> opt = new HashMap<>();
    List<String> files = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      if (a[i].startsWith("--")) opt.put(a[i], a[++i]);
      else files.add(a[i]);
    }
    if (files.size() != 2) usage();
    char[] password = new String(Files.readAllBytes(Paths.get(opt.get("--password-file"))), "UTF-8").trim().toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(opt.get("--p12"))) { ks.load(in, password); }
    String alias = ks.aliases().nextElement();
    PrivateKey key = (PrivateKey) ks.getKey(alias, password);
    X509Certificate cert = (X509Certificate) ks.getCertificate(alias);

    Document doc = parse(files.get(0));
    XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
    String alg = opt.getOrDefault("--alg", "rsa-sha256");
    String sigMethod = alg.equals("ecdsa-sha256") ? "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
        : alg.equals("rsa-sha512") ? SignatureMethod.RSA_SHA512 : SignatureMethod.RSA_SHA256;
    String digest = alg.equals("rsa-sha512") ? DigestMethod.SHA512 : DigestMethod.SHA256;
    String c14n = opt.getOrDefault("--c14n", "exc");
    String c14nUri = c14n.equals("inc") ? CanonicalizationMethod.INCLUSIVE
        : c14n.equals("inc-comments") ? CanonicalizationMethod.INCLUSIVE_WITH_COMMENTS : CanonicalizationMethod.EXCLUSIVE;

    String uri = "";
    if (opt.getOrDefault("--ref", "whole").equals("id")) {
      // The signed element is the root's first child element with an Id attribute (DLHDon in an e-invoice).
      Element target = null;
      for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling())
        if (n instanceof Element && ((Element) n).hasAttribute("Id")) { target = (Element) n; break; }
      if (target == null) throw new IllegalArgumentException("no element with an Id attribute under the root");
      target.setIdAttribute("Id", true);
      uri = "#" + target.getAttribute("Id");
    }
    List<Transform> transforms = new ArrayList<>();
    transforms.add(fac.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null));
    if (c14n.equals("exc")) transforms.add(fac.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null));
    Reference ref = fac.newReference(uri, fac.newDigestMethod(digest, null), transforms, null, null);
    SignedInfo si = fac.newSignedInfo(fac.newCanonicalizationMethod(c14nUri, (C14NMethodParameterSpec) null),
                                      fac.newSignatureMethod(sigMethod, null), Collections.singletonList(ref));
    KeyInfoFactory kif = fac.getKeyInfoFactory();
    KeyInfo ki = kif.newKeyInfo(Collections.singletonList(kif.newX509Data(Arrays.asList(cert.getSubjectX500Principal().getName(), cert))));

    // --parent DSCKS/NBan: the first DSCKS element, then its first NBan descendant.
    Element parent = doc.getDocumentElement();
    String parentPath = opt.get("--parent");
    if (parentPath != null) {
      for (String name : parentPath.split("/")) {
        NodeList found = parent.getElementsByTagName(name);
        if (found.getLength() == 0) throw new IllegalArgumentException("no element " + parentPath);
        parent = (Element) found.item(0);
      }
    }
    fac.newXMLSignature(si, ki).sign(new DOMSignContext(key, parent));

    Path out = Paths.get(files.get(1));
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "java-xmldsig", ".tmp");
    Transformer t = TransformerFactory.newInstance().newTransformer();
    try (OutputStream os = Files.newOutputStream(tmp)) { t.transform(new DOMSource(doc), new StreamResult(os)); }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  // Uses the first X509Certificate of KeyInfo/X509Data.
  static class FirstCertificate extends KeySelector {
    public KeySelectorResult select(KeyInfo ki, Purpose p, AlgorithmMethod m, XMLCryptoContext c) throws KeySelectorException {
      if (ki != null)
        for (Object item : ki.getContent())
          if (item instanceof X509Data)
            for (Object x : ((X509Data) item).getContent())
              if (x instanceof X509Certificate) {
                PublicKey k = ((X509Certificate) x).getPublicKey();
                return () -> k;
              }
      throw new KeySelectorException("no X509Certificate in KeyInfo");
    }
  }

  static int verify(String path) throws Exception {
    Document doc = parse(path);
    // Declare every Id attribute as an ID, as the e-invoice layout has no schema saying so.
    NodeList all = doc.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (e.hasAttribute("Id")) e.setIdAttribute("Id", true);
    }
    NodeList sigs = doc.getElementsByTagNameNS(DSIG, "Signature");
    if (sigs.getLength() == 0) { System.out.println("NO SIGNATURE"); return 1; }
    XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
    int status = 0;
    for (int i = 0; i < sigs.getLength(); i++) {
      DOMValidateContext ctx = new DOMValidateContext(new FirstCertificate(), sigs.item(i));
      boolean ok;
      try {
        ok = fac.unmarshalXMLSignature(ctx).validate(ctx);
      } catch (Exception e) {
        ok = false;
      }
      System.out.println("SIG " + (i + 1) + (ok ? " VALID" : " INVALID"));
      if (!ok) status = 1;
    }
    return status;
  }
}
