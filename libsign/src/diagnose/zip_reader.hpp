// A small read-only ZIP reader: the central directory (ZIP64 too) and members stored or deflated,
// read in memory with bounded sizes. Hostile archives raise typed errors, never crash:
// ARCHIVE_INVALID (damaged structure, CRC mismatch), ARCHIVE_LIMIT_EXCEEDED (zip-bomb limits),
// ARCHIVE_MEMBER_UNSUPPORTED (encrypted member, compression other than stored/deflate).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libsign/diagnose.hpp"

namespace libsign::diagnose {

struct ZipEntry {
  std::string name;
  uint16_t flags = 0, method = 0;
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0, size = 0, local_offset = 0;
  uint16_t dos_date = 0;  // last modification date, MS-DOS format (local time of the machine that zipped)

  // "YYYY-MM" of dos_date; empty when not a valid date.
  std::string month() const;
};

class ZipArchive {
 public:
  // Reads the central directory of the archive in `bytes` (the reader keeps a view: the caller
  // keeps the bytes alive) or of the file at `path` (kept open; members are read with pread).
  static ZipArchive from_bytes(std::string_view bytes, const ZipLimits& limits = {});
  static ZipArchive open(const std::string& path, const ZipLimits& limits = {});
  ZipArchive(ZipArchive&&) noexcept;
  ZipArchive& operator=(ZipArchive&&) noexcept;
  ~ZipArchive();

  const std::vector<ZipEntry>& entries() const { return entries_; }
  const std::string& path() const { return path_; }  // empty when read from memory
  // The uncompressed member (thread-safe: no shared file position).
  std::string read(size_t index) const;

  // True when the first bytes are a ZIP local header or an empty archive's end record.
  static bool looks_like_zip(std::string_view head);

 private:
  ZipArchive() = default;
  void read_directory();
  std::string read_at(uint64_t offset, uint64_t length) const;

  std::string path_;
  std::string_view bytes_;  // when reading from memory
  int fd_ = -1;             // when reading from a file
  uint64_t size_ = 0;
  ZipLimits limits_;
  std::vector<ZipEntry> entries_;
};

}  // namespace libsign::diagnose
