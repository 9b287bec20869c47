// A document timestamp is laid out like a signature (pdf_signer.cpp): an incremental update with the
// signature value, its merged field/widget, the page's /Annots and the form's /Fields; /ByteRange and
// /Contents are fixed-width placeholders filled once the update's bytes are final. Only what the
// change analysis counts as an LTV update is written, so earlier signatures keep LTV_UPDATES.
#include "sign/document_timestamp.hpp"

#include "sign/pdf_form.hpp"
#include "sign/pdf_layout.hpp"

#include <openssl/evp.h>

#include <map>
#include <optional>

#include "cms/digests.hpp"
#include "cms/timestamp.hpp"
#include "core/byte_source.hpp"
#include "core/encoding.hpp"
#include "core/mapped_file.hpp"
#include "pdf/fields.hpp"
#include "pdf/pages.hpp"
#include "pdf/writer.hpp"
#include "pki/openssl_ptr.hpp"
#include "sign/appearance.hpp"
#include "sign/atomic_output.hpp"
#include "sign/timestamp_client.hpp"

namespace libsign::sign {
namespace {

using pdf::ObjPtr;
using pdf::Ref;

// Room for a ByteRange of four numbers of up to ten digits (files below 10 GB).
const std::string kByteRangePlaceholder = "[0 0000000000 0000000000 0000000000]";
// A token with its TSA certificate and chain is typically 3 to 8 KB.
constexpr size_t kEstimatedTokenBytes = 12 * 1024;

using sign::Layout;

// The token for the laid-out file: the original bytes, the separator, the update without /Contents.
using Requester = std::function<std::string(const core::ByteSource&, const std::string& separator, const Layout&)>;

std::string field_name(const pdf::Document& doc, size_t last) {
  std::vector<pdf::FormField> fields = pdf::form_fields(doc, last);
  for (int n = 1;; ++n) {
    std::string name = "DocTimeStamp" + std::to_string(n);
    bool used = false;
    for (const auto& f : fields) used = used || f.name == name;
    if (!used) return name;
  }
}

// The update with placeholders; `contents_bytes` is the room for the token.
Layout prepare(const pdf::Document& doc, size_t base, size_t contents_bytes) {
  const size_t last = doc.last_revision();
  std::vector<Ref> pages = pdf::page_list(doc, last);
  if (pages.empty()) throw Error(ErrorCategory::format, "PDF_MALFORMED", "the document has no page");
  const Ref page_ref = pages.front();

  pdf::IncrementalUpdate update(doc);
  const Ref value_ref = update.allocate();
  update.put(value_ref, "<</Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161\n/ByteRange " +
                            kByteRangePlaceholder + "\n/Contents <" + std::string(contents_bytes * 2, '0') +
                            ">\n/Prop_Build <</App <</Name /libsign>>>>>>");

  // An invisible merged field/widget (Print + Locked) with an empty appearance.
  const Ref ap = add_appearance(update, 0, 0, AppearanceText{}, nullptr);
  const Ref widget_ref = update.allocate();
  update.put(widget_ref, "<</Type /Annot /Subtype /Widget /FT /Sig /T " + pdf::text_string(field_name(doc, last)) + "\n/V " +
                             pdf::to_string(value_ref) + " /F 132 /Rect [0 0 0 0]\n/P " + pdf::to_string(page_ref) +
                             " /AP <</N " + pdf::to_string(ap) + ">>>>");

  register_widget(update, doc, widget_ref, page_ref);

  Layout layout;
  layout.base = base;
  std::map<Ref, size_t> offsets;
  layout.update = update.render(base, &offsets);
  const size_t value_at = offsets.at(value_ref) - base;
  const size_t byte_range_at = layout.update.find("/ByteRange " + kByteRangePlaceholder, value_at) + std::string("/ByteRange ").size();
  layout.contents_at = layout.update.find("/Contents <", value_at) + std::string("/Contents ").size();
  layout.contents_hex = contents_bytes * 2;
  // Everything but the /Contents string, its '<' and '>' included in the hole.
  const size_t hole_start = base + layout.contents_at, hole_end = base + (layout.contents_at + layout.contents_hex + 2);
  std::string ranges = "[0 " + std::to_string(hole_start) + " " + std::to_string(hole_end) + " " +
                       std::to_string(layout.total() - hole_end);
  if (ranges.size() + 1 > kByteRangePlaceholder.size())
    throw Error(ErrorCategory::usage, "INPUT_TOO_LARGE", "files of 10 GB or more cannot be time-stamped");
  ranges.resize(kByteRangePlaceholder.size() - 1, ' ');
  ranges += "]";
  layout.update.replace(byte_range_at, ranges.size(), ranges);
  return layout;
}

Requester from_source(const TimestampTokenSource& token_for) {
  return [&token_for](const core::ByteSource& original, const std::string& separator, const Layout& layout) {
    const std::string digest = sign::digest_signed(original, separator, layout);
    std::string token = token_for(digest);
    cms::TimestampToken parsed = cms::read_timestamp_token(token);
    if (!parsed.parsed || !parsed.signature_valid || parsed.imprint != digest)
      throw Error(ErrorCategory::network, "TSA_RESPONSE_INVALID",
                  "the timestamp token is not usable for this document: " +
                      (parsed.error.empty() ? std::string("it covers other data") : parsed.error));
    return token;
  };
}

Requester from_tsa(const TsaOptions& tsa) {
  if (tsa.url.empty()) throw Error(ErrorCategory::usage, "TSA_URL_MISSING", "a document timestamp needs a time-stamping authority URL");
  return [&tsa](const core::ByteSource& original, const std::string& separator, const Layout& layout) {
    // Hashed in place (large ranges of a file with pread), never gathered in memory.
    return request_timestamp_for_digest(tsa, sign::digest_signed(original, separator, layout));
  };
}

// Lays out with the estimated room and, when the token is larger, once more with room for it.
// `finish` writes the result for a token that fits.
template <typename Finish>
void timestamp(const pdf::Document& doc, const core::ByteSource& original, const Requester& request, Finish finish) {
  const std::string separator = pdf::needs_separator(original.bytes) ? "\n" : "";
  size_t room = kEstimatedTokenBytes;
  for (int tries = 0; tries < 2; ++tries) {
    Layout layout = prepare(doc, original.bytes.size() + separator.size(), room);
    std::string token = request(original, separator, layout);
    if (token.size() * 2 > layout.contents_hex) {
      room = token.size() + 1024;
      continue;
    }
    sign::fill_contents(layout, token);
    finish(separator, layout);
    return;
  }
  throw Error(ErrorCategory::crypto_backend, "CONTENTS_TOO_SMALL", "the timestamp token does not fit in the space reserved for it");
}

std::string in_memory(std::string_view pdf, const Requester& request) {
  pdf::Document doc = pdf::Document::open(pdf);
  std::string result;
  timestamp(doc, core::ByteSource{pdf}, request, [&](const std::string& separator, const Layout& layout) {
    result.reserve(layout.total());
    result.assign(pdf.data(), pdf.size());
    result += separator;
    result += layout.update;
  });
  return result;
}

void to_file(const std::string& input, const std::string& output, const Requester& request, bool allow_overwrite) {
  if (input == output && !allow_overwrite)
    throw Error(ErrorCategory::usage, "OUTPUT_IS_INPUT", "the output would replace the input; choose another output file");
  core::MappedFile file(input);
  pdf::Document doc = pdf::Document::open(file.bytes());
  timestamp(doc, core::ByteSource{file.bytes(), file.fd()}, request, [&](const std::string& separator, const Layout& layout) {
    AtomicOutput out(output);
    out.copy_from(file.fd(), file.bytes().size());
    out.write(separator);
    out.write(layout.update);
    out.commit();
  });
}

}  // namespace

std::string add_document_timestamp(std::string_view pdf, const TsaOptions& tsa) { return in_memory(pdf, from_tsa(tsa)); }

std::string add_document_timestamp(std::string_view pdf, const TimestampTokenSource& token_for) {
  return in_memory(pdf, from_source(token_for));
}

void add_document_timestamp_file(const std::string& input, const std::string& output, const TsaOptions& tsa, bool allow_overwrite) {
  to_file(input, output, from_tsa(tsa), allow_overwrite);
}

void add_document_timestamp_file(const std::string& input, const std::string& output, const TimestampTokenSource& token_for,
                                 bool allow_overwrite) {
  to_file(input, output, from_source(token_for), allow_overwrite);
}

}  // namespace libsign::sign
