// libsign pdf — the Standard security handler against files that the real qpdf encrypts at test time
// (RC4 40/128, AES-128, AES-256 R5 and R6, with and without object streams and cleartext metadata), plus
// hostile /Encrypt dictionaries. The qpdf cases are skipped when qpdf is not installed.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include "libsign/error.hpp"
#include "pdf/filters.hpp"
#include "pdf/parser.hpp"
#include "pdf/document.hpp"
#include "pdf/security.hpp"
#include "pdf_builder.hpp"
#include "test_support.hpp"

using namespace libsign::pdf;
namespace fs = std::filesystem;

namespace {

const std::string kLiteral = "Known literal (with parens) and \xC3\xA9 bytes";
const std::string kContent = "BT /F1 12 Tf 20 100 Td (Hello from a content stream) Tj ET\n";
const std::string kXmp = "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'/>"
                         "<?xpacket end='r'?>";

bool have_qpdf() { return std::system("command -v qpdf >/dev/null 2>&1") == 0; }

std::string plain_pdf() {
  pdftest::Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R /LibsignTest 5 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>");
  std::string z = pdftest::deflate(kContent);
  b.obj(4, "<< /Length " + std::to_string(z.size()) + " /Filter /FlateDecode >>\nstream\n" + z + "\nendstream");
  b.obj(5, "<< /Known (Known literal \\(with parens\\) and \\303\\251 bytes) >>");
  b.stream(6, "/Type /Metadata /Subtype /XML", kXmp);
  b.xref_table(7, "/Root 1 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]");
  return b.data;
}

// A scratch folder per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "libsign-security-XXXXXX").string();
    if (mkdtemp(&tmpl[0]) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// Every indirect object of a file, found by scanning line starts (enough for qpdf's output), and the trailer.
struct Scanned {
  std::string bytes;
  std::map<uint32_t, Parser::Indirect> objects;
  ObjPtr trailer;

  ObjPtr resolve(const ObjPtr& o) const {
    if (!o || !o->is_ref()) return o;
    auto it = objects.find(o->as_ref().num);
    return it == objects.end() ? nullptr : it->second.object;
  }
  std::string raw(const Object& stream) const { return bytes.substr(stream.data_offset(), stream.data_length()); }
  ObjPtr encrypt() const { return resolve(trailer->get("Encrypt")); }
  std::string id0() const {
    ObjPtr id = trailer->get("ID");
    return id && id->is_array() && !id->items().empty() ? id->items()[0]->as_string() : std::string();
  }
};

Scanned scan(std::string bytes) {
  Scanned s;
  s.bytes = std::move(bytes);
  const std::string& d = s.bytes;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && d[i - 1] != '\n' && d[i - 1] != '\r') continue;
    if (d.compare(i, 7, "trailer") == 0) {
      Parser p(d, i + 7);
      p.skip_ws();
      s.trailer = p.parse_object();
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) continue;
    try {
      Parser p(d, i);
      auto ind = p.parse_indirect({});
      if (ind.object->has_dict() && ind.object->key_is_name("Type", "XRef")) s.trailer = ind.object;
      s.objects[ind.ref.num] = ind;
      i = p.pos() - 1;
    } catch (const libsign::Error&) {
    }
  }
  if (!s.trailer) throw std::runtime_error("no trailer found");
  return s;
}

// Runs qpdf on the plain file with `args` (placed before the input) and scans the result.
Scanned encrypted_with(const TempDir& dir, const std::string& args) {
  std::string in = dir.file("plain.pdf"), out = dir.file("enc.pdf");
  {
    std::ofstream f(in, std::ios::binary);
    f << plain_pdf();
  }
  std::string cmd = "qpdf --allow-weak-crypto " + args + " " + in + " " + out + " >" + dir.file("qpdf.log") + " 2>&1";
  int rc = std::system(cmd.c_str());
  // qpdf exits with 3 when it only warned.
  if (rc != 0 && !(WIFEXITED(rc) && WEXITSTATUS(rc) == 3))
    throw std::runtime_error("qpdf failed: " + cmd + "\n" + libsign::test::read_file(dir.file("qpdf.log")));
  return scan(libsign::test::read_file(out));
}

// What decrypting every stream and string of the file gives (after FlateDecode for streams).
struct Decrypted {
  std::vector<std::string> streams;  // decoded
  std::vector<std::string> strings;  // strings found directly in dictionaries of top-level objects
  std::string metadata_raw;          // the /Metadata stream's data as stored
  std::string metadata_plain;        // ... and through decrypt_stream
};

void collect_strings(const Object& o, std::vector<const Object*>& out, int depth = 0) {
  if (depth > 16) return;
  if (o.is_string()) out.push_back(&o);
  if (o.is_array())
    for (const auto& i : o.items()) collect_strings(*i, out, depth + 1);
  if (o.has_dict())
    for (const auto& e : o.entries()) collect_strings(*e.value, out, depth + 1);
}

Decrypted decrypt_all(const Scanned& s, const SecurityHandler& h) {
  Decrypted d;
  ObjPtr enc = s.trailer->get("Encrypt");
  for (const auto& [num, ind] : s.objects) {
    const Object& o = *ind.object;
    if (enc && enc->is_ref() && enc->as_ref() == ind.ref) continue;  // strings in /Encrypt are clear
    if (o.is_stream()) {
      if (o.key_is_name("Type", "XRef")) continue;  // xref streams are clear
      std::string raw = s.raw(o);
      bool flate = o.key_is_name("Filter", "FlateDecode");
      if (o.key_is_name("Type", "Metadata")) {
        d.metadata_raw = raw;
        std::string plain = h.encrypts_metadata() ? h.decrypt_stream(ind.ref, raw) : raw;
        d.metadata_plain = flate ? inflate(plain) : plain;
        continue;
      }
      std::string plain = h.decrypt_stream(ind.ref, raw);
      d.streams.push_back(flate ? inflate(plain) : plain);
      if (o.key_is_name("Type", "ObjStm")) {
        // Objects inside: already plaintext once the stream is decrypted.
        Parser p(d.streams.back(), static_cast<size_t>(o.get("First")->as_int()));
        std::vector<const Object*> inner;
        std::vector<ObjPtr> keep;
        for (p.skip_ws(); !p.at_end(); p.skip_ws()) keep.push_back(p.parse_object());
        for (const auto& k : keep) collect_strings(*k, inner);
        for (const Object* str : inner) d.strings.push_back(str->as_string());
      }
      continue;
    }
    std::vector<const Object*> strings;
    collect_strings(o, strings);
    for (const Object* str : strings) d.strings.push_back(h.decrypt_string(ind.ref, str->as_string()));
  }
  return d;
}

bool contains(const std::vector<std::string>& v, const std::string& needle, bool substring = false) {
  for (const auto& x : v)
    if (substring ? x.find(needle) != std::string::npos : x == needle) return true;
  return false;
}

std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const libsign::Error& e) {
    return e.code();
  }
  return "OK";
}

std::string hex(const std::string& s) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) out += {digits[c >> 4], digits[c & 15]};
  return out;
}

ObjPtr parse(const std::string& text) { return Parser(text).parse_object(); }

struct Case {
  const char* name;
  const char* args;
  const char* describe;
  int r;
  bool object_streams;
  bool encrypt_metadata;
};

class QpdfEncrypted : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    if (!have_qpdf()) GTEST_SKIP() << "qpdf not installed (apt-get install qpdf)";
  }
};

}  // namespace

// Each case: qpdf encrypts with an empty user password; the handler opens it and every string and stream
// decrypts to the known plaintext (object-stream cases: the literal is inside the decrypted object stream).
TEST_P(QpdfEncrypted, DecryptsToTheKnownPlaintext) {
  const Case& c = GetParam();
  TempDir dir;
  Scanned s = encrypted_with(dir, c.args);
  ObjPtr enc = s.encrypt();
  ASSERT_TRUE(enc && enc->is_dict());
  auto h = SecurityHandler::open(*enc, s.id0());
  EXPECT_EQ(h->revision(), c.r);
  EXPECT_EQ(h->describe(), c.describe);
  EXPECT_EQ(h->encrypts_metadata(), c.encrypt_metadata);
  EXPECT_TRUE(h->permissions_match());

  Decrypted d = decrypt_all(s, *h);
  EXPECT_TRUE(contains(d.streams, kContent)) << "content stream did not decrypt";
  EXPECT_TRUE(contains(d.strings, kLiteral)) << "literal string did not decrypt";
  EXPECT_EQ(c.object_streams, contains(d.streams, "/Known", true)) << "object streams as asked";
  // The metadata stream: stored in clear only with EncryptMetadata false (then it must not be decrypted).
  EXPECT_EQ(d.metadata_plain, kXmp);
  EXPECT_EQ(d.metadata_raw.find("xpacket") == std::string::npos, c.encrypt_metadata);
  // Garbage of every length decrypts to something, without reading out of bounds.
  std::mt19937 rng(1);
  for (size_t len = 0; len < 70; ++len) {
    std::string junk(len, '\0');
    for (char& ch : junk) ch = static_cast<char>(rng());
    EXPECT_LE(h->decrypt_string(Ref{0xFFFFFF, 0xFFFF}, junk).size(), len);
    EXPECT_LE(h->decrypt_stream(Ref{1, 0}, junk).size(), len);
  }
  // Strings inside /Encrypt are never decrypted: /O and /U stay as stored, which is what open() used.
  EXPECT_FALSE(enc->get("U")->as_string().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Standard, QpdfEncrypted,
    ::testing::Values(
        Case{"Rc4_40_R2", "--object-streams=disable --encrypt '' owner-pw 40 --", "RC4 40-bit (R2)", 2, false, true},
        Case{"Rc4_128_R3", "--object-streams=disable --encrypt '' owner-pw 128 --use-aes=n --", "RC4 128-bit (R3)", 3,
             false, true},
        Case{"Rc4_128_V4", "--object-streams=disable --encrypt '' owner-pw 128 --use-aes=n --force-V4 --",
             "RC4 128-bit (R4)", 4, false, true},
        Case{"Aes128_R4", "--object-streams=disable --encrypt '' owner-pw 128 --use-aes=y --", "AES-128 (R4)", 4, false,
             true},
        Case{"Aes128_R4_ClearMetadata",
             "--object-streams=disable --encrypt '' owner-pw 128 --use-aes=y --cleartext-metadata --", "AES-128 (R4)", 4,
             false, false},
        Case{"Aes128_R4_ObjectStreams", "--object-streams=generate --encrypt '' owner-pw 128 --use-aes=y --",
             "AES-128 (R4)", 4, true, true},
        Case{"Aes256_R5", "--object-streams=disable --encrypt '' owner-pw 256 --force-R5 --", "AES-256 (R5)", 5, false,
             true},
        Case{"Aes256_R6", "--object-streams=disable --encrypt '' owner-pw 256 --", "AES-256 (R6)", 6, false, true},
        Case{"Aes256_R6_ObjectStreams", "--object-streams=generate --encrypt '' owner-pw 256 --", "AES-256 (R6)", 6,
             true, true},
        Case{"Aes256_R6_ClearMetadata", "--object-streams=disable --encrypt '' owner-pw 256 --cleartext-metadata --",
             "AES-256 (R6)", 6, false, false}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// A user password: the empty one does not open the file (PDF_ENCRYPTED); the right one does.
TEST(PdfSecurity, UserPasswordIsNeeded) {
  if (!have_qpdf()) GTEST_SKIP() << "qpdf not installed";
  for (const char* bits : {"40", "128 --use-aes=n", "128 --use-aes=y", "256 --force-R5", "256"}) {
    TempDir dir;
    Scanned s = encrypted_with(dir, std::string("--object-streams=disable --encrypt user-pw owner-pw ") + bits + " --");
    ObjPtr enc = s.encrypt();
    ASSERT_TRUE(enc);
    EXPECT_EQ(code_of([&] { SecurityHandler::open(*enc, s.id0()); }), "PDF_ENCRYPTED") << bits;
    EXPECT_EQ(code_of([&] { SecurityHandler::open(*enc, s.id0(), "wrong"); }), "PDF_ENCRYPTED") << bits;
    auto h = SecurityHandler::open(*enc, s.id0(), "user-pw");
    EXPECT_FALSE(h->opened_as_owner()) << bits;
    EXPECT_TRUE(contains(decrypt_all(s, *h).strings, kLiteral)) << bits;
    // The owner password opens it too (algorithms 7 and 12), to the same plaintext.
    auto owner = SecurityHandler::open(*enc, s.id0(), "owner-pw");
    EXPECT_TRUE(owner->opened_as_owner()) << bits;
    EXPECT_TRUE(contains(decrypt_all(s, *owner).strings, kLiteral)) << bits;
  }
}


// R2–R4 keys depend on the first /ID string: without it (or with another one) the file does not open.
TEST(PdfSecurity, MissingIdIsATypedError) {
  if (!have_qpdf()) GTEST_SKIP() << "qpdf not installed";
  TempDir dir;
  Scanned s = encrypted_with(dir, "--object-streams=disable --encrypt '' owner-pw 128 --use-aes=y --");
  EXPECT_EQ(code_of([&] { SecurityHandler::open(*s.encrypt(), ""); }), "PDF_ENCRYPTED");
  EXPECT_EQ(code_of([&] { SecurityHandler::open(*s.encrypt(), "another id"); }), "PDF_ENCRYPTED");
}

// /Encrypt dictionaries with wrong lengths or kinds, taken from a real file and damaged one key at a time.
TEST(PdfSecurity, DamagedRealDictionariesGiveTypedErrors) {
  if (!have_qpdf()) GTEST_SKIP() << "qpdf not installed";
  for (const char* bits : {"128 --use-aes=n", "256"}) {
    TempDir dir;
    Scanned s = encrypted_with(dir, std::string("--object-streams=disable --encrypt '' owner-pw ") + bits + " --");
    const Object& enc = *s.encrypt();
    auto with = [&](const std::string& key, const std::string& value) {
      std::string text = "<<";
      for (const auto& e : enc.entries()) {
        if (e.key == key) continue;
        text += " /" + e.key + " ";
        if (e.value->is_string()) text += "<" + hex(e.value->as_string()) + ">";
        else if (e.value->is_name()) text += "/" + e.value->as_name();
        else if (e.value->is_int()) text += std::to_string(e.value->as_int());
        else if (e.value->kind() == Kind::Bool) text += e.value->as_bool() ? "true" : "false";
        else if (e.key == "CF") text += "<< /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >>";
      }
      if (!value.empty()) text += " /" + key + " " + value;
      return parse(text + " >>");
    };
    // The rebuilt dictionary itself opens.
    EXPECT_EQ(code_of([&] { SecurityHandler::open(*with("", ""), s.id0()); }), "OK") << bits;
    std::string u = enc.get("U")->as_string();
    for (auto [key, value, code] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"U", "<" + hex(u.substr(0, 20)) + ">", "PDF_MALFORMED"},
             {"U", "", "PDF_MALFORMED"},
             {"U", "42", "PDF_MALFORMED"},
             {"O", "<00>", "PDF_MALFORMED"},
             {"O", "", "PDF_MALFORMED"},
             {"R", "7", "PDF_UNSUPPORTED_ENCRYPTION"},
             {"R", "(six)", "PDF_MALFORMED"},
             {"V", "3", "PDF_UNSUPPORTED_ENCRYPTION"},
             {"Filter", "/Adobe.PubSec", "PDF_UNSUPPORTED_ENCRYPTION"},
             {"Filter", "", "PDF_UNSUPPORTED_ENCRYPTION"},
             // A longer /U (some writers pad) is cut to its useful part and still opens.
             {"U", "<" + hex(u + std::string(16, '\0')) + ">", "OK"}}) {
      EXPECT_EQ(code_of([&] { SecurityHandler::open(*with(key, value), s.id0()); }), code) << bits << " /" << key << " " << value;
    }
    if (std::string(bits) == "256") {
      EXPECT_EQ(code_of([&] { SecurityHandler::open(*with("UE", "<0011>"), s.id0()); }), "PDF_MALFORMED");
      EXPECT_EQ(code_of([&] { SecurityHandler::open(*with("UE", ""), s.id0()); }), "PDF_MALFORMED");
      EXPECT_EQ(code_of([&] { SecurityHandler::open(*with("OE", "<0011>"), s.id0()); }), "PDF_MALFORMED");
      // A /P that /Perms does not confirm still opens, but is reported.
      auto h = SecurityHandler::open(*with("P", "-1"), s.id0());
      EXPECT_FALSE(h->permissions_match());
    } else {
      for (const char* length : {"4096", "41", "-8", "0", "8"})
        EXPECT_EQ(code_of([&] { SecurityHandler::open(*with("Length", length), s.id0()); }), "PDF_UNSUPPORTED_ENCRYPTION")
            << length;
      EXPECT_EQ(code_of([&] { SecurityHandler::open(*with("P", ""), s.id0()); }), "PDF_MALFORMED");
      EXPECT_EQ(code_of([&] { SecurityHandler::open(*with("P", "(x)"), s.id0()); }), "PDF_MALFORMED");
    }
  }
}

TEST(PdfSecurity, OtherHandlersAndMethodsAreUnsupported) {
  auto open = [](const std::string& text) { return code_of([&] { SecurityHandler::open(*parse(text), "id"); }); };
  const std::string u48 = "<" + std::string(96, '0') + ">", ue = "<" + std::string(64, '0') + ">";
  EXPECT_EQ(open("<< /Filter /Adobe.PubSec /SubFilter /adbe.pkcs7.s5 /V 5 /R 5 /Length 256 >>"),
            "PDF_UNSUPPORTED_ENCRYPTION");
  EXPECT_EQ(open("<< /V 2 /R 3 >>"), "PDF_UNSUPPORTED_ENCRYPTION");
  EXPECT_EQ(open("<< /Filter /Standard /V 0 /R 2 >>"), "PDF_UNSUPPORTED_ENCRYPTION");
  EXPECT_EQ(open("<< /Filter /Standard /V 4 /R 3 >>"), "PDF_UNSUPPORTED_ENCRYPTION");
  EXPECT_EQ(open("<< /Filter /Standard /V 5 /R 4 >>"), "PDF_UNSUPPORTED_ENCRYPTION");
  // Unknown or mismatched crypt filter methods, and filters that /CF does not define.
  std::string v5 = "/Filter /Standard /V 5 /R 6 /O " + u48 + " /U " + u48 + " /UE " + ue + " /OE " + ue + " /P -4 ";
  EXPECT_EQ(open("<< " + v5 + "/CF << /X << /CFM /FancyCipher >> >> /StmF /X /StrF /X >>"), "PDF_UNSUPPORTED_ENCRYPTION");
  EXPECT_EQ(open("<< " + v5 + "/CF << /X << /CFM /AESV2 >> >> /StmF /X /StrF /X >>"), "PDF_UNSUPPORTED_ENCRYPTION");
  EXPECT_EQ(open("<< " + v5 + "/CF << /X << /CFM /AESV3 >> >> /StmF /Y /StrF /X >>"), "PDF_MALFORMED");
  EXPECT_EQ(open("<< " + v5 + "/CF 12 /StmF /X /StrF /X >>"), "PDF_MALFORMED");
  // Well formed but the password does not match these zero bytes.
  EXPECT_EQ(open("<< " + v5 + "/CF << /X << /CFM /AESV3 >> >> /StmF /X /StrF /X >>"), "PDF_ENCRYPTED");
  EXPECT_EQ(open("<< " + v5 + ">>"), "PDF_ENCRYPTED");  // /StmF and /StrF default to /Identity
  EXPECT_EQ(open("[1 2]"), "PDF_MALFORMED");
}

// Random /Encrypt dictionaries: only typed errors (or success), never a crash (the suite also runs under
// ASan+UBSan).
TEST(PdfSecurity, RandomDictionariesGiveTypedErrorsOnly) {
  std::mt19937 rng(2026);
  auto pick = [&](std::initializer_list<const char*> options) { return std::string(options.begin()[rng() % options.size()]); };
  auto random_hex = [&](size_t max) {
    std::string bytes(rng() % (max + 1), '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    return "<" + hex(bytes) + ">";
  };
  for (int i = 0; i < 2000; ++i) {
    std::string d = "<< /Filter " + pick({"/Standard", "/Standard", "/Standard", "/Adobe.PubSec", "1"}) +
                    " /V " + pick({"1", "2", "4", "5", "3", "0", "-1", "99999999999", "(x)"}) +
                    " /R " + pick({"2", "3", "4", "5", "6", "7", "-3"}) +
                    " /Length " + pick({"40", "128", "256", "0", "-8", "4294967336", "16", "/X"}) +
                    " /P " + pick({"-4", "4294967292", "0", "(p)"}) + " /O " + random_hex(60) + " /U " +
                    random_hex(60) + " /UE " + random_hex(40) + " /OE " + random_hex(40) + " /Perms " + random_hex(20) +
                    " /EncryptMetadata " + pick({"true", "false", "1"}) +
                    " /CF << /F << /CFM " + pick({"/V2", "/AESV2", "/AESV3", "/None", "/Bad", "3"}) + " >> >>" +
                    " /StmF " + pick({"/F", "/Identity", "/G", "2"}) + " /StrF " + pick({"/F", "/Identity"}) + " >>";
    std::string code = code_of([&] { SecurityHandler::open(*parse(d), pick({"", "id", "0123456789abcdef"}), pick({"", "pw"})); });
    EXPECT_TRUE(code == "PDF_MALFORMED" || code == "PDF_ENCRYPTED" || code == "PDF_UNSUPPORTED_ENCRYPTION") << code << " " << d;
  }
}

// Crypt filters by name: /Identity and unknown names, on a real AES-128 file.
TEST(PdfSecurity, NamedCryptFilters) {
  if (!have_qpdf()) GTEST_SKIP() << "qpdf not installed";
  TempDir dir;
  Scanned s = encrypted_with(dir, "--object-streams=disable --encrypt '' owner-pw 128 --use-aes=y --");
  auto h = SecurityHandler::open(*s.encrypt(), s.id0());
  EXPECT_EQ(h->decrypt_stream(Ref{4, 0}, "as is", "Identity"), "as is");
  EXPECT_EQ(code_of([&] { h->decrypt_stream(Ref{4, 0}, "x", "NoSuchFilter"); }), "PDF_MALFORMED");
  ObjPtr cf = s.encrypt()->get("CF");
  ASSERT_TRUE(cf && cf->is_dict() && !cf->entries().empty());
  // The named default filter decrypts like the default.
  std::string name = cf->entries()[0].key;
  for (const auto& [num, ind] : s.objects)
    if (ind.object->is_stream() && !ind.object->key_is_name("Type", "XRef")) {
      std::string raw = s.raw(*ind.object);
      EXPECT_EQ(h->decrypt_stream(ind.ref, raw, name), h->decrypt_stream(ind.ref, raw));
    }
}

TEST(PdfSecurity, Rc4KnownAnswers) {
  auto rc4_hex = [](const std::string& key, const std::string& data) { return hex(crypto_detail::rc4(key, data)); };
  EXPECT_EQ(rc4_hex("Key", "Plaintext"), "BBF316E8D940AF0AD3");
  EXPECT_EQ(rc4_hex("Wiki", "pedia"), "1021BF0420");
  EXPECT_EQ(rc4_hex("Secret", "Attack at dawn"), "45A01F645FC35B383552544B9BF5");
  EXPECT_EQ(crypto_detail::rc4("Key", crypto_detail::rc4("Key", kContent)), kContent);
}

// Broken AES data never crashes: too short, not a whole number of blocks, bad padding.
TEST(PdfSecurity, LenientAesDecryption) {
  const std::string key(16, 'k'), key256(32, 'K');
  EXPECT_EQ(crypto_detail::aes_cbc_decrypt(key, ""), "");
  EXPECT_EQ(crypto_detail::aes_cbc_decrypt(key, "short"), "");
  EXPECT_EQ(crypto_detail::aes_cbc_decrypt(key, std::string(16, 'i')), "");  // IV only
  EXPECT_EQ(crypto_detail::aes_cbc_decrypt(key, std::string(20, 'i')).size(), 0u);
  EXPECT_EQ(crypto_detail::aes_cbc_decrypt(key, std::string(37, 'i')).size(), 16u);  // the short block is dropped
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string data(rng() % 80, '\0');
    for (char& c : data) c = static_cast<char>(rng());
    std::string plain = crypto_detail::aes_cbc_decrypt(i % 2 ? key : key256, data);
    EXPECT_LE(plain.size(), data.size() < 16 ? 0 : data.size() - 16);
  }
}

// The pyHanko corpus's encrypted+signed file uses the public-key handler: typed error, not a crash.
TEST(PdfSecurity, PyHankoPubKeyFileIsUnsupported) {
  const char* env = std::getenv("LIBSIGN_SHARED_DIR");
  fs::path file = fs::path(env && *env ? env : "/work/shared") / "corpus/pyhanko/data/pdf/signed-encrypted-pubkey-with-catalog-ref.pdf";
  if (!fs::exists(file)) GTEST_SKIP() << "no corpus file " << file;
  Scanned s = scan(libsign::test::read_file(file.string()));
  ObjPtr enc = s.encrypt();
  ASSERT_TRUE(enc && enc->is_dict());
  EXPECT_TRUE(enc->key_is_name("Filter", "Adobe.PubSec"));
  EXPECT_EQ(code_of([&] { SecurityHandler::open(*enc, s.id0()); }), "PDF_UNSUPPORTED_ENCRYPTION");
}

namespace {

// The crypt filter a stream names in its /Filter, if any (a direct /DecodeParms /Name, default /Identity).
std::string crypt_filter_of(const Object& stream) {
  ObjPtr filter = stream.get("Filter"), parms = stream.get("DecodeParms");
  std::vector<ObjPtr> names, params;
  if (filter && filter->is_array()) names = filter->items();
  else if (filter) names.push_back(filter);
  if (parms && parms->is_array()) params = parms->items();
  else if (parms) params.push_back(parms);
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i]->is_name("Crypt")) {
      ObjPtr p = i < params.size() ? params[i] : nullptr;
      ObjPtr name = p && p->is_dict() ? p->get("Name") : nullptr;
      return name && name->is_name() ? name->as_name() : "Identity";
    }
  return {};
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct RealFile {
  std::string name;
  std::string code;  // what open() with the empty password gave
  std::string describe;
  std::vector<std::pair<Ref, std::string>> streams;  // our decryption of the first few streams
};

}  // namespace

// Real encrypted files (qpdf, PDFBox, OpenPDF test suites; Acrobat, MuPDF and others among the producers):
// we open exactly those that qpdf opens with the empty *user* password (qpdf also tries it as the owner
// password; we do not), and the first streams decrypt to what `qpdf --raw-stream-data` gives.
TEST(PdfSecurity, RealWorldFilesAgreeWithQpdf) {
  const char* env = std::getenv("LIBSIGN_SHARED_DIR");
  fs::path dir = fs::path(env && *env ? env : "/work/shared") / "corpus/realworld-pdf";
  if (!fs::exists(dir)) GTEST_SKIP() << "no corpus at " << dir;
  if (!have_qpdf()) GTEST_SKIP() << "qpdf not installed";
  TempDir tmp;
  std::vector<RealFile> files;
  std::set<size_t> seen;
  std::string script;  // every qpdf run at once, in the background: qpdf's start-up dominates
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".pdf") continue;
    std::string bytes = libsign::test::read_file(e.path().string());
    if (bytes.find("/Encrypt") == std::string::npos) continue;
    if (!seen.insert(std::hash<std::string>()(bytes)).second) continue;  // the suites share some files
    Scanned s;
    try {
      s = scan(bytes);
    } catch (const std::exception&) {
      continue;  // the test's crude scanner finds no trailer: not this module's business
    }
    ObjPtr enc = s.trailer->get("Encrypt") ? s.encrypt() : nullptr;
    if (!enc || !enc->is_dict()) continue;
    RealFile f;
    f.name = e.path().lexically_relative(dir).string();
    std::shared_ptr<const SecurityHandler> h;
    f.code = code_of([&] { h = SecurityHandler::open(*enc, s.id0()); });
    std::string id = std::to_string(files.size()), quoted = shell_quote(e.path().string());
    script += "qpdf --show-encryption " + quoted + " >" + tmp.file(id + ".enc") + " 2>&1 &\n";
    if (h) {
      f.describe = h->describe();
      for (const auto& [num, ind] : s.objects) {
        const Object& o = *ind.object;
        if (!o.is_stream() || o.key_is_name("Type", "XRef") || o.data_length() == 0) continue;
        if (o.key_is_name("Type", "Metadata") && !h->encrypts_metadata()) continue;
        script += "qpdf --show-object=" + std::to_string(num) + "," + std::to_string(ind.ref.gen) +
                  " --raw-stream-data " + quoted + " >" + tmp.file(id + "." + std::to_string(num)) + " 2>/dev/null &\n";
        f.streams.emplace_back(ind.ref, h->decrypt_stream(ind.ref, s.raw(o), crypt_filter_of(o)));
        if (f.streams.size() == 2) break;
      }
    }
    files.push_back(std::move(f));
  }
  std::ofstream(tmp.file("run.sh")) << script << "wait\n";
  ASSERT_EQ(std::system(("sh " + tmp.file("run.sh")).c_str()), 0);

  int opened = 0, streams = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    const RealFile& f = files[i];
    std::string shown = libsign::test::read_file(tmp.file(std::to_string(i) + ".enc"));
    SCOPED_TRACE(f.name + ": ours " + f.code + " " + f.describe + "; qpdf: " + shown.substr(0, 200));
    if (shown.find("Supplied password is user password") != std::string::npos ||
        shown.find("Supplied password is owner password") != std::string::npos) {
      // The empty password opens it, as the user or (the user password being set) as the owner password.
      EXPECT_EQ(f.code, "OK");
    } else if (shown.find("unsupported encryption filter") != std::string::npos) {
      EXPECT_EQ(f.code, "PDF_UNSUPPORTED_ENCRYPTION");
    } else if (shown.find("invalid password") != std::string::npos) {
      // A non-empty password is needed; a damaged /O or /U (qpdf pads them) is a format error for us.
      EXPECT_TRUE(f.code == "PDF_ENCRYPTED" || f.code == "PDF_MALFORMED");
    } else {
      continue;  // qpdf could not read the file at all
    }
    opened += f.code == "OK";
    for (const auto& [ref, ours] : f.streams) {
      std::string theirs = libsign::test::read_file(tmp.file(std::to_string(i) + "." + std::to_string(ref.num)));
      if (theirs.empty()) continue;  // qpdf could not show it (e.g. an unfilterable stream)
      EXPECT_EQ(hex(ours), hex(theirs)) << "object " << ref.num;
      ++streams;
    }
  }
  EXPECT_GT(opened, 0);
  EXPECT_GT(streams, 0);
  std::cout << files.size() << " encrypted files, " << opened << " opened, " << streams << " streams compared\n";
}

// Document opens what the handler decrypts: strings and streams read as plaintext through the normal API,
// with and without object streams; the encryption is named, and a password-protected file is refused.
TEST(PdfSecurity, DocumentReadsFilesEncryptedWithAnEmptyUserPassword) {
  if (!have_qpdf()) GTEST_SKIP() << "qpdf not installed";
  for (const std::string args : {"--encrypt '' owner-pw 40 --", "--encrypt '' owner-pw 128 --use-aes=y --",
                                 "--object-streams=generate --encrypt '' owner-pw 256 --"}) {
    TempDir dir;
    encrypted_with(dir, args);
    std::string bytes = libsign::test::read_file(dir.file("enc.pdf"));
    Document doc = Document::open(bytes);
    EXPECT_FALSE(doc.encryption().empty()) << args;
    size_t last = doc.last_revision();
    auto test = doc.get(doc.catalog(last), "LibsignTest", last);
    ASSERT_TRUE(test && test->is_dict()) << args;
    EXPECT_EQ(doc.get(test, "Known", last)->as_string(), kLiteral) << args;
    auto pages = doc.get(doc.catalog(last), "Pages", last);
    auto page = doc.resolve(doc.get(pages, "Kids", last)->items()[0], last);
    EXPECT_EQ(doc.stream_data(*doc.get(page, "Contents", last), last), kContent) << args;
  }
  TempDir dir;
  encrypted_with(dir, "--encrypt user-pw owner-pw 256 --");
  EXPECT_EQ(code_of([&] { Document::open(libsign::test::read_file(dir.file("enc.pdf"))); }), "PDF_ENCRYPTED");
}
