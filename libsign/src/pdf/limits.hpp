// libsign pdf — hard limits that keep hostile input from exhausting stack, memory or time.
#pragma once
#include <cstddef>
#include <cstdint>

namespace libsign::pdf::limits {

constexpr int kMaxNesting = 64;                           // arrays/dicts inside each other
constexpr int kMaxResolveChain = 32;                      // "1 0 obj 2 0 R endobj" chains
constexpr int kMaxLoadDepth = 16;                         // object -> /Length -> object stream -> ...
constexpr size_t kMaxRevisions = 4096;                    // length of the /Prev chain
constexpr uint32_t kMaxObjects = 8 * 1024 * 1024;         // /Size and object numbers
constexpr size_t kMaxDecoded = 64u * 1024 * 1024;         // one decoded stream
constexpr size_t kHeaderWindow = 1024;                    // %PDF- must start within this many bytes
constexpr size_t kTailWindow = 2048;                      // startxref / %%EOF must be this close to the end
constexpr size_t kMaxObjStmObjects = 1024 * 1024;         // /N of an object stream
constexpr size_t kMaxEncryptValues = 4096;                 // values in the /Encrypt dictionary, all levels

}  // namespace libsign::pdf::limits
