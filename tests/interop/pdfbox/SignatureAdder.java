// A test peer for libsign: adds one signature to a PDF the way PDFBox 2 applications do it
// (PDDocument.addSignature + saveIncremental, CMS by Bouncy Castle). It knows nothing about libsign.
//
//   java -cp <pdfbox2, fontbox2, commons-logging, bcprov, bcpkix, bcutil>:<classes> SignatureAdder
//        --p12 FILE.p12 --password-file FILE --signing-time 2026-06-20T03:00:00Z
//        [--name TEXT] [--reason TEXT] [--image SEAL.png] INPUT.pdf OUTPUT.pdf
//
// Without --image the signature is invisible (PDFBox's default: a widget with an empty /Rect that is only
// listed in /AcroForm /Fields). With --image it is visible on page 1, built by PDFBox's own template
// classes (PDVisibleSignDesigner + PDVisibleSigProperties, as in its CreateVisibleSignature example).
// adbe.pkcs7.detached with SHA-256, and its CMS carries the signingTime given (so tests can pin the
// validation time). The PKCS#12 password is read from the first line of --password-file, never argv.
// Exit status 0 on success, 1 on a signing error, 2 on usage.

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Date;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureInterface;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.visible.PDVisibleSigProperties;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.visible.PDVisibleSignDesigner;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

public final class SignatureAdder implements SignatureInterface {

    private final PrivateKey key;
    private final Certificate[] chain;
    private final Date signingTime;

    private SignatureAdder(PrivateKey key, Certificate[] chain, Date signingTime) {
        this.key = key;
        this.chain = chain;
        this.signingTime = signingTime;
    }

    @Override
    public byte[] sign(InputStream content) throws IOException {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            content.transferTo(buffer);
            ASN1EncodableVector attributes = new ASN1EncodableVector();
            attributes.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(signingTime))));
            JcaSignerInfoGeneratorBuilder infoBuilder =
                    new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build());
            infoBuilder.setSignedAttributeGenerator(
                    new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)));
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(infoBuilder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(key), (X509Certificate) chain[0]));
            List<Certificate> certificates = new ArrayList<>(List.of(chain));
            generator.addCertificates(new JcaCertStore(certificates));
            return generator.generate(new CMSProcessableByteArray(buffer.toByteArray()), false).getEncoded();
        } catch (Exception e) {
            throw new IOException("CMS signing failed: " + e, e);
        }
    }

    /** A visible signature on page 1 from PDFBox's template builder (kept open until the document is saved). */
    private static SignatureOptions visibleOn(PDDocument document, String image, PDSignature signature)
            throws IOException {
        PDVisibleSignDesigner designer;
        try (InputStream in = new FileInputStream(image)) {
            designer = new PDVisibleSignDesigner(document, in, 1);
        }
        designer.xAxis(300).yAxis(60).zoom(0).adjustForRotation();
        PDVisibleSigProperties properties = new PDVisibleSigProperties();
        properties.signerName(signature.getName()).signerLocation("Ha Noi").signatureReason(signature.getReason())
                .preferredSize(0).page(1).visualSignEnabled(true).setPdVisibleSignature(designer);
        properties.buildSignature();
        SignatureOptions visual = new SignatureOptions();
        visual.setVisualSignature(properties.getVisibleSignature());
        visual.setPage(0);
        return visual;
    }

    private static Map<String, String> parse(String[] args, List<String> positionals) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; ++i) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    return null;
                }
                options.put(args[i].substring(2), args[++i]);
            } else {
                positionals.add(args[i]);
            }
        }
        return options;
    }

    public static void main(String[] args) {
        List<String> files = new ArrayList<>();
        Map<String, String> options = parse(args, files);
        if (options == null || files.size() != 2 || !options.containsKey("p12")
                || !options.containsKey("password-file") || !options.containsKey("signing-time")) {
            System.err.println("usage: SignatureAdder --p12 FILE --password-file FILE --signing-time ISO-8601"
                    + " [--name TEXT] [--reason TEXT] [--image SEAL.png] INPUT.pdf OUTPUT.pdf");
            System.exit(2);
        }
        Security.addProvider(new BouncyCastleProvider());
        try {
            char[] password = Files.readAllLines(new File(options.get("password-file")).toPath(),
                    StandardCharsets.UTF_8).get(0).toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(options.get("p12"))) {
                store.load(in, password);
            }
            String alias = null;
            for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements();) {
                String candidate = aliases.nextElement();
                if (store.isKeyEntry(candidate)) {
                    alias = candidate;
                    break;
                }
            }
            if (alias == null) {
                throw new IOException("no key in the PKCS#12 file");
            }
            Date when = Date.from(Instant.parse(options.get("signing-time")));
            SignatureAdder signer = new SignatureAdder((PrivateKey) store.getKey(alias, password),
                    store.getCertificateChain(alias), when);

            try (PDDocument document = PDDocument.load(new File(files.get(0)));
                 OutputStream out = new FileOutputStream(files.get(1))) {
                PDSignature signature = new PDSignature();
                signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
                signature.setSubFilter(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED);
                signature.setName(options.getOrDefault("name", "PDFBox peer"));
                signature.setReason(options.getOrDefault("reason", "libsign interop test"));
                Calendar calendar = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
                calendar.setTime(when);
                signature.setSignDate(calendar);
                if (options.containsKey("image")) {
                    try (SignatureOptions visual = visibleOn(document, options.get("image"), signature)) {
                        document.addSignature(signature, signer, visual);
                        document.saveIncremental(out);
                    }
                } else {
                    document.addSignature(signature, signer);
                    document.saveIncremental(out);
                }
            }
        } catch (Exception e) {
            System.err.println("SignatureAdder: " + e);
            System.exit(1);
        }
    }
}
