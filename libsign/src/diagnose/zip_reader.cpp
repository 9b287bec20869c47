#include "diagnose/zip_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cerrno>
#include <cstring>

#include "libsign/error.hpp"

namespace libsign::diagnose {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50, kCentralHeader = 0x02014b50, kEnd = 0x06054b50;
constexpr uint32_t kZip64End = 0x06064b50, kZip64Locator = 0x07064b50;

[[noreturn]] void invalid(const std::string& why) {
  throw Error(ErrorCategory::format, "ARCHIVE_INVALID", "damaged ZIP archive: " + why);
}

// Little-endian reads with bounds checks against a buffer.
struct Cursor {
  std::string_view data;
  size_t pos = 0;
  uint64_t le(size_t n) {
    if (pos + n > data.size()) invalid("record cut short");
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= uint64_t(static_cast<unsigned char>(data[pos + i])) << (8 * i);
    pos += n;
    return v;
  }
  uint16_t u16() { return static_cast<uint16_t>(le(2)); }
  uint32_t u32() { return static_cast<uint32_t>(le(4)); }
  uint64_t u64() { return le(8); }
  std::string_view take(size_t n) {
    if (pos + n > data.size()) invalid("record cut short");
    std::string_view v = data.substr(pos, n);
    pos += n;
    return v;
  }
};

// A ZIP64 extended-information extra field replaces the 32-bit values that are 0xFFFFFFFF, in order.
void apply_zip64_extra(std::string_view extra, ZipEntry& e, bool usize, bool csize, bool offset) {
  Cursor c{extra};
  while (c.pos + 4 <= extra.size()) {
    uint16_t id = c.u16(), len = c.u16();
    Cursor field{c.take(len)};
    if (id != 0x0001) continue;
    if (usize) e.size = field.u64();
    if (csize) e.compressed_size = field.u64();
    if (offset) e.local_offset = field.u64();
    return;
  }
  if (usize || csize || offset) invalid("ZIP64 sizes missing");
}

std::string inflate_raw(std::string_view in, uint64_t expected) {
  std::string out(expected, '\0');
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw Error(ErrorCategory::crypto_backend, "UNEXPECTED_ERROR", "zlib init failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(expected);
  int rc = inflate(&z, Z_FINISH);
  uint64_t produced = z.total_out;
  // Output beyond the declared size would not fit in avail_out: zlib stops with Z_BUF_ERROR/Z_OK.
  bool more = rc != Z_STREAM_END;
  inflateEnd(&z);
  if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_MEM_ERROR) invalid("bad deflate data");
  if (more && z.avail_in == 0 && produced < expected) invalid("deflate data cut short");
  if (more) throw Error(ErrorCategory::format, "ARCHIVE_LIMIT_EXCEEDED", "a ZIP member inflates beyond its declared size");
  if (produced != expected) invalid("member shorter than declared");
  return out;
}

}  // namespace

ZipArchive::ZipArchive(ZipArchive&& o) noexcept { *this = std::move(o); }
ZipArchive& ZipArchive::operator=(ZipArchive&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(o.path_);
    bytes_ = o.bytes_;
    fd_ = o.fd_;
    size_ = o.size_;
    limits_ = o.limits_;
    entries_ = std::move(o.entries_);
    o.fd_ = -1;
  }
  return *this;
}
ZipArchive::~ZipArchive() {
  if (fd_ >= 0) ::close(fd_);
}

bool ZipArchive::looks_like_zip(std::string_view head) {
  return head.size() >= 4 && head[0] == 'P' && head[1] == 'K' &&
         ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
}

ZipArchive ZipArchive::from_bytes(std::string_view bytes, const ZipLimits& limits) {
  ZipArchive a;
  a.bytes_ = bytes;
  a.size_ = bytes.size();
  a.limits_ = limits;
  a.read_directory();
  return a;
}

ZipArchive ZipArchive::open(const std::string& path, const ZipLimits& limits) {
  ZipArchive a;
  a.path_ = path;
  a.limits_ = limits;
  a.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st{};
  if (a.fd_ < 0 || ::fstat(a.fd_, &st) != 0)
    throw Error(ErrorCategory::io, "INPUT_UNREADABLE", "cannot read the archive '" + path + "'", errno);
  a.size_ = static_cast<uint64_t>(st.st_size);
  a.read_directory();
  return a;
}

std::string ZipArchive::read_at(uint64_t offset, uint64_t length) const {
  if (offset > size_ || length > size_ - offset) invalid("record outside the file");
  if (fd_ < 0) return std::string(bytes_.substr(offset, length));
  std::string out(length, '\0');
  uint64_t got = 0;
  while (got < length) {
    ssize_t n = ::pread(fd_, out.data() + got, length - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(ErrorCategory::io, "INPUT_UNREADABLE", "cannot read the archive", errno);
    got += static_cast<uint64_t>(n);
  }
  return out;
}

void ZipArchive::read_directory() {
  // The end record is in the last 22 + 65535 (comment) bytes.
  if (size_ < 22) invalid("too short for a ZIP end record");
  uint64_t tail_len = std::min<uint64_t>(size_, 22 + 65535);
  std::string tail = read_at(size_ - tail_len, tail_len);
  size_t end = std::string::npos;
  for (size_t i = tail.size() - 22 + 1; i-- > 0;) {
    if (Cursor{tail, i}.u32() == kEnd) { end = i; break; }
  }
  if (end == std::string::npos) invalid("no end-of-central-directory record");
  Cursor e{tail, end + 4};
  uint16_t disk = e.u16(), cd_disk = e.u16();
  uint64_t count_here = e.u16(), count = e.u16(), cd_size = e.u32(), cd_offset = e.u32();
  if (disk != 0 || cd_disk != 0 || count_here != count) throw Error(ErrorCategory::format, "ARCHIVE_MEMBER_UNSUPPORTED", "multi-part ZIP archives are not read");
  if (count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
    uint64_t end_abs = size_ - tail_len + end;
    if (end_abs < 20) invalid("ZIP64 locator missing");
    std::string loc = read_at(end_abs - 20, 20);
    Cursor l{loc};
    if (l.u32() != kZip64Locator) invalid("ZIP64 locator missing");
    l.u32();
    uint64_t z64 = l.u64();
    std::string rec = read_at(z64, 56);
    Cursor z{rec};
    if (z.u32() != kZip64End) invalid("ZIP64 end record missing");
    z.u64(); z.u16(); z.u16(); z.u32(); z.u32(); z.u64();
    count = z.u64();
    cd_size = z.u64();
    cd_offset = z.u64();
  }
  if (count > limits_.max_entries) throw Error(ErrorCategory::format, "ARCHIVE_LIMIT_EXCEEDED", "too many ZIP members");
  // Every central header is at least 46 bytes: a count that cannot fit is a lie.
  if (cd_size > size_ || cd_offset > size_ - cd_size || count * 46 > cd_size) invalid("central directory outside the file");
  std::string cd = read_at(cd_offset, cd_size);
  Cursor c{cd};
  uint64_t total = 0;
  entries_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (c.u32() != kCentralHeader) invalid("bad central directory header");
    ZipEntry entry;
    c.u16(); c.u16();
    entry.flags = c.u16();
    entry.method = c.u16();
    entry.dos_date = static_cast<uint16_t>(c.u32() >> 16);  // time (low half), date (high half)
    entry.crc32 = c.u32();
    entry.compressed_size = c.u32();
    entry.size = c.u32();
    uint16_t name_len = c.u16(), extra_len = c.u16(), comment_len = c.u16();
    c.u16(); c.u16(); c.u32();
    entry.local_offset = c.u32();
    entry.name = std::string(c.take(name_len));
    std::string_view extra = c.take(extra_len);
    c.take(comment_len);
    apply_zip64_extra(extra, entry, entry.size == 0xFFFFFFFF, entry.compressed_size == 0xFFFFFFFF,
                      entry.local_offset == 0xFFFFFFFF);
    if (!entry.name.empty() && entry.name.back() == '/') continue;  // a folder
    total += entry.size;
    if (total > limits_.max_total_bytes) throw Error(ErrorCategory::format, "ARCHIVE_LIMIT_EXCEEDED", "the ZIP archive declares too much data");
    entries_.push_back(std::move(entry));
  }
}

std::string ZipEntry::month() const {
  unsigned year = 1980u + (dos_date >> 9), month = (dos_date >> 5) & 0xF;
  if (dos_date == 0 || month < 1 || month > 12) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04u-%02u", year, month);
  return buf;
}

std::string ZipArchive::read(size_t index) const {
  const ZipEntry& e = entries_.at(index);
  if (e.flags & 1) throw Error(ErrorCategory::format, "ARCHIVE_MEMBER_UNSUPPORTED", "the ZIP member is encrypted");
  if (e.method != 0 && e.method != 8) throw Error(ErrorCategory::format, "ARCHIVE_MEMBER_UNSUPPORTED", "unsupported ZIP compression method");
  if (e.size > limits_.max_member_bytes || e.compressed_size > limits_.max_member_bytes + (1u << 20)) throw Error(ErrorCategory::format, "ARCHIVE_LIMIT_EXCEEDED", "the ZIP member is too large");
  if (e.size > (1u << 20) && e.size / std::max<uint64_t>(e.compressed_size, 1) > limits_.max_ratio)
    throw Error(ErrorCategory::format, "ARCHIVE_LIMIT_EXCEEDED", "the ZIP member compresses suspiciously well (zip bomb)");
  std::string header = read_at(e.local_offset, 30);
  Cursor h{header};
  if (h.u32() != kLocalHeader) invalid("bad local header");
  h.pos = 26;
  uint64_t data_offset = e.local_offset + 30 + h.u16();
  data_offset += h.u16();
  std::string stored = read_at(data_offset, e.compressed_size);
  std::string out;
  if (e.method == 0) {
    if (e.compressed_size != e.size) invalid("stored member sizes differ");
    out = std::move(stored);
  } else {
    out = inflate_raw(stored, e.size);
  }
  uLong crc = ::crc32(0L, Z_NULL, 0);
  // crc32 takes uInt lengths: feed in chunks for members above 4 GiB.
  for (size_t pos = 0; pos < out.size();) {
    size_t n = std::min<size_t>(out.size() - pos, 1u << 30);
    crc = ::crc32(crc, reinterpret_cast<const Bytef*>(out.data() + pos), static_cast<uInt>(n));
    pos += n;
  }
  if (static_cast<uint32_t>(crc) != e.crc32) invalid("CRC mismatch in '" + e.name + "'");
  return out;
}

}  // namespace libsign::diagnose
