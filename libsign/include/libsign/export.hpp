// libsign — LIBSIGN_API marks what the shared library exports. The library is compiled with
// -fvisibility=hidden, so every other symbol (the internal modules under libsign/src) stays private to
// it and its ABI is the public headers only (docs/packaging.md). Static linking is unaffected.
#pragma once
#if defined(__GNUC__) || defined(__clang__)
#define LIBSIGN_API __attribute__((visibility("default")))
#else
#define LIBSIGN_API
#endif
