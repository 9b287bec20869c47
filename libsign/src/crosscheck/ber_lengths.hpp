// Indefinite lengths (BER, as NSS writes CMS: poppler's pdfsig, Firefox) rewritten as definite ones,
// so that Botan 2's decoder, which fails on them ("Value truncated"), reads the same structure.
// Only the headers of indefinite-length elements (and of the elements around them) change; every
// element without an indefinite length inside is copied byte for byte — signed attributes and
// certificates stay exactly as written. Our own walk: OpenSSL's re-encoding is never used.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace libsign::crosscheck {

// The first element of `ber` with definite lengths, followed by whatever came after it unchanged;
// nullopt when the element is malformed (the caller then lets Botan read the bytes as given).
// `top_children` >= 0: the first element ends after that many children even without its
// end-of-contents octets (a ContentInfo has two; OpenSSL reads no further either).
std::optional<std::string> with_definite_lengths(std::string_view ber, int top_children = -1);

}  // namespace libsign::crosscheck
