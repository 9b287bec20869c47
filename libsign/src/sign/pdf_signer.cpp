// Signing a PDF: an incremental update adds the signature field, its widget and the signature
// dictionary; the bytes around /Contents are hashed, the CMS (PAdES B-B, or B-T with a TSA token)
// is made by the Signer, and written into /Contents. Nothing before the update changes.
#include <chrono>
#include <cstdio>
#include <ctime>

#include "cms/builder.hpp"
#include "cms/digests.hpp"
#include "core/encoding.hpp"
#include "core/mapped_file.hpp"
#include "libsign/sign.hpp"
#include "pdf/fields.hpp"
#include "pdf/pages.hpp"
#include "pdf/signatures.hpp"
#include "pdf/writer.hpp"
#include "pki/certificate.hpp"
#include "sign/appearance.hpp"
#include "sign/atomic_output.hpp"
#include "sign/pdf_form.hpp"
#include "sign/pdf_layout.hpp"
#include "sign/timestamp_client.hpp"

namespace libsign {
namespace {

using pdf::ObjPtr;
using pdf::Ref;

// Room for a ByteRange of four numbers of up to ten digits (files below 10 GB).
const std::string kByteRangePlaceholder = "[0 0000000000 0000000000 0000000000]";

using sign::Layout;

[[noreturn]] void usage(const char* code, const std::string& message) { throw Error(ErrorCategory::usage, code, message); }

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// The signer's name and organisation for /Name and the appearance; decoded once per certificate
// (decoding costs as much as the RSA signature itself with OpenSSL 3.0).
CertificateInfo signer_identity(const Signer& signer) {
  thread_local std::string last_der;
  thread_local CertificateInfo last;
  const std::string& der = signer.certificates().front();
  if (der != last_der) {
    auto certs = pki::parse_certificates(der);
    if (certs.empty()) usage("KEY_FILE_INVALID", "the signer's certificate cannot be read");
    last = pki::describe(certs.front().get());
    last_der = der;
  }
  return last;
}

struct Target {
  std::string name;
  std::optional<pdf::FormField> existing;  // an empty signature field to fill
};

Target choose_field(const pdf::Document& doc, size_t last, const SignOptions& options) {
  std::vector<pdf::FormField> fields = pdf::form_fields(doc, last);
  auto find = [&](const std::string& name) -> const pdf::FormField* {
    for (const auto& f : fields)
      if (f.name == name) return &f;
    return nullptr;
  };
  Target target;
  if (!options.field_name.empty()) {
    target.name = options.field_name;
    if (const pdf::FormField* f = find(options.field_name)) {
      if (f->type != "Sig") usage("FIELD_NOT_SIGNATURE", "the field '" + f->name + "' is not a signature field");
      if (f->value) usage("FIELD_NAME_IN_USE", "the signature field '" + f->name + "' is already signed");
      if (!f->ref || f->widgets.empty() || f->widgets.front() != *f->ref)
        usage("FIELD_NOT_SIGNATURE", "the field '" + f->name + "' has separate widgets; libsign fills only merged field-widgets");
      target.existing = *f;
    }
    return target;
  }
  for (int n = 1;; ++n) {
    target.name = "Signature" + std::to_string(n);
    if (!find(target.name)) return target;
  }
}

void check_docmdp(const std::vector<pdf::SignatureField>& signatures, const SignOptions& options) {
  if (options.certify) {
    if (*options.certify < 1 || *options.certify > 3) usage("CERTIFY_LEVEL_INVALID", "DocMDP P must be 1, 2 or 3");
    if (!signatures.empty())
      usage("CERTIFY_NOT_FIRST", "a certification signature must be the first signature of the document");
  }
  for (const auto& s : signatures)
    if (s.is_certification && s.docmdp_permissions == 1)
      usage("DOCMDP_FORBIDS_SIGNING", "the document is certified with DocMDP P=1: no further signature is allowed");
}

}  // namespace

namespace sign {

Layout prepare_layout(const pdf::Document& doc, size_t base, const Signer& signer, const SignOptions& options,
                      size_t contents_bytes, long long signing_time) {
  const size_t last = doc.last_revision();
  check_docmdp(pdf::find_signatures(doc), options);
  Target target = choose_field(doc, last, options);

  pdf::IncrementalUpdate update(doc);
  const Ref sig_ref = update.allocate();
  CertificateInfo who = signer_identity(signer);

  // The signature dictionary, with fixed-width placeholders filled in after the digest.
  std::string sig = "<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n/ByteRange " +
                    kByteRangePlaceholder + "\n/Contents <" + std::string(contents_bytes * 2, '0') + ">\n/M " +
                    pdf::literal_string(sign::pdf_date(signing_time)) + "\n/Name " + pdf::text_string(who.common_name);
  if (!options.reason.empty()) sig += "\n/Reason " + pdf::text_string(options.reason);
  if (!options.location.empty()) sig += "\n/Location " + pdf::text_string(options.location);
  if (!options.contact_info.empty()) sig += "\n/ContactInfo " + pdf::text_string(options.contact_info);
  if (options.certify)
    sig += "\n/Reference [<</Type /SigRef /TransformMethod /DocMDP /TransformParams <</Type /TransformParams /P " +
           std::to_string(*options.certify) + " /V /1.2>>>>]";
  sig += "\n/Prop_Build <</App <</Name /libsign>>>>>>";
  update.put(sig_ref, sig);

  // Where the widget goes and how big it is.
  std::vector<Ref> pages = pdf::page_list(doc, last);
  if (pages.empty()) throw Error(ErrorCategory::format, "PDF_MALFORMED", "the document has no page");
  double rect[4] = {0, 0, 0, 0};
  const VisibleSignature* visible = options.visible ? &*options.visible : nullptr;
  Ref page_ref = pages.front();
  if (target.existing) {
    ObjPtr r = doc.get(target.existing->dict, "Rect", last);
    if (r && r->is_array() && r->items().size() == 4)
      for (size_t i = 0; i < 4; ++i) {
        ObjPtr v = doc.resolve(r->items()[i], last);
        rect[i] = v && v->is_number() ? v->as_number() : 0;
      }
  } else if (visible) {
    if (visible->page < 1 || static_cast<size_t>(visible->page) > pages.size())
      usage("PAGE_OUT_OF_RANGE", "page " + std::to_string(visible->page) + " does not exist (the document has " +
                                     std::to_string(pages.size()) + ")");
    if (visible->width <= 0 || visible->height <= 0) usage("RECTANGLE_INVALID", "the signature rectangle needs a width and a height");
    page_ref = pages[static_cast<size_t>(visible->page - 1)];
    rect[0] = visible->x;
    rect[1] = visible->y;
    rect[2] = visible->x + visible->width;
    rect[3] = visible->y + visible->height;
  }
  double width = std::abs(rect[2] - rect[0]), height = std::abs(rect[3] - rect[1]);
  sign::AppearanceText text{who.common_name, who.organization, signing_time, options.reason, options.location};
  bool shown = width > 0 && height > 0;
  VisibleSignature defaults;
  const VisibleSignature* look = shown ? (visible ? visible : &defaults) : nullptr;
  Ref ap = sign::add_appearance(update, width, height, text, look);
  std::string ap_entry = "<</N " + pdf::to_string(ap) + ">>";

  Ref widget_ref;
  std::optional<Ref> new_on_page;
  if (target.existing) {
    widget_ref = *target.existing->ref;
    ObjPtr widget = doc.object(widget_ref, last);
    std::string out = "<<";
    for (const auto& e : widget->entries())
      if (e.key != "V" && e.key != "AP") out += "/" + e.key + " " + pdf::serialize(*e.value) + "\n";
    out += "/V " + pdf::to_string(sig_ref) + "\n/AP " + ap_entry + ">>";
    update.put(widget_ref, out);
  } else {
    widget_ref = update.allocate();
    new_on_page = page_ref;
    update.put(widget_ref, "<</Type /Annot /Subtype /Widget /FT /Sig /T " + pdf::text_string(target.name) + "\n/V " +
                               pdf::to_string(sig_ref) + " /F 132 /Rect [" + number(rect[0]) + " " + number(rect[1]) + " " +
                               number(rect[2]) + " " + number(rect[3]) + "]\n/P " + pdf::to_string(page_ref) + " /AP " + ap_entry + ">>");
  }
  std::map<std::string, std::string> catalog_entries;
  if (options.certify) catalog_entries["Perms"] = "<</DocMDP " + pdf::to_string(sig_ref) + ">>";
  sign::register_widget(update, doc, widget_ref, new_on_page, catalog_entries);

  Layout layout;
  layout.base = base;
  std::map<Ref, size_t> offsets;
  layout.update = update.render(base, &offsets);
  size_t sig_at = offsets.at(sig_ref) - base;
  layout.byte_range_at = layout.update.find("/ByteRange " + kByteRangePlaceholder, sig_at) + std::string("/ByteRange ").size();
  layout.contents_at = layout.update.find("/Contents <", sig_at) + std::string("/Contents ").size();
  layout.contents_hex = contents_bytes * 2;
  // The signed ranges: everything but the /Contents string, whose '<' and '>' are excluded too.
  size_t hole_start = base + layout.contents_at, hole_end = hole_start + layout.contents_hex + 2;
  std::string ranges = "[0 " + std::to_string(hole_start) + " " + std::to_string(hole_end) + " " +
                       std::to_string(layout.total() - hole_end);
  if (ranges.size() + 1 > kByteRangePlaceholder.size()) usage("INPUT_TOO_LARGE", "files of 10 GB or more cannot be signed");
  ranges.resize(kByteRangePlaceholder.size() - 1, ' ');  // space-padded to the placeholder's width
  ranges += "]";
  layout.update.replace(layout.byte_range_at, ranges.size(), ranges);
  return layout;
}


size_t estimate_contents(const Signer& signer, const SignOptions& options) {
  size_t size = 2048 + signer.max_signature_size();
  for (const auto& c : signer.certificates()) size += c.size();
  if (options.level == PadesLevel::b_t) size += 12 * 1024;  // a token with its TSA chain
  return size;
}

std::string digest_signed(const core::ByteSource& original, const std::string& separator, const Layout& layout) {
  pki::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  cms::digest_update(ctx.get(), original, 0, original.bytes.size());
  EVP_DigestUpdate(ctx.get(), separator.data(), separator.size());
  EVP_DigestUpdate(ctx.get(), layout.update.data(), layout.contents_at);
  size_t after = layout.contents_at + layout.contents_hex + 2;
  EVP_DigestUpdate(ctx.get(), layout.update.data() + after, layout.update.size() - after);
  return cms::digest_final(ctx.get());
}

void fill_contents(Layout& layout, const std::string& cms) {
  if (cms.size() * 2 > layout.contents_hex)
    throw Error(ErrorCategory::crypto_backend, "CONTENTS_TOO_SMALL", "the signature does not fit in the space reserved for it");
  std::string hex = core::to_hex(cms);
  hex.resize(layout.contents_hex, '0');
  layout.update.replace(layout.contents_at + 1, layout.contents_hex, hex);
}
}  // namespace sign

namespace {

// The CMS for the signed bytes; `digest` is SHA-256 over them.
std::string make_cms(const Signer& signer, const SignOptions& options, const std::string& digest) {
  cms::SignedDataInput input;
  input.content_digest = digest;
  input.certificates = signer.certificates();
  std::string attributes = cms::signed_attributes(input);
  std::string signature = signer.sign(attributes, "sha256");
  std::optional<std::string> token;
  if (options.level != PadesLevel::b_b) token = sign::request_timestamp(*options.tsa, signature);
  return cms::assemble_signed_data(input, attributes, signature, signer.key_type(), token);
}


void check_options(const SignOptions& options) {
  if (options.level != PadesLevel::b_b && (!options.tsa || options.tsa->url.empty()))
    usage("TSA_URL_MISSING", "PAdES B-T and above need a time-stamping authority URL");
}

bool long_term(const SignOptions& options) { return options.level == PadesLevel::b_lt || options.level == PadesLevel::b_lta; }

ExtendOptions extension_of(const SignOptions& options) {
  ExtendOptions e;
  e.to = options.level;
  e.tsa = options.tsa;
  e.validation = options.validation;
  return e;
}

long long now_or(const SignOptions& options) {
  return core::to_unix(options.signing_time ? *options.signing_time : std::chrono::system_clock::now());
}

// Runs `attempt` with the estimated room for the CMS and, if the CMS came out larger (a big TSA
// chain), once more with exactly enough room: /Contents never overflows and is never a guess.
template <typename Attempt>
void with_contents_room(const Signer& signer, const SignOptions& options, Attempt attempt) {
  size_t room = sign::estimate_contents(signer, options);
  for (int tries = 0; tries < 2; ++tries) {
    size_t needed = attempt(room);
    if (needed == 0) return;
    room = needed + 1024;
  }
  throw Error(ErrorCategory::crypto_backend, "CONTENTS_TOO_SMALL", "the signature does not fit in the space reserved for it");
}

}  // namespace

std::string sign_pdf(std::string_view pdf, const Signer& signer, const SignOptions& options) {
  check_options(options);
  pdf::Document doc = pdf::Document::open(pdf);
  const std::string separator = pdf::needs_separator(pdf) ? "\n" : "";
  const long long signing_time = now_or(options);
  std::string result;
  with_contents_room(signer, options, [&](size_t room) -> size_t {
    Layout layout = sign::prepare_layout(doc, pdf.size() + separator.size(), signer, options, room, signing_time);
    std::string cms = make_cms(signer, options, sign::digest_signed(core::ByteSource{pdf}, separator, layout));
    if (cms.size() * 2 > layout.contents_hex) return cms.size();
    sign::fill_contents(layout, cms);
    result.reserve(layout.total());
    result.assign(pdf.data(), pdf.size());
    result += separator;
    result += layout.update;
    return 0;
  });
  return long_term(options) ? extend_pdf(result, extension_of(options)) : result;
}

void sign_pdf_file(const std::string& input, const std::string& output, const Signer& signer, const SignOptions& options,
                   bool allow_overwrite) {
  check_options(options);
  if (long_term(options)) {
    // The signature, then the validation data and (B-LTA) the document timestamp, written once.
    if (input == output && !allow_overwrite)
      usage("OUTPUT_IS_INPUT", "the output would replace the input; choose another output file");
    std::string signed_pdf;
    {
      core::MappedFile file(input);
      signed_pdf = sign_pdf(file.bytes(), signer, options);
    }
    sign::AtomicOutput out(output);
    out.write(signed_pdf);
    out.commit();
    return;
  }
  if (input == output && !allow_overwrite)
    usage("OUTPUT_IS_INPUT", "the output would replace the input; choose another output file");
  core::MappedFile file(input);
  pdf::Document doc = pdf::Document::open(file.bytes());
  const core::ByteSource source{file.bytes(), file.fd()};
  const std::string separator = pdf::needs_separator(file.bytes()) ? "\n" : "";
  const long long signing_time = now_or(options);
  with_contents_room(signer, options, [&](size_t room) -> size_t {
    Layout layout = sign::prepare_layout(doc, file.bytes().size() + separator.size(), signer, options, room, signing_time);
    std::string cms = make_cms(signer, options, sign::digest_signed(source, separator, layout));
    if (cms.size() * 2 > layout.contents_hex) return cms.size();
    sign::fill_contents(layout, cms);
    // The original bytes are copied by the kernel: a 100 MB dossier is never held in memory.
    sign::AtomicOutput out(output);
    out.copy_from(file.fd(), file.bytes().size());
    out.write(separator);
    out.write(layout.update);
    out.commit();
    return 0;
  });
}

}  // namespace libsign
