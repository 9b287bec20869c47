// The diagnose building blocks: the ZIP reader (hostile archives included), the aggregate and its
// merge, discovery.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "diagnose/zip_reader.hpp"
#include "libsign/diagnose.hpp"

namespace libsign::diagnose {
namespace {

namespace fs = std::filesystem;

// ---- a small ZIP writer for the tests ----
void le(std::string& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::string deflate_raw(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

struct Member {
  std::string name, data;
  bool deflate = true;
  uint16_t flags = 0;
  uint16_t method = 0xffff;          // override
  int64_t declared_size = -1;        // override of the uncompressed size
  bool bad_crc = false;
};

std::string make_zip(const std::vector<Member>& members) {
  std::string out, central;
  for (const auto& m : members) {
    std::string stored = m.deflate ? deflate_raw(m.data) : m.data;
    uint32_t crc = static_cast<uint32_t>(::crc32(0, reinterpret_cast<const Bytef*>(m.data.data()), static_cast<uInt>(m.data.size())));
    if (m.bad_crc) crc ^= 1;
    uint16_t method = m.method != 0xffff ? m.method : (m.deflate ? 8 : 0);
    uint64_t size = m.declared_size >= 0 ? static_cast<uint64_t>(m.declared_size) : m.data.size();
    uint64_t offset = out.size();
    le(out, 0x04034b50, 4); le(out, 20, 2); le(out, m.flags, 2); le(out, method, 2); le(out, 0, 4);
    le(out, crc, 4); le(out, stored.size(), 4); le(out, size, 4); le(out, m.name.size(), 2); le(out, 0, 2);
    out += m.name + stored;
    le(central, 0x02014b50, 4); le(central, 20, 2); le(central, 20, 2); le(central, m.flags, 2); le(central, method, 2);
    le(central, 0, 4); le(central, crc, 4); le(central, stored.size(), 4); le(central, size, 4);
    le(central, m.name.size(), 2); le(central, 0, 2); le(central, 0, 2); le(central, 0, 2); le(central, 0, 2);
    le(central, 0, 4); le(central, offset, 4);
    central += m.name;
  }
  uint64_t cd_offset = out.size();
  out += central;
  le(out, 0x06054b50, 4); le(out, 0, 2); le(out, 0, 2); le(out, members.size(), 2); le(out, members.size(), 2);
  le(out, central.size(), 4); le(out, cd_offset, 4); le(out, 0, 2);
  return out;
}

// The same archive with ZIP64 records: 0xFFFFFFFF sizes and offsets in the central headers with the
// real values in a ZIP64 extra field, and a ZIP64 end record found through its locator.
std::string make_zip64(const std::vector<Member>& members) {
  std::string out, central;
  for (const auto& m : members) {
    std::string stored = deflate_raw(m.data);
    uint32_t crc = static_cast<uint32_t>(::crc32(0, reinterpret_cast<const Bytef*>(m.data.data()), static_cast<uInt>(m.data.size())));
    uint64_t offset = out.size();
    le(out, 0x04034b50, 4); le(out, 45, 2); le(out, 0, 2); le(out, 8, 2); le(out, 0, 4);
    le(out, crc, 4); le(out, 0xFFFFFFFF, 4); le(out, 0xFFFFFFFF, 4); le(out, m.name.size(), 2); le(out, 20, 2);
    out += m.name;
    le(out, 1, 2); le(out, 16, 2); le(out, m.data.size(), 8); le(out, stored.size(), 8);
    out += stored;
    le(central, 0x02014b50, 4); le(central, 45, 2); le(central, 45, 2); le(central, 0, 2); le(central, 8, 2);
    le(central, 0, 4); le(central, crc, 4); le(central, 0xFFFFFFFF, 4); le(central, 0xFFFFFFFF, 4);
    le(central, m.name.size(), 2); le(central, 28, 2); le(central, 0, 2); le(central, 0, 2); le(central, 0, 2);
    le(central, 0, 4); le(central, 0xFFFFFFFF, 4);
    central += m.name;
    le(central, 1, 2); le(central, 24, 2); le(central, m.data.size(), 8); le(central, stored.size(), 8); le(central, offset, 8);
  }
  uint64_t cd_offset = out.size();
  out += central;
  uint64_t z64 = out.size();
  le(out, 0x06064b50, 4); le(out, 44, 8); le(out, 45, 2); le(out, 45, 2); le(out, 0, 4); le(out, 0, 4);
  le(out, members.size(), 8); le(out, members.size(), 8); le(out, central.size(), 8); le(out, cd_offset, 8);
  le(out, 0x07064b50, 4); le(out, 0, 4); le(out, z64, 8); le(out, 1, 4);
  le(out, 0x06054b50, 4); le(out, 0, 2); le(out, 0, 2); le(out, 0xFFFF, 2); le(out, 0xFFFF, 2);
  le(out, 0xFFFFFFFF, 4); le(out, 0xFFFFFFFF, 4); le(out, 0, 2);
  return out;
}

std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return "";
}

TEST(ZipReader, ReadsStoredAndDeflatedMembersAndSkipsFolders) {
  std::string zip = make_zip({{"a/one.pdf", "%PDF-1.7 one", false}, {"a/", ""}, {"two.pdf", std::string(5000, 'x') + "end"}});
  ZipArchive a = ZipArchive::from_bytes(zip);
  ASSERT_EQ(a.entries().size(), 2u);
  EXPECT_EQ(a.entries()[0].name, "a/one.pdf");
  EXPECT_EQ(a.read(0), "%PDF-1.7 one");
  EXPECT_EQ(a.read(1), std::string(5000, 'x') + "end");
  EXPECT_TRUE(ZipArchive::looks_like_zip(zip));
}

TEST(ZipReader, ReadsZip64Records) {
  std::string zip = make_zip64({{"ho-so/a.pdf", "%PDF-1.7 " + std::string(3000, 'z')}, {"b.pdf", "second"}});
  ZipArchive a = ZipArchive::from_bytes(zip);
  ASSERT_EQ(a.entries().size(), 2u);
  EXPECT_EQ(a.entries()[1].name, "b.pdf");
  EXPECT_EQ(a.read(0), "%PDF-1.7 " + std::string(3000, 'z'));
  EXPECT_EQ(a.read(1), "second");
  // Without its locator the ZIP64 end record cannot be found.
  std::string broken = zip;
  broken[broken.size() - 22 - 20] = 'X';
  EXPECT_EQ(code_of([&] { ZipArchive::from_bytes(broken); }), "ARCHIVE_INVALID");
}

TEST(ZipReader, DamagedArchivesAreTypedErrors) {
  EXPECT_EQ(code_of([] { ZipArchive::from_bytes("not a zip at all, just text that is long enough"); }), "ARCHIVE_INVALID");
  EXPECT_EQ(code_of([] { ZipArchive::from_bytes(""); }), "ARCHIVE_INVALID");
  std::string zip = make_zip({{"x.pdf", "hello hello hello", true, 0, 0xffff, -1, true}});
  ZipArchive a = ZipArchive::from_bytes(zip);
  EXPECT_EQ(code_of([&] { a.read(0); }), "ARCHIVE_INVALID");  // CRC mismatch
  // The central directory claims more members than fit in it.
  std::string lying = make_zip({{"x.pdf", "data"}});
  lying[lying.size() - 22 + 8] = static_cast<char>(0xff);
  lying[lying.size() - 22 + 10] = static_cast<char>(0xff);
  EXPECT_EQ(code_of([&] { ZipArchive::from_bytes(lying); }), "ARCHIVE_INVALID");
}

TEST(ZipReader, ZipBombsAndUnsupportedMembersAreRefused) {
  // 20 MB of zeros deflate to ~20 kB: a ratio far above the limit.
  std::string bomb = make_zip({{"bomb.pdf", std::string(20u << 20, '\0')}});
  ZipArchive a = ZipArchive::from_bytes(bomb);
  EXPECT_EQ(code_of([&] { a.read(0); }), "ARCHIVE_LIMIT_EXCEEDED");
  // A member that inflates beyond its declared size.
  std::string liar = make_zip({{"x.pdf", std::string(4000, 'y'), true, 0, 0xffff, 100}});
  EXPECT_EQ(code_of([&] { ZipArchive::from_bytes(liar).read(0); }), "ARCHIVE_LIMIT_EXCEEDED");
  // Above the per-member limit (declared).
  ZipLimits small;
  small.max_member_bytes = 1000;
  std::string big = make_zip({{"x.pdf", std::string(4000, 'y')}});
  EXPECT_EQ(code_of([&] { ZipArchive::from_bytes(big, small).read(0); }), "ARCHIVE_LIMIT_EXCEEDED");
  ZipLimits few;
  few.max_entries = 1;
  EXPECT_EQ(code_of([&] { ZipArchive::from_bytes(make_zip({{"a", "1"}, {"b", "2"}}), few); }), "ARCHIVE_LIMIT_EXCEEDED");
  std::string encrypted = make_zip({{"x.pdf", "secret", true, 1}});
  EXPECT_EQ(code_of([&] { ZipArchive::from_bytes(encrypted).read(0); }), "ARCHIVE_MEMBER_UNSUPPORTED");
  std::string lzma = make_zip({{"x.pdf", "data", false, 0, 14}});
  EXPECT_EQ(code_of([&] { ZipArchive::from_bytes(lzma).read(0); }), "ARCHIVE_MEMBER_UNSUPPORTED");
}

// Reads everything it can; any failure must be a typed Error.
void read_all(std::string_view zip) {
  try {
    ZipArchive a = ZipArchive::from_bytes(zip);
    for (size_t i = 0; i < a.entries().size(); ++i) a.read(i);
  } catch (const Error&) {
  }
}

TEST(ZipReader, EveryTruncationAndManyCorruptionsFailCleanly) {
  std::mt19937 rng(42);
  for (const std::string& zip : {make_zip({{"a.pdf", std::string(3000, 'a') + "tail"}, {"b.pdf", "short", false}}),
                                 make_zip64({{"a.pdf", std::string(3000, 'a') + "tail"}, {"b.pdf", "short"}})}) {
    for (size_t n = 0; n < zip.size(); ++n) read_all(std::string_view(zip).substr(0, n));
    for (int round = 0; round < 3000; ++round) {
      std::string bad = zip;
      for (int k = 0; k < 3; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
      read_all(bad);
    }
  }
  SUCCEED();
}

// ---- aggregate ----
FileResult file(const std::string& path, const std::string& folder, std::vector<Row> rows, const std::string& error = "") {
  FileResult f;
  f.path = path;
  f.folder = folder;
  f.format = error.empty() ? "pdf" : "";
  f.size = 100;
  f.mtime = 1;
  f.error = error;
  f.rows = std::move(rows);
  return f;
}

Row row(const std::string& ind, std::vector<std::string> codes, const std::string& month = "2026-06", const std::string& ca = "Gov CA") {
  Row r;
  r.signature = ind == "ERROR" ? "" : "sig1";
  r.indication = ind;
  r.codes = std::move(codes);
  r.month = month;
  r.issuer_ca = ca;
  r.pki = "test-gov";
  r.organization = "So TTTT";
  for (const auto& c : r.codes) r.evidence[c] = {{"k", c}};
  return r;
}

std::vector<FileResult> corpus() {
  std::vector<FileResult> files;
  for (int i = 0; i < 40; ++i) {
    std::string folder = (i % 2 ? "portal-a/xa-" : "portal-b/phuong-") + std::to_string(i % 5);
    std::string path = folder + "/f" + std::to_string(i) + ".pdf";
    if (i % 7 == 0) files.push_back(file(path, folder, {row("ERROR", {"INPUT_NOT_PDF"}, "", "")}, "INPUT_NOT_PDF"));
    else if (i % 5 == 0) files.push_back(file(path, folder, {row("TOTAL_FAILED", {"DIGEST_MISMATCH", "REVOCATION_NOT_CHECKED"}, "2025-0" + std::to_string(1 + i % 9))}));
    else if (i % 3 == 0) files.push_back(file(path, folder, {row("INDETERMINATE", {"CERT_EXPIRED_AT_SIGNING_TIME"}), row("TOTAL_PASSED", {"TIMESTAMP_VALID"})}));
    else files.push_back(file(path, folder, {row("TOTAL_PASSED", {"REVOCATION_NOT_CHECKED"}, "2026-0" + std::to_string(1 + i % 6), i % 2 ? "Gov CA" : "Public CA")}));
  }
  return files;
}

TEST(Aggregate, MergeOfChunksEqualsOneRunInAnyGrouping) {
  auto files = corpus();
  Aggregate whole(3);
  for (const auto& f : files) whole.add(f);
  const std::string expected = whole.to_json();

  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::vector<FileResult> shuffled = files;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    std::vector<Aggregate> chunks;
    for (size_t i = 0; i < shuffled.size();) {
      size_t n = 1 + rng() % 9;
      Aggregate a(3);
      for (size_t k = 0; k < n && i < shuffled.size(); ++k, ++i) a.add(shuffled[i]);
      chunks.push_back(std::move(a));
    }
    // Left fold, right fold, and through JSON (as Dask transfers them).
    Aggregate left(3), right(3);
    for (const auto& c : chunks) left.merge(c);
    for (auto it = chunks.rbegin(); it != chunks.rend(); ++it) {
      Aggregate tmp = *it;
      tmp.merge(right);
      right = std::move(tmp);
    }
    Aggregate via_json = Aggregate::from_json(Aggregate(3).to_json());
    for (const auto& c : chunks) via_json.merge(Aggregate::from_json(c.to_json(-1)));
    EXPECT_EQ(left.to_json(), expected);
    EXPECT_EQ(right.to_json(), expected);
    EXPECT_EQ(via_json.to_json(), expected);
  }
}

TEST(Aggregate, CountsRanksAndBoundsExamples) {
  Aggregate a(2);
  for (const auto& f : corpus()) a.add(f);
  EXPECT_EQ(a.files(), 40u);
  // i in 0..39: unreadable when i%7==0 (0,7,..,35: 6), failed when i%5==0 otherwise (5,..,30: 6).
  EXPECT_EQ(a.by_indication().at("ERROR"), 6u);
  EXPECT_EQ(a.by_indication().at("TOTAL_FAILED"), 6u);
  EXPECT_EQ(a.by_code().at("INPUT_NOT_PDF").files, 6u);
  EXPECT_EQ(a.by_code().at("DIGEST_MISMATCH").first_month, "2025-02");  // i=10: 1 + 10 % 9
  EXPECT_EQ(a.by_code().at("DIGEST_MISMATCH").last_month, "2025-08");   // i=25
  for (const auto& [code, list] : a.examples()) {
    EXPECT_LE(list.size(), 2u) << code;
    EXPECT_NE(code, "TIMESTAMP_VALID");  // info findings are not causes
  }
  EXPECT_EQ(a.examples().at("DIGEST_MISMATCH").front().indication, "TOTAL_FAILED");
  a.mark_incomplete();
  Aggregate b(2);
  b.merge(a);
  EXPECT_FALSE(b.complete());
  EXPECT_NE(a.to_html("vi").find("CHƯA ĐẦY ĐỦ"), std::string::npos);
}

TEST(Aggregate, BadJsonIsATypedError) {
  EXPECT_EQ(code_of([] { Aggregate::from_json("{\"schema\":\"other\"}"); }), "DIAGNOSE_JSON_INVALID");
  EXPECT_EQ(code_of([] { Aggregate::from_json("not json"); }), "DIAGNOSE_JSON_INVALID");
  EXPECT_EQ(code_of([] { FileResult::from_json("{\"path\":1}"); }), "DIAGNOSE_JSON_INVALID");
}

// Found by the fuzzing campaign: a size of 3.5e19 (a JSON float) was converted to uint64_t without a
// range check (undefined behaviour). Floats are refused wherever counts are read back.
TEST(Aggregate, FloatsWhereIntegersBelongAreATypedError) {
  const std::string line = R"({"folder":".","path":"a.pdf","mtime":1,"rows":[],"size":35622222222222222274})";
  EXPECT_EQ(code_of([&] { FileResult::from_json(line); }), "DIAGNOSE_JSON_INVALID");
  EXPECT_EQ(code_of([] { FileResult::from_json(R"({"folder":".","path":"a.pdf","mtime":-1.0,"rows":[],"size":1})"); }),
            "DIAGNOSE_JSON_INVALID");
  EXPECT_NO_THROW(FileResult::from_json(R"({"folder":".","path":"a.pdf","mtime":1,"rows":[],"size":1})"));
  Aggregate a(2);
  std::string text = a.to_json(-1, R"({"elapsed_seconds":1.5})");  // a real number in "run" is fine
  EXPECT_NO_THROW(Aggregate::from_json(text));
  const auto at = text.find("\"files\":0");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 9, "\"files\":1e300");
  EXPECT_EQ(code_of([&] { Aggregate::from_json(text); }), "DIAGNOSE_JSON_INVALID");
}

TEST(FileResult, JsonLineRoundTrips) {
  FileResult f = corpus()[5];
  FileResult g = FileResult::from_json(f.to_json());
  EXPECT_EQ(g.to_json(), f.to_json());
  EXPECT_EQ(f.to_json().find('\n'), std::string::npos);
  EXPECT_NE(csv_rows(f).find(",portal-a/xa-0,pdf,sig1,TOTAL_FAILED,,DIGEST_MISMATCH;REVOCATION_NOT_CHECKED,"), std::string::npos);
}

// ---- discovery ----
TEST(Discovery, FoldersGlobsZipsAndMissingPaths) {
  fs::path dir = fs::temp_directory_path() / ("libsign-discover-" + std::to_string(::getpid()));
  fs::create_directories(dir / "portal/xa-1");
  std::ofstream(dir / "portal/xa-1/b.pdf") << "x";
  std::ofstream(dir / "portal/a.pdf") << "x";
  std::ofstream(dir / "top.pdf") << "x";
  std::ofstream(dir / "portal/bundle.zip", std::ios::binary) << make_zip({{"ho-so/1.pdf", "%PDF"}, {"2.pdf", "%PDF"}});
  std::ofstream(dir / "broken.zip") << "PK not really";

  auto items = discover({dir.string() + "/portal"});
  std::vector<std::string> paths;
  for (const auto& i : items) paths.push_back(i.path.substr(dir.string().size() + 1));
  EXPECT_EQ(paths, (std::vector<std::string>{"portal/a.pdf", "portal/bundle.zip!2.pdf", "portal/bundle.zip!ho-so/1.pdf", "portal/xa-1/b.pdf"}));

  auto globbed = discover({dir.string() + "/*.zip", dir.string() + "/nope.pdf"});
  ASSERT_EQ(globbed.size(), 2u);
  EXPECT_EQ(globbed[0].error, "ARCHIVE_INVALID");
  EXPECT_EQ(globbed[1].error, "INPUT_UNREADABLE");

  // Folders are relative to the input they were found under.
  Verifier verifier;
  FileResult member = diagnose_item(verifier, items[2]);
  EXPECT_EQ(member.folder, "bundle.zip/ho-so");
  EXPECT_EQ(member.rows.at(0).indication, "ERROR");  // "%PDF" alone is no readable PDF
  EXPECT_EQ(diagnose_item(verifier, items[3]).folder, "xa-1");
  EXPECT_EQ(diagnose_item(verifier, globbed[0]).rows.at(0).codes, std::vector<std::string>{"ARCHIVE_INVALID"});

  // Unexpanded items (as a Dask worker gets them) expand to the same members.
  auto plain = discover({dir.string() + "/portal"}, false);
  EXPECT_EQ(plain.size(), 3u);
  EXPECT_EQ(expand_archives(plain).size(), items.size());
  fs::remove_all(dir);
}

TEST(Discovery, TheContentOfADetachedSignatureIsNoDossierOfItsOwn) {
  fs::path dir = fs::temp_directory_path() / ("libsign-discover-p7s-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const char* name : {"ban-ve.dwg", "ban-ve.dwg.p7s", "to-trinh.docx"}) std::ofstream(dir / name) << "x";
  std::vector<std::string> names;
  for (const auto& i : discover({dir.string()})) names.push_back(fs::path(i.path).filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"ban-ve.dwg.p7s", "to-trinh.docx"}));
  fs::remove_all(dir);
}

TEST(Run, StateFileResumesAndCancelMarksIncomplete) {
  fs::path dir = fs::temp_directory_path() / ("libsign-run-" + std::to_string(::getpid()));
  fs::create_directories(dir / "xa");
  for (int i = 0; i < 12; ++i) std::ofstream(dir / "xa" / ("f" + std::to_string(i) + ".pdf")) << "not a pdf " << i;
  auto items = discover({dir.string()});
  Options options;
  options.jobs = 3;
  options.state_path = (dir.string() + ".state");
  std::vector<std::string> seen;
  RunResult first = run(items, options, [&](const FileResult& f) { seen.push_back(f.path); });
  EXPECT_EQ(seen.size(), 12u);
  EXPECT_EQ(first.resumed, 0u);
  EXPECT_TRUE(first.aggregate.complete());
  EXPECT_EQ(first.aggregate.by_code().at("INPUT_NOT_PDF").files, 12u);
  RunResult second = run(items, options);
  EXPECT_EQ(second.resumed, 12u);
  EXPECT_EQ(second.aggregate.to_json(), first.aggregate.to_json());
  // A changed file is verified again.
  std::ofstream(dir / "xa" / "f3.pdf", std::ios::app) << "more";
  EXPECT_EQ(run(items, options).resumed, 11u);

  std::atomic<bool> cancel{true};
  Options stopped;
  stopped.cancel = &cancel;
  RunResult none = run(items, stopped);
  EXPECT_TRUE(none.interrupted);
  EXPECT_FALSE(none.aggregate.complete());
  EXPECT_EQ(none.aggregate.files(), 0u);
  fs::remove_all(dir);
  fs::remove(options.state_path);
}

}  // namespace
}  // namespace libsign::diagnose
