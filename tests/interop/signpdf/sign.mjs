// Test peer for libsign: signs a PDF with @signpdf (placeholder-plain + signer-p12, node-forge's CMS).
//
//   node sign.mjs --p12 FILE.p12 --password-file FILE [--subfilter adbe|cades]
//                 [--signing-time ISO-8601] [--reason TEXT] [--name TEXT] [--location TEXT]
//                 [--signature-length N] [--fix-utf8-issuer] INPUT.pdf OUTPUT.pdf
//
// node-forge (as of 1.4.3) keeps the UTF8String values of a parsed certificate's names as raw UTF-8
// bytes and UTF-8-encodes them again when it writes the SignerInfo's issuerAndSerialNumber: for an
// issuer with non-ASCII characters (every gov-ca certificate) the SID names an issuer that does not
// exist and strict verifiers cannot find the signer's certificate (forge issue #847, PR #731;
// node-signpdf issue #111). By default this script signs as @signpdf does; --fix-utf8-issuer wraps
// forge.pki.distinguishedNameToAsn1 so that the issuer is written with the certificate's own bytes.
//
// The PKCS#12 password is read from --password-file (first line), never from the command line.
// The dependencies are installed outside the repository by run_signpdf.py, which runs a copy of
// this file next to their node_modules. Exit status 0 on success, 1 on a signing error, 2 on usage.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import forge from 'node-forge';
import { SUBFILTER_ADOBE_PKCS7_DETACHED, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';

const USAGE = 'usage: node sign.mjs --p12 FILE --password-file FILE [--subfilter adbe|cades] '
  + '[--signing-time ISO] [--reason T] [--name T] [--location T] [--signature-length N] [--fix-utf8-issuer] '
  + 'INPUT.pdf OUTPUT.pdf';

function fail(message, status) {
  process.stderr.write(`sign.mjs: ${message}\n`);
  process.exit(status);
}

function parse() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        p12: { type: 'string' },
        'password-file': { type: 'string' },
        subfilter: { type: 'string', default: 'adbe' },
        'signing-time': { type: 'string' },
        reason: { type: 'string', default: 'libsign interop test' },
        name: { type: 'string', default: '' },
        location: { type: 'string', default: 'Ha Noi' },
        'signature-length': { type: 'string', default: '16384' },
        'fix-utf8-issuer': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    fail(`${error.message}\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (!values.p12 || !values['password-file'] || positionals.length !== 2) {
    fail(USAGE, 2);
  }
  const subFilters = { adbe: SUBFILTER_ADOBE_PKCS7_DETACHED, cades: SUBFILTER_ETSI_CADES_DETACHED };
  if (!(values.subfilter in subFilters)) {
    fail(`--subfilter must be adbe or cades\n${USAGE}`, 2);
  }
  let signingTime;
  if (values['signing-time'] !== undefined) {
    signingTime = new Date(values['signing-time']);
    if (Number.isNaN(signingTime.getTime())) {
      fail(`bad --signing-time ${values['signing-time']}`, 2);
    }
  }
  const signatureLength = Number.parseInt(values['signature-length'], 10);
  if (!(signatureLength > 0)) {
    fail('bad --signature-length', 2);
  }
  return {
    p12: values.p12,
    passwordFile: values['password-file'],
    subFilter: subFilters[values.subfilter],
    signingTime,
    reason: values.reason,
    name: values.name,
    location: values.location,
    signatureLength,
    fixUtf8Issuer: values['fix-utf8-issuer'],
    input: positionals[0],
    output: positionals[1],
  };
}

// Makes forge write UTF8String name values once encoded: they arrive as the certificate's UTF-8
// bytes (a "binary" string), which the original function would encode a second time.
function fixUtf8Issuer() {
  const original = forge.pki.distinguishedNameToAsn1;
  forge.pki.distinguishedNameToAsn1 = (dn) => {
    const attributes = dn.attributes.map((attribute) => {
      if (attribute.valueTagClass !== forge.asn1.Type.UTF8 || typeof attribute.value !== 'string') {
        return attribute;
      }
      return { ...attribute, value: forge.util.decodeUtf8(attribute.value) };
    });
    return original({ ...dn, attributes });
  };
}

async function main() {
  const options = parse();
  if (options.fixUtf8Issuer) {
    fixUtf8Issuer();
  }
  const passphrase = readFileSync(options.passwordFile, 'utf8').split(/\r?\n/)[0];
  const signer = new P12Signer(readFileSync(options.p12), { passphrase });
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: readFileSync(options.input),
    reason: options.reason,
    contactInfo: '',
    name: options.name,
    location: options.location,
    signingTime: options.signingTime,
    signatureLength: options.signatureLength,
    subFilter: options.subFilter,
    appName: 'libsign-interop-signpdf', // written as a PDF name: no spaces or delimiters
  });
  const signed = await new SignPdf().sign(withPlaceholder, signer, options.signingTime);
  writeFileSync(options.output, signed);
}

main().catch((error) => fail(error && error.stack ? error.stack : String(error), 1));
