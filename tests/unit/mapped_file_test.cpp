// core::MappedFile reads small files and maps large ones: the bytes are the file's either way.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "core/mapped_file.hpp"
#include "libsign/error.hpp"

namespace libsign {
namespace {

namespace fs = std::filesystem;

std::string write_file(const std::string& name, const std::string& content) {
  fs::path path = fs::temp_directory_path() / ("libsign-mapped-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

std::string pattern(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 7919) >> 3);
  return out;
}

TEST(MappedFile, SmallAndLargeFilesGiveTheirBytes) {
  // Both sides of the read/map threshold (2 MiB), and the sizes around it.
  for (size_t size : {size_t{0}, size_t{1}, size_t{34513}, (size_t{2} << 20) - 1, size_t{2} << 20, (size_t{5} << 20) + 3}) {
    const std::string content = pattern(size);
    const std::string path = write_file(std::to_string(size), content);
    {
      core::MappedFile file(path);
      EXPECT_EQ(file.bytes().size(), size);
      EXPECT_TRUE(file.bytes() == content) << size;
      EXPECT_GE(file.fd(), 0);
    }
    fs::remove(path);
  }
}

TEST(MappedFile, MissingFilesAndFoldersAreTypedErrors) {
  for (const std::string& path : {std::string("/nonexistent/libsign.pdf"), fs::temp_directory_path().string()}) {
    try {
      core::MappedFile file(path);
      FAIL() << path;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "INPUT_UNREADABLE") << path;
    }
  }
}

}  // namespace
}  // namespace libsign
