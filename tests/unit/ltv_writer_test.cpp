// The PAdES B-LT / B-LTA building blocks: the DSS writer and document timestamps, checked by reading
// the results back with our parser and DSS reader, and by the Verifier (modification level, revocation
// source, the document timestamp's own verdict).
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>

#include "core/encoding.hpp"
#include "libsign/sign.hpp"
#include "libsign/verify.hpp"
#include "pdf/document.hpp"
#include "pdf/signatures.hpp"
#include "pdf/writer.hpp"
#include "pki/certificate.hpp"
#include "pki/openssl_ptr.hpp"
#include "sign/document_timestamp.hpp"
#include "sign/dss_writer.hpp"
#include "pdf_builder.hpp"
#include "test_pki.hpp"
#include "test_support.hpp"
#include "validate/dss.hpp"

namespace libsign {
namespace {

using pdf::ObjPtr;

using test::pki_file;

long long unix_at(const char* iso) { return core::to_unix(parse_time(iso)); }

std::string der_of_pem_cert(const std::string& name) {
  auto certs = pki::parse_certificates(test::read_file(pki_file(name)));
  if (certs.empty()) return {};
  unsigned char* der = nullptr;
  int len = i2d_X509(certs.front().get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len > 0 ? len : 0));
  OPENSSL_free(der);
  return out;
}

std::string sha1_hex_upper(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha1(), nullptr);
  std::string hex = core::to_hex(std::string_view(reinterpret_cast<char*>(md), len));
  for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return hex;
}

VerifyOptions gov_options() {
  return test::test_gov_options();
}

// unsigned.pdf signed by the official's key (B-B); empty when the fixture is missing.
std::string signed_fixture() {
  const std::string path = test::fixture_path("unsigned.pdf");
  if (!test::file_exists(path)) return {};
  auto signer = load_pkcs12_signer(pki_file("gov-official.p12"), Secret::from_file(pki_file("p12-password.txt")));
  SignOptions options;
  options.signing_time = parse_time("2026-06-15T02:00:00Z");
  return sign_pdf(test::read_file(path), *signer, options);
}

#define SIGNED_OR_SKIP(var)                                                  \
  const std::string var = signed_fixture();                                  \
  if (var.empty()) GTEST_SKIP() << "fixture unsigned.pdf missing (run ctest once)"

std::string first_contents(const std::string& pdf_bytes) {
  pdf::Document doc = pdf::Document::open(pdf_bytes);
  auto sigs = pdf::find_signatures(doc);
  return sigs.empty() ? std::string() : sigs.front().contents;
}

sign::ValidationData gov_data() {
  sign::ValidationData data;
  data.certificates = {der_of_pem_cert("gov-ca.pem"), der_of_pem_cert("gov-root.pem")};
  data.crls = {test::read_file(pki_file("gov-ca.crl.der"))};
  return data;
}

ObjPtr dss_of(const pdf::Document& doc) {
  size_t last = doc.last_revision();
  return doc.get(doc.catalog(last), "DSS", last);
}

size_t array_size(const pdf::Document& doc, const ObjPtr& dict, const char* key) {
  ObjPtr a = doc.get(dict, key, doc.last_revision());
  return a && a->is_array() ? a->items().size() : 0;
}

const SignatureReport* find_kind(const DocumentReport& report, const std::string& kind) {
  for (const auto& s : report.signatures)
    if (s.kind == kind) return &s;
  return nullptr;
}

// The signature of `pdf_bytes` (not the document timestamps) passes, changed only by LTV updates,
// with revocation from the DSS.
void expect_ltv_signature(const std::string& pdf_bytes) {
  Verifier verifier(gov_options());
  DocumentReport report = verifier.verify_pdf(pdf_bytes);
  const SignatureReport* sig = find_kind(report, "approval");
  ASSERT_NE(sig, nullptr);
  EXPECT_EQ(sig->indication, Indication::total_passed) << report.to_text();
  EXPECT_EQ(sig->modification_level, ModificationLevel::ltv_updates) << report.to_text();
  EXPECT_EQ(sig->revocation.source, "dss");
  EXPECT_EQ(sig->revocation.status, "good");
}

// ---- an RFC 3161 token made in-process with OpenSSL's TS responder ----

long fixed_time_sec = 0;
int fixed_time(TS_RESP_CTX*, void*, long* sec, long* usec) {
  *sec = fixed_time_sec;
  *usec = 0;
  return 1;
}

pki::X509Ptr load_cert(const std::string& name) {
  BIO* bio = BIO_new_file(pki_file(name).c_str(), "r");
  X509* x = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  return pki::X509Ptr(x);
}

// A token over `digest` (SHA-256) by the test TSA; `extra_certs` adds that many more certificates to the
// token (to make it larger than the reserved room).
std::string make_token(const std::string& digest, int extra_certs = 0) {
  BIO* key_bio = BIO_new_file(pki_file("gov-tsa.key.pem").c_str(), "r");
  pki::OsslPtr<EVP_PKEY, EVP_PKEY_free> key(PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr));
  BIO_free(key_bio);
  pki::X509Ptr tsa = load_cert("gov-tsa.pem");
  if (!key || !tsa) return {};

  pki::OsslPtr<TS_RESP_CTX, TS_RESP_CTX_free> ctx(TS_RESP_CTX_new());
  TS_RESP_CTX_set_signer_cert(ctx.get(), tsa.get());
  TS_RESP_CTX_set_signer_key(ctx.get(), key.get());
  TS_RESP_CTX_set_signer_digest(ctx.get(), EVP_sha256());
  TS_RESP_CTX_set_ess_cert_id_digest(ctx.get(), EVP_sha256());
  TS_RESP_CTX_add_md(ctx.get(), EVP_sha256());
  pki::OsslPtr<ASN1_OBJECT, ASN1_OBJECT_free> policy(OBJ_txt2obj("1.3.6.1.4.1.99999.1", 1));
  TS_RESP_CTX_set_def_policy(ctx.get(), policy.get());
  fixed_time_sec = static_cast<long>(unix_at("2026-06-20T03:00:00Z"));
  TS_RESP_CTX_set_time_cb(ctx.get(), fixed_time, nullptr);
  STACK_OF(X509)* chain = sk_X509_new_null();
  for (const char* name : {"gov-ca.pem", "gov-root.pem"}) sk_X509_push(chain, load_cert(name).release());
  const char* fillers[] = {"gov-official.pem", "gov-org.pem", "gov-ecdsa.pem", "gov-ocsp.pem", "gov-badku.pem",
                           "gov-expired.pem", "gov-notyet.pem", "gov-revoked.pem", "gov-sha1.pem", "other-root.pem",
                           "other-leaf.pem", "public-ca.pem", "public-ocsp.pem", "national-root.pem"};
  for (int i = 0; i < extra_certs; ++i) sk_X509_push(chain, load_cert(fillers[i % 14]).release());
  TS_RESP_CTX_set_certs(ctx.get(), chain);  // copies
  sk_X509_pop_free(chain, X509_free);

  // The query, as a client would send it.
  pki::OsslPtr<TS_REQ, TS_REQ_free> req(TS_REQ_new());
  TS_REQ_set_version(req.get(), 1);
  pki::OsslPtr<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free> imprint(TS_MSG_IMPRINT_new());
  pki::OsslPtr<X509_ALGOR, X509_ALGOR_free> alg(X509_ALGOR_new());
  X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  TS_MSG_IMPRINT_set_algo(imprint.get(), alg.get());
  TS_MSG_IMPRINT_set_msg(imprint.get(), reinterpret_cast<unsigned char*>(const_cast<char*>(digest.data())),
                         static_cast<int>(digest.size()));
  TS_REQ_set_msg_imprint(req.get(), imprint.get());
  TS_REQ_set_cert_req(req.get(), 1);
  BIO* query = BIO_new(BIO_s_mem());
  i2d_TS_REQ_bio(query, req.get());
  pki::OsslPtr<TS_RESP, TS_RESP_free> resp(TS_RESP_create_response(ctx.get(), query));
  BIO_free(query);
  if (!resp) return {};
  if (ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp.get()))) != 0) return {};
  unsigned char* der = nullptr;
  int len = i2d_PKCS7(TS_RESP_get_token(resp.get()), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len > 0 ? len : 0));
  OPENSSL_free(der);
  return out;
}

}  // namespace

// ---------------------------------------------------------------- DSS

TEST(LtvVriKey, HashesTheContentInfoDerWithoutPadding) {
  SIGNED_OR_SKIP(signed_pdf);
  const std::string contents = first_contents(signed_pdf);
  ASSERT_FALSE(contents.empty());
  ASSERT_EQ(contents.back(), '\0');  // /Contents is zero-padded
  // The DER length from the outer header (a long-form length of 2 bytes here).
  ASSERT_EQ(static_cast<unsigned char>(contents[0]), 0x30);
  ASSERT_EQ(static_cast<unsigned char>(contents[1]), 0x82);
  size_t der_len = 4 + ((static_cast<unsigned char>(contents[2]) << 8) | static_cast<unsigned char>(contents[3]));
  const std::string der = contents.substr(0, der_len);
  EXPECT_EQ(sign::vri_key(contents), sha1_hex_upper(der));
  EXPECT_EQ(sign::vri_key(der), sha1_hex_upper(der));
  EXPECT_EQ(sign::vri_key(contents).size(), 40u);
  // Not a definite-length TLV: the bytes are hashed as they are.
  EXPECT_EQ(sign::vri_key(std::string("\x30\x80\x01\x02\x00\x00", 6)), sha1_hex_upper(std::string("\x30\x80\x01\x02\x00\x00", 6)));
  EXPECT_EQ(sign::vri_key("x"), sha1_hex_upper("x"));
}

TEST(LtvDss, AddsStreamsAndVriAndTheSignatureStillPasses) {
  SIGNED_OR_SKIP(signed_pdf);
  const std::string contents = first_contents(signed_pdf);
  const sign::ValidationData data = gov_data();
  ASSERT_FALSE(data.certificates[0].empty());
  const long long now = unix_at("2026-06-20T00:00:00Z");
  const std::string out = sign::add_dss(signed_pdf, data, {{contents, data}}, now);

  ASSERT_GT(out.size(), signed_pdf.size());
  EXPECT_EQ(out.compare(0, signed_pdf.size(), signed_pdf), 0);  // an incremental update
  pdf::Document doc = pdf::Document::open(out);
  EXPECT_EQ(doc.revisions().size(), pdf::Document::open(signed_pdf).revisions().size() + 1);

  validate::DssContents dss = validate::read_dss(doc);
  ASSERT_EQ(dss.certificates.size(), 2u);
  EXPECT_EQ(dss.evidence.crls_der, data.crls);
  EXPECT_TRUE(dss.evidence.ocsp_der.empty());

  // Shape: indirect /DSS with /Type, direct arrays of FlateDecode streams, the VRI entry.
  const size_t last = doc.last_revision();
  EXPECT_TRUE(doc.catalog(last)->get("DSS")->is_ref());
  ObjPtr d = dss_of(doc);
  ASSERT_TRUE(d && d->is_dict());
  EXPECT_TRUE(d->key_is_name("Type", "DSS"));
  EXPECT_FALSE(d->has("OCSPs"));
  ObjPtr certs = d->get("Certs");
  ASSERT_TRUE(certs && certs->is_array());
  ASSERT_EQ(certs->items().size(), 2u);
  ObjPtr s = doc.resolve(certs->items()[0], last);
  ASSERT_TRUE(s && s->is_stream());
  EXPECT_TRUE(s->key_is_name("Filter", "FlateDecode"));
  EXPECT_EQ(doc.stream_data(*s), data.certificates[0]);

  ObjPtr vri = doc.get(d, "VRI", last);
  ASSERT_TRUE(vri && vri->is_dict());
  ASSERT_EQ(vri->entries().size(), 1u);
  EXPECT_EQ(vri->entries()[0].key, sign::vri_key(contents));
  ObjPtr entry = doc.resolve(vri->entries()[0].value, last);
  ASSERT_TRUE(entry && entry->is_dict());
  ObjPtr vcert = entry->get("Cert");
  ASSERT_TRUE(vcert && vcert->is_array());
  ASSERT_EQ(vcert->items().size(), 2u);
  EXPECT_EQ(vcert->items()[0]->as_ref(), certs->items()[0]->as_ref());  // the same streams, not copies
  EXPECT_EQ(array_size(doc, entry, "CRL"), 1u);
  EXPECT_FALSE(entry->has("OCSP"));
  ObjPtr tu = entry->get("TU");
  ASSERT_TRUE(tu && tu->is_string());
  EXPECT_EQ(tu->as_string(), "D:20260620000000Z");

  expect_ltv_signature(out);
}

TEST(LtvDss, AddingTheSameDataAgainAddsNoStreams) {
  SIGNED_OR_SKIP(signed_pdf);
  const std::string contents = first_contents(signed_pdf);
  const sign::ValidationData data = gov_data();
  const long long now = unix_at("2026-06-20T00:00:00Z");
  const std::string once = sign::add_dss(signed_pdf, data, {{contents, data}}, now);

  // Everything is there already: no update at all.
  EXPECT_EQ(sign::add_dss(once, data, {{contents, data}}, now + 60), once);
  pdf::Document doc1 = pdf::Document::open(once);
  EXPECT_TRUE(sign::dss_update(doc1, once.size(), data, {{contents, data}}, now).empty());

  // Duplicates within one call count once.
  sign::ValidationData doubled = data;
  doubled.certificates.push_back(data.certificates[0]);
  doubled.crls.push_back(data.crls[0]);
  const std::string fresh = sign::add_dss(signed_pdf, doubled, {{contents, data}, {contents, doubled}}, now);
  pdf::Document fdoc = pdf::Document::open(fresh);
  EXPECT_EQ(array_size(fdoc, dss_of(fdoc), "Certs"), 2u);
  EXPECT_EQ(array_size(fdoc, dss_of(fdoc), "CRLs"), 1u);
  ObjPtr fvri = fdoc.get(dss_of(fdoc), "VRI", fdoc.last_revision());
  ASSERT_EQ(fvri->entries().size(), 1u);
  EXPECT_EQ(array_size(fdoc, fdoc.resolve(fvri->entries()[0].value, fdoc.last_revision()), "Cert"), 2u);

  // Old items plus one new one: only the new one becomes a stream; the VRI entry is merged.
  sign::ValidationData more = data;
  more.certificates.push_back(der_of_pem_cert("gov-tsa.pem"));
  const std::string twice = sign::add_dss(once, more, {{contents, more}}, now + 60);
  ASSERT_GT(twice.size(), once.size());
  pdf::Document doc = pdf::Document::open(twice);
  const size_t last = doc.last_revision();
  ObjPtr d = dss_of(doc);
  EXPECT_EQ(array_size(doc, d, "Certs"), 3u);
  EXPECT_EQ(array_size(doc, d, "CRLs"), 1u);
  ObjPtr vri = doc.get(d, "VRI", last);
  ASSERT_EQ(vri->entries().size(), 1u);
  ObjPtr entry = doc.resolve(vri->entries()[0].value, last);
  EXPECT_EQ(array_size(doc, entry, "Cert"), 3u);
  EXPECT_EQ(array_size(doc, entry, "CRL"), 1u);
  EXPECT_EQ(entry->get("TU")->as_string(), "D:20260620000100Z");
  // The new revision holds exactly one new stream (plus the rewritten DSS).
  size_t streams = 0;
  for (const auto& [num, entry_] : doc.revisions()[last].entries) {
    (void)entry_;
    ObjPtr o = doc.object(pdf::Ref{num, 0}, last);
    if (o && o->is_stream() && !o->key_is_name("Type", "XRef")) ++streams;
  }
  EXPECT_EQ(streams, 1u);
  expect_ltv_signature(twice);
}

// An existing DSS of another shape (as other tools write it; pyHanko's "DSS indirect arrays" files):
// direct in the catalog, with indirect arrays, an indirect /VRI, indirect VRI entries (one for our signature,
// with /TS) and a key of its own.
TEST(LtvDss, MergesAnExistingDssWithoutLosingEntries) {
  SIGNED_OR_SKIP(signed_pdf);
  const std::string contents = first_contents(signed_pdf);
  const sign::ValidationData data = gov_data();
  const std::string root_der = der_of_pem_cert("gov-root.pem");
  const std::string other_key(40, 'A'), our_key = sign::vri_key(contents);

  pdf::Document signed_doc = pdf::Document::open(signed_pdf);
  const size_t slast = signed_doc.last_revision();
  pdf::IncrementalUpdate u(signed_doc);
  pdf::Ref root_stream = u.allocate(), certs = u.allocate(), crls = u.allocate(), vri = u.allocate(),
           other_entry = u.allocate(), our_entry = u.allocate(), ts = u.allocate();
  u.put_stream(root_stream, "", root_der);  // unfiltered: deduplicated by decoded content all the same
  u.put(certs, "[" + pdf::to_string(root_stream) + "]");
  u.put(crls, "[]");
  u.put_stream(ts, "", "not a real token");
  u.put(other_entry, "<</Cert [" + pdf::to_string(root_stream) + "] /TU (D:20260101000000Z)>>");
  u.put(our_entry, "<</Type /VRI /Cert [" + pdf::to_string(root_stream) + "] /TS " + pdf::to_string(ts) +
                       " /TU (D:20260101000000Z)>>");
  u.put(vri, "<</" + other_key + " " + pdf::to_string(other_entry) + " /" + our_key + " " + pdf::to_string(our_entry) + ">>");
  ObjPtr catalog = signed_doc.catalog(slast);
  std::string cat = "<<";
  for (const auto& e : catalog->entries()) cat += "/" + e.key + " " + pdf::serialize(*e.value) + "\n";
  cat += "/DSS <</Certs " + pdf::to_string(certs) + " /CRLs " + pdf::to_string(crls) + " /VRI " + pdf::to_string(vri) +
         " /Foo /Bar>>>>";
  u.put(signed_doc.trailer(slast)->get("Root")->as_ref(), cat);
  const std::string base = signed_pdf + u.render(signed_pdf.size());
  {
    DocumentReport before = Verifier(gov_options()).verify_pdf(base);
    ASSERT_EQ(before.signatures.size(), 1u);
    EXPECT_EQ(before.signatures[0].modification_level, ModificationLevel::ltv_updates) << before.to_text();
    EXPECT_EQ(before.signatures[0].revocation.status, "unknown");  // no CRL yet
  }

  const std::string out = sign::add_dss(base, data, {{contents, data}}, unix_at("2026-06-20T00:00:00Z"));
  pdf::Document doc = pdf::Document::open(out);
  const size_t last = doc.last_revision();
  ObjPtr raw = doc.catalog(last)->get("DSS");
  ASSERT_TRUE(raw && raw->is_dict());            // still direct
  EXPECT_TRUE(raw->key_is_name("Foo", "Bar"));   // other keys kept
  ASSERT_TRUE(raw->get("Certs")->is_ref());
  EXPECT_EQ(raw->get("Certs")->as_ref(), certs);  // the indirect arrays were rewritten in place
  EXPECT_EQ(raw->get("CRLs")->as_ref(), crls);
  EXPECT_EQ(raw->get("VRI")->as_ref(), vri);
  EXPECT_EQ(array_size(doc, raw, "Certs"), 2u);  // the root was there already
  EXPECT_EQ(doc.get(raw, "Certs", last)->items()[0]->as_ref(), root_stream);
  EXPECT_EQ(array_size(doc, raw, "CRLs"), 1u);
  // Neither the catalog nor the /VRI dictionary needed rewriting.
  const auto& written = doc.revisions()[last].entries;
  EXPECT_EQ(written.count(vri.num), 0u);
  EXPECT_EQ(written.count(doc.trailer(last)->get("Root")->as_ref().num), 1u);  // the direct DSS lives in the catalog

  ObjPtr v = doc.get(raw, "VRI", last);
  ASSERT_EQ(v->entries().size(), 2u);
  ObjPtr untouched = doc.resolve(v->get(other_key), last);
  EXPECT_EQ(untouched->get("TU")->as_string(), "D:20260101000000Z");
  EXPECT_EQ(written.count(other_entry.num), 0u);
  ASSERT_TRUE(v->get(our_key)->is_ref());
  EXPECT_EQ(v->get(our_key)->as_ref(), our_entry);  // merged in place
  ObjPtr merged = doc.resolve(v->get(our_key), last);
  EXPECT_TRUE(merged->key_is_name("Type", "VRI"));
  ASSERT_TRUE(merged->get("TS") && merged->get("TS")->is_ref());
  EXPECT_EQ(merged->get("TS")->as_ref(), ts);
  EXPECT_EQ(merged->get("TU")->as_string(), "D:20260620000000Z");
  EXPECT_EQ(array_size(doc, merged, "Cert"), 2u);
  EXPECT_EQ(merged->get("Cert")->items()[0]->as_ref(), root_stream);
  EXPECT_EQ(array_size(doc, merged, "CRL"), 1u);

  validate::DssContents dss = validate::read_dss(doc);
  EXPECT_EQ(dss.certificates.size(), 2u);
  EXPECT_EQ(dss.evidence.crls_der.size(), 1u);
  expect_ltv_signature(out);
}

TEST(LtvDss, ToFileIsAtomicAndRefusesToOverwrite) {
  SIGNED_OR_SKIP(signed_pdf);
  const std::string dir = ::testing::TempDir();
  const std::string in = dir + "/ltv-dss-in.pdf", out = dir + "/ltv-dss-out.pdf";
  {
    FILE* f = std::fopen(in.c_str(), "wb");
    ASSERT_TRUE(f);
    std::fwrite(signed_pdf.data(), 1, signed_pdf.size(), f);
    std::fclose(f);
  }
  const sign::ValidationData data = gov_data();
  const long long now = unix_at("2026-06-20T00:00:00Z");
  sign::add_dss_file(in, out, data, {{first_contents(signed_pdf), data}}, now);
  EXPECT_EQ(test::read_file(in), signed_pdf);
  EXPECT_EQ(test::read_file(out), sign::add_dss(signed_pdf, data, {{first_contents(signed_pdf), data}}, now));
  try {
    sign::add_dss_file(in, in, data, {}, now);
    FAIL() << "expected OUTPUT_IS_INPUT";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "OUTPUT_IS_INPUT");
  }
  std::remove(in.c_str());
  std::remove(out.c_str());
}

TEST(LtvDss, RejectsWhatIsNotAPdf) {
  try {
    sign::add_dss("hello", {}, {}, 0);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::format);
  }
}

// ---------------------------------------------------------------- document timestamps

TEST(LtvDocTimestamp, InProcessTokenPassesAndKeepsTheSignatureAtLtvUpdates) {
  SIGNED_OR_SKIP(signed_pdf);
  const sign::ValidationData data = gov_data();
  const std::string with_dss =
      sign::add_dss(signed_pdf, data, {{first_contents(signed_pdf), data}}, unix_at("2026-06-20T00:00:00Z"));
  int calls = 0;
  const std::string out = sign::add_document_timestamp(with_dss, [&](const std::string& digest) {
    ++calls;
    EXPECT_EQ(digest.size(), 32u);
    return make_token(digest);
  });
  EXPECT_EQ(calls, 1);
  ASSERT_GT(out.size(), with_dss.size());
  EXPECT_EQ(out.compare(0, with_dss.size(), with_dss), 0);

  pdf::Document doc = pdf::Document::open(out);
  auto sigs = pdf::find_signatures(doc);
  ASSERT_EQ(sigs.size(), 2u);
  EXPECT_EQ(sigs[1].field_name, "DocTimeStamp1");
  EXPECT_EQ(sigs[1].type, "DocTimeStamp");
  EXPECT_EQ(sigs[1].subfilter, "ETSI.RFC3161");
  ASSERT_EQ(sigs[1].byte_range.size(), 4u);
  EXPECT_EQ(static_cast<size_t>(sigs[1].byte_range[2] + sigs[1].byte_range[3]), out.size());  // covers the whole file

  Verifier verifier(gov_options());
  DocumentReport report = verifier.verify_pdf(out);
  const SignatureReport* ts = find_kind(report, "document-timestamp");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->indication, Indication::total_passed) << report.to_text();
  EXPECT_EQ(ts->timestamp.gen_time, "2026-06-20T03:00:00Z");
  EXPECT_EQ(ts->modification_level, ModificationLevel::none);
  expect_ltv_signature(out);

  // A second one gets the next name and leaves both earlier signatures valid.
  const std::string twice = sign::add_document_timestamp(out, [&](const std::string& digest) { return make_token(digest); });
  pdf::Document doc2 = pdf::Document::open(twice);
  auto sigs2 = pdf::find_signatures(doc2);
  ASSERT_EQ(sigs2.size(), 3u);
  EXPECT_EQ(sigs2[2].field_name, "DocTimeStamp2");
  DocumentReport report2 = verifier.verify_pdf(twice);
  EXPECT_EQ(report2.indication, Indication::total_passed) << report2.to_text();
  for (const auto& s : report2.signatures)
    if (s.id != report2.signatures.back().id) {
      EXPECT_EQ(s.modification_level, ModificationLevel::ltv_updates) << s.id;
    }
}

TEST(LtvDocTimestamp, OnAnUnsignedDocumentAndWithoutDss) {
  const std::string path = test::fixture_path("unsigned.pdf");
  if (!test::file_exists(path)) GTEST_SKIP() << "fixture unsigned.pdf missing";
  const std::string out = sign::add_document_timestamp(test::read_file(path), [](const std::string& d) { return make_token(d); });
  DocumentReport report = Verifier(gov_options()).verify_pdf(out);
  ASSERT_EQ(report.signatures.size(), 1u);
  EXPECT_EQ(report.signatures[0].kind, "document-timestamp");
  EXPECT_EQ(report.signatures[0].indication, Indication::total_passed) << report.to_text();
}

TEST(LtvDocTimestamp, LaysOutAgainWhenTheTokenIsLarger) {
  SIGNED_OR_SKIP(signed_pdf);
  std::vector<size_t> sizes;
  const std::string out = sign::add_document_timestamp(signed_pdf, [&](const std::string& digest) {
    std::string token = make_token(digest, 14);  // about 20 KB: more than the estimate
    sizes.push_back(token.size());
    return token;
  });
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_GT(sizes[0], 12u * 1024);
  DocumentReport report = Verifier(gov_options()).verify_pdf(out);
  const SignatureReport* ts = find_kind(report, "document-timestamp");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->indication, Indication::total_passed) << report.to_text();
  const SignatureReport* sig = find_kind(report, "approval");
  ASSERT_NE(sig, nullptr);
  EXPECT_EQ(sig->indication, Indication::total_passed);
  EXPECT_EQ(sig->modification_level, ModificationLevel::ltv_updates);
}

TEST(LtvDocTimestamp, RejectsATokenForOtherData) {
  SIGNED_OR_SKIP(signed_pdf);
  try {
    sign::add_document_timestamp(signed_pdf, [](const std::string&) { return make_token(std::string(32, 'x')); });
    FAIL() << "expected TSA_RESPONSE_INVALID";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "TSA_RESPONSE_INVALID");
  }
  try {
    sign::add_document_timestamp(signed_pdf, [](const std::string&) { return std::string("garbage"); });
    FAIL() << "expected TSA_RESPONSE_INVALID";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "TSA_RESPONSE_INVALID");
  }
  try {
    sign::add_document_timestamp(signed_pdf, TsaOptions{});
    FAIL() << "expected TSA_URL_MISSING";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "TSA_URL_MISSING");
  }
}

TEST(LtvDocTimestamp, ToFileIsAtomic) {
  SIGNED_OR_SKIP(signed_pdf);
  const std::string dir = ::testing::TempDir();
  const std::string in = dir + "/ltv-ts-in.pdf", out = dir + "/ltv-ts-out.pdf";
  {
    FILE* f = std::fopen(in.c_str(), "wb");
    ASSERT_TRUE(f);
    std::fwrite(signed_pdf.data(), 1, signed_pdf.size(), f);
    std::fclose(f);
  }
  auto source = [](const std::string& d) { return make_token(d); };
  sign::add_document_timestamp_file(in, out, source);
  EXPECT_EQ(test::read_file(in), signed_pdf);
  const std::string written = test::read_file(out);
  EXPECT_EQ(written.compare(0, signed_pdf.size(), signed_pdf), 0);
  DocumentReport report = Verifier(gov_options()).verify_pdf(written);
  EXPECT_EQ(report.signatures.size(), 2u);
  const SignatureReport* ts = find_kind(report, "document-timestamp");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->indication, Indication::total_passed) << report.to_text();
  // A failing token source leaves no output behind.
  std::remove(out.c_str());
  EXPECT_THROW(sign::add_document_timestamp_file(in, out, [](const std::string&) { return std::string("x"); }), Error);
  EXPECT_FALSE(test::file_exists(out));
  try {
    sign::add_document_timestamp_file(in, in, source);
    FAIL() << "expected OUTPUT_IS_INPUT";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "OUTPUT_IS_INPUT");
  }
  std::remove(in.c_str());
}

// A file written with a cross-reference stream and its catalog and page in an object stream: the DSS and
// the document timestamp are written as a cross-reference stream update too, and every signature holds.
TEST(LtvDocTimestamp, XrefStreamFileWithObjectStreams) {
  pdftest::Builder b;
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.stream(4, "", "BT /F1 12 Tf (Hello) Tj ET");
  b.objstm(5, {{1, "<< /Type /Catalog /Pages 2 0 R >>"},
               {3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>"}});
  b.xref_stream(6, 7);
  auto signer = load_pkcs12_signer(pki_file("gov-official.p12"), Secret::from_file(pki_file("p12-password.txt")));
  SignOptions options;
  options.signing_time = parse_time("2026-06-15T02:00:00Z");
  const std::string signed_pdf = sign_pdf(b.data, *signer, options);
  const sign::ValidationData data = gov_data();
  const std::string lt = sign::add_dss(signed_pdf, data, {{first_contents(signed_pdf), data}}, unix_at("2026-06-20T00:00:00Z"));
  const std::string lta = sign::add_document_timestamp(lt, [](const std::string& d) { return make_token(d); });
  pdf::Document doc = pdf::Document::open(lta);
  for (const auto& r : doc.revisions()) EXPECT_TRUE(r.is_xref_stream);
  EXPECT_EQ(validate::read_dss(doc).certificates.size(), 2u);
  DocumentReport report = Verifier(gov_options()).verify_pdf(lta);
  EXPECT_EQ(report.indication, Indication::total_passed) << report.to_text();
  expect_ltv_signature(lta);
}

// With a running RFC 3161 server (e.g. tests/servers/tsa_server.py): LIBSIGN_TEST_TSA_URL=http://127.0.0.1:PORT/tsa
TEST(LtvDocTimestamp, RealTsaWhenConfigured) {
  const char* url = std::getenv("LIBSIGN_TEST_TSA_URL");
  if (!url || !*url) GTEST_SKIP() << "LIBSIGN_TEST_TSA_URL not set";
  SIGNED_OR_SKIP(signed_pdf);
  TsaOptions tsa;
  tsa.url = url;
  tsa.profile_dirs = {test::source_path("certs-test/profiles")};
  tsa.trust_profile = "test-gov";
  const std::string out = sign::add_document_timestamp(signed_pdf, tsa);
  VerifyOptions o = gov_options();
  o.at.reset();  // the token is from now
  DocumentReport report = Verifier(o).verify_pdf(out);
  const SignatureReport* ts = find_kind(report, "document-timestamp");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->indication, Indication::total_passed) << report.to_text();
}

}  // namespace libsign
