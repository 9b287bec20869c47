// An independent check of the signatures of a PDF, with Apache PDFBox 2 (parsing) and Bouncy Castle
// (CMS). Used by the libsign tests as a second opinion; it knows nothing about libsign.
//
//   java -cp <pdfbox2, fontbox2, commons-logging, bcprov, bcpkix, bcutil>:<classes> SignatureChecker
//        [--allow-later-updates] FILE.pdf
//
// For every signature field with a value, in file order, it prints one line
//   SIG <n> <field> OK
//   SIG <n> <field> FAIL <reason>
// and exits 0 only when there is at least one signature and all are OK (1 otherwise, 2 when the
// file cannot be read). A field name's white space is printed as '_'.
//
// Checks: /ByteRange is [0 a b c] with 0 < a < b, the gap a..b is exactly the hex string that is the
// dictionary's /Contents, b+c is the end of the revision that holds the signature (the first %%EOF
// after b, with or without its end-of-line) and, for the last signature, the length of the file
// (unless --allow-later-updates). The CMS (adbe.pkcs7.detached, ETSI.CAdES.detached) must have one
// SignerInfo that verifies with its certificate from the CMS over the bytes of the ranges
// (SignerInformation.verify: the messageDigest attribute and the signature value). A document
// timestamp (ETSI.RFC3161) must be a TimeStampToken that validates with its certificate and whose
// message imprint is the digest of the ranges. Trust in certificates is not judged.

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Store;

public final class SignatureChecker {

    /** A reason for FAIL. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String reason) {
            super(reason);
        }
    }

    private static final class Entry {
        final String field;
        final PDSignature signature;
        final int[] range;

        Entry(String field, PDSignature signature) {
            this.field = field;
            this.signature = signature;
            this.range = signature.getByteRange();
        }

        long end() {
            return range != null && range.length == 4 ? (long) range[2] + range[3] : -1;
        }

        long gapStart() {
            return range != null && range.length == 4 ? range[1] : -1;
        }
    }

    private SignatureChecker() {
    }

    public static void main(String[] args) {
        boolean allowLaterUpdates = false;
        String path = null;
        for (String arg : args) {
            if (arg.equals("--allow-later-updates")) {
                allowLaterUpdates = true;
            } else if (path == null && !arg.startsWith("--")) {
                path = arg;
            } else {
                usage();
            }
        }
        if (path == null) {
            usage();
        }
        Security.addProvider(new BouncyCastleProvider());
        System.exit(check(new File(path), allowLaterUpdates));
    }

    private static void usage() {
        System.err.println("usage: SignatureChecker [--allow-later-updates] FILE.pdf");
        System.exit(2);
    }

    private static int check(File file, boolean allowLaterUpdates) {
        byte[] pdf;
        List<Entry> entries = new ArrayList<>();
        try {
            pdf = Files.readAllBytes(file.toPath());
        } catch (IOException e) {
            System.out.println("ERROR cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        try (PDDocument document = PDDocument.load(file)) {
            for (PDSignatureField field : document.getSignatureFields()) {
                PDSignature signature = field.getSignature();
                if (signature != null) {
                    entries.add(new Entry(field.getFullyQualifiedName(), signature));
                }
            }
            if (entries.isEmpty()) {
                System.out.println("NONE no signatures");
                return 1;
            }
            // File order: by where the /Contents gap starts.
            entries.sort((x, y) -> Long.compare(x.gapStart(), y.gapStart()));
            long lastEnd = entries.stream().mapToLong(Entry::end).max().getAsLong();
            boolean allOk = true;
            int n = 0;
            for (Entry entry : entries) {
                n++;
                String field = entry.field == null ? "(unnamed)" : entry.field.replaceAll("\\s", "_");
                try {
                    checkOne(pdf, entry, entry.end() == lastEnd && !allowLaterUpdates);
                    System.out.println("SIG " + n + " " + field + " OK");
                } catch (Failure f) {
                    allOk = false;
                    System.out.println("SIG " + n + " " + field + " FAIL " + f.getMessage());
                } catch (Exception e) {
                    allOk = false;
                    System.out.println("SIG " + n + " " + field + " FAIL " + e.getClass().getSimpleName() + ": "
                            + String.valueOf(e.getMessage()).replace('\n', ' '));
                }
            }
            return allOk ? 0 : 1;
        } catch (IOException e) {
            System.out.println("ERROR cannot parse " + file + ": " + e.getMessage());
            return 2;
        }
    }

    private static void checkOne(byte[] pdf, Entry entry, boolean mustCoverFile) throws Exception {
        int[] r = entry.range;
        if (r == null || r.length != 4) {
            throw new Failure("/ByteRange is missing or does not have 4 numbers");
        }
        long a = r[1];
        long b = r[2];
        long c = r[3];
        if (r[0] != 0) {
            throw new Failure("/ByteRange does not start at 0");
        }
        if (a <= 0 || b <= a || c < 0 || b + c > pdf.length) {
            throw new Failure("/ByteRange " + Arrays.toString(r) + " is out of order or beyond the file (length "
                    + pdf.length + ")");
        }
        if (pdf[(int) a] != '<' || pdf[(int) b - 1] != '>') {
            throw new Failure("the /ByteRange gap is not a hex string");
        }
        byte[] gap = decodeHex(pdf, (int) a + 1, (int) b - 1);
        byte[] contents = entry.signature.getContents();
        if (contents == null || !Arrays.equals(gap, contents)) {
            throw new Failure("the /ByteRange gap is not the /Contents of the signature dictionary");
        }
        long revisionEnd = revisionEnd(pdf, (int) b, (int) (b + c));
        if (revisionEnd < 0) {
            throw new Failure("b+c=" + (b + c) + " is not the end of the revision (no %%EOF there)");
        }
        if (mustCoverFile && b + c != pdf.length) {
            throw new Failure("the last signature does not cover the whole file (b+c=" + (b + c) + ", length "
                    + pdf.length + ")");
        }

        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.write(pdf, 0, (int) a);
        signed.write(pdf, (int) b, (int) c);
        byte[] content = signed.toByteArray();
        byte[] der = trimDer(contents);

        String subFilter = entry.signature.getSubFilter();
        if ("ETSI.RFC3161".equals(subFilter)) {
            checkTimestamp(der, content);
        } else if ("adbe.pkcs7.detached".equals(subFilter) || "ETSI.CAdES.detached".equals(subFilter)) {
            checkCms(der, content);
        } else {
            throw new Failure("unsupported /SubFilter " + subFilter);
        }
    }

    /** Verifies a detached CMS SignedData with exactly one SignerInfo over content. */
    private static void checkCms(byte[] der, byte[] content) throws Exception {
        CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(content), der);
        Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new Failure("the CMS has " + signers.size() + " SignerInfos, expected 1");
        }
        SignerInformation signer = signers.iterator().next();
        if (!signer.verify(verifierFor(cms.getCertificates(), signer))) {
            throw new Failure("the CMS signature does not verify");
        }
    }

    /** A document timestamp: the token validates and its imprint is the digest of content. */
    private static void checkTimestamp(byte[] der, byte[] content) throws Exception {
        CMSSignedData cms = new CMSSignedData(der);
        TimeStampToken token = new TimeStampToken(cms);
        token.validate(verifierFor(cms.getCertificates(), token.toCMSSignedData().getSignerInfos()
                .getSigners().iterator().next()));
        AlgorithmIdentifier algorithm = token.getTimeStampInfo().getHashAlgorithm();
        DigestCalculator calculator = new JcaDigestCalculatorProviderBuilder().setProvider("BC").build()
                .get(algorithm);
        try (OutputStream out = calculator.getOutputStream()) {
            out.write(content);
        }
        if (!Arrays.equals(calculator.getDigest(), token.getTimeStampInfo().getMessageImprintDigest())) {
            throw new Failure("the timestamp's message imprint is not the digest of the byte ranges");
        }
    }

    private static SignerInformationVerifier verifierFor(Store<X509CertificateHolder> certificates,
            SignerInformation signer) throws Exception {
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = certificates.getMatches(signer.getSID());
        if (matches.isEmpty()) {
            throw new Failure("the signer's certificate is not in the CMS");
        }
        return new JcaSimpleSignerInfoVerifierBuilder().setProvider("BC").build(matches.iterator().next());
    }

    /**
     * The end of the revision that holds the signature, if it is `end`: the first %%EOF at or after
     * `from`, optionally followed by CR, LF or CR LF. Returns -1 when `end` is not such an end.
     */
    private static long revisionEnd(byte[] pdf, int from, int end) {
        byte[] marker = "%%EOF".getBytes();
        for (int i = from; i + marker.length <= pdf.length; i++) {
            if (!matches(pdf, i, marker)) {
                continue;
            }
            int close = i + marker.length;
            int withEol = close;
            if (withEol < pdf.length && pdf[withEol] == '\r') {
                withEol++;
            }
            if (withEol < pdf.length && pdf[withEol] == '\n') {
                withEol++;
            }
            return end == close || end == withEol ? end : -1;
        }
        return -1;
    }

    private static boolean matches(byte[] data, int at, byte[] what) {
        for (int k = 0; k < what.length; k++) {
            if (data[at + k] != what[k]) {
                return false;
            }
        }
        return true;
    }

    /** Decodes the hex digits of data[from, to), skipping white space (PDF hex string rules). */
    private static byte[] decodeHex(byte[] data, int from, int to) throws Failure {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int high = -1;
        for (int i = from; i < to; i++) {
            int ch = data[i] & 0xff;
            if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\f' || ch == 0) {
                continue;
            }
            int v = Character.digit(ch, 16);
            if (v < 0) {
                throw new Failure("the /Contents hex string has a non-hex character");
            }
            if (high < 0) {
                high = v;
            } else {
                out.write(high << 4 | v);
                high = -1;
            }
        }
        if (high >= 0) {
            out.write(high << 4);
        }
        return out.toByteArray();
    }

    /** The DER object at the start of data, without the zero padding after it. */
    private static byte[] trimDer(byte[] data) throws Failure {
        if (data.length < 2 || data[0] != 0x30) {
            throw new Failure("/Contents is not a DER SEQUENCE");
        }
        int first = data[1] & 0xff;
        long length;
        int header;
        if (first < 0x80) {
            length = first;
            header = 2;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 4 || data.length < 2 + count) {
                throw new Failure("/Contents has a bad DER length");
            }
            length = 0;
            for (int k = 0; k < count; k++) {
                length = length << 8 | (data[2 + k] & 0xff);
            }
            header = 2 + count;
        }
        if (header + length > data.length) {
            throw new Failure("/Contents is shorter than its DER length");
        }
        return Arrays.copyOf(data, (int) (header + length));
    }
}
