// Step 1: the signed bytes. /ByteRange must be four integers starting at 0, its gap must be exactly
// the /Contents string, and it must end where a revision ends; then the CMS is read.
#include <string>

#include "core/encoding.hpp"
#include "validate/context.hpp"

namespace libsign::validate {
namespace {

std::string ranges_text(const std::vector<int64_t>& br) {
  std::string out = "[";
  for (size_t i = 0; i < br.size(); ++i) out += (i ? " " : "") + std::to_string(br[i]);
  return out + "]";
}

// The byte range's end may stop right after %%EOF while the revision also counts the EOL after it.
std::optional<size_t> revision_for_end(const pdf::Document& doc, size_t end) {
  if (auto r = doc.revision_ending_at(end)) return r;
  std::string_view bytes = doc.bytes();
  for (size_t skip = 1; skip <= 2 && end + skip <= bytes.size(); ++skip) {
    char c = bytes[end + skip - 1];
    if (c != '\r' && c != '\n') break;
    if (auto r = doc.revision_ending_at(end + skip)) return r;
  }
  return std::nullopt;
}

// The digest of the signed bytes against what the CMS vouches for.
bool check_content_digest(SignatureContext& ctx) {
  const cms::SignedData& sd = *ctx.signed_data;
  SignatureReport& r = ctx.report;
  r.digest_algorithm = sd.digest_name;
  r.signature_algorithm = sd.signature_algorithm;
  // A PDF signature has one signer (PAdES); a .p7s may hold several, each verified on its own.
  if (ctx.field && sd.signer_count > 1) ctx.add("CMS_MULTIPLE_SIGNERS", {{"signers", std::to_string(sd.signer_count)}});
  if (!sd.digest) {
    ctx.add("DIGEST_ALGORITHM_UNSUPPORTED", {{"algorithm", sd.digest_name}});
    ctx.verdict.indeterminate(SubIndication::crypto_constraints_failure_no_poe);
    ctx.check("integrity", CheckStatus::failed, "unsupported digest algorithm " + sd.digest_name);
    return false;
  }
  // PDF only: adbe.pkcs7.sha1 encapsulates a digest; any other PDF signature must be detached.
  const bool sha1_subfilter = ctx.field && ctx.field->subfilter == "adbe.pkcs7.sha1";
  if (ctx.field && sd.has_econtent && !sha1_subfilter) {
    ctx.add("CMS_HAS_ECONTENT", {{"subfilter", ctx.field->subfilter}});
    ctx.verdict.fail(SubIndication::format_failure);
  }
  if (sha1_subfilter) {
    // The CMS signs an encapsulated SHA-1 digest of the byte ranges.
    std::string sha1 = digest_ranges(*ctx.source, ctx.ranges, EVP_sha1());
    ctx.content_digest = digest_bytes(sd.econtent, sd.digest);
    if (!sd.has_econtent || sd.econtent != sha1) {
      ctx.add("DIGEST_MISMATCH", {{"subfilter", ctx.field->subfilter}});
      ctx.verdict.fail(SubIndication::hash_failure);
      ctx.check("integrity", CheckStatus::failed, "the encapsulated SHA-1 digest does not match the signed bytes");
      return true;
    }
  } else {
    ctx.content_digest = digest_ranges(*ctx.source, ctx.ranges, sd.digest);
  }
  if (!sd.has_signed_attributes) {
    ctx.add("SIGNED_ATTRIBUTES_MISSING");
    ctx.check("integrity", CheckStatus::passed, "no signed attributes: the signature value itself covers the digest");
    return true;
  }
  if (!sd.message_digest) {
    ctx.add("MESSAGE_DIGEST_MISSING");
    ctx.verdict.fail(SubIndication::format_failure);
    ctx.check("integrity", CheckStatus::failed, "no messageDigest attribute");
    return true;
  }
  if (*sd.message_digest != ctx.content_digest) {
    ctx.add("DIGEST_MISMATCH", {{"algorithm", sd.digest_name}, {"computed", core::to_hex(ctx.content_digest)},
                                {"signed", core::to_hex(*sd.message_digest)}});
    ctx.verdict.fail(SubIndication::hash_failure);
    ctx.check("integrity", CheckStatus::failed, "the signed bytes do not match messageDigest");
    return true;
  }
  bool ranges_ok = r.coverage == Coverage::entire_file || r.coverage == Coverage::entire_revision;
  ctx.check("integrity", ranges_ok ? CheckStatus::passed : CheckStatus::failed,
            ranges_ok ? "the signed bytes match messageDigest" : "the digest matches, but the byte range is not sound");
  return true;
}

}  // namespace

bool check_byte_range(SignatureContext& ctx) {
  const pdf::SignatureField& f = *ctx.field;
  SignatureReport& r = ctx.report;
  r.byte_range = f.byte_range;
  const size_t file_size = ctx.doc->file_size();
  const auto& br = f.byte_range;
  std::string where = ranges_text(br);

  bool shape_ok = f.has_byte_range && f.byte_range_all_integers && br.size() == 4 && br[0] >= 0 && br[1] >= 0 &&
                  br[2] >= 0 && br[3] >= 0 && static_cast<uint64_t>(br[2]) + static_cast<uint64_t>(br[3]) <= file_size &&
                  static_cast<uint64_t>(br[0]) + static_cast<uint64_t>(br[1]) <= static_cast<uint64_t>(br[2]);
  if (!shape_ok) {
    ctx.add("BYTERANGE_INVALID", {{"byte_range", where}, {"file_size", std::to_string(file_size)}});
    ctx.verdict.fail(SubIndication::format_failure);
    // The ranges cannot be trusted to stay inside the file: hash only what is in bounds, when it is a sane pair list.
    if (f.byte_range_all_integers && br.size() % 2 == 0) {
      for (size_t i = 0; i + 1 < br.size(); i += 2) {
        if (br[i] >= 0 && br[i + 1] >= 0 && static_cast<uint64_t>(br[i]) + static_cast<uint64_t>(br[i + 1]) <= file_size)
          ctx.ranges.emplace_back(static_cast<size_t>(br[i]), static_cast<size_t>(br[i + 1]));
      }
    }
  } else {
    ctx.ranges = {{static_cast<size_t>(br[0]), static_cast<size_t>(br[1])}, {static_cast<size_t>(br[2]), static_cast<size_t>(br[3])}};
    bool structural = true;
    if (br[0] != 0) {
      ctx.add("BYTERANGE_NOT_AT_START", {{"byte_range", where}});
      structural = false;
    }
    if (!f.contents_offsets_known) {
      // Either the whole dictionary is compressed (an optimiser's doing), or /Contents itself is absent,
      // not a string, or an indirect object: the gap of /ByteRange cannot be matched to it either way.
      if (f.value_in_object_stream) ctx.add("SIGNATURE_IN_OBJECT_STREAM", {{"field", f.field_name}});
      else ctx.add("CONTENTS_NOT_LOCATED", {{"field", f.field_name}, {"contents", f.has_contents ? "indirect" : "missing"}});
      structural = false;
    } else if (static_cast<size_t>(br[0] + br[1]) != f.contents_begin || static_cast<size_t>(br[2]) != f.contents_end) {
      ctx.add("BYTERANGE_HOLE_NOT_CONTENTS", {{"byte_range", where},
                                              {"contents_offsets", std::to_string(f.contents_begin) + ".." + std::to_string(f.contents_end)}});
      structural = false;
    }
    size_t end = static_cast<size_t>(br[2] + br[3]);
    auto revision = revision_for_end(*ctx.doc, end);
    if (!revision) {
      ctx.add("BYTERANGE_NOT_REVISION_END", {{"byte_range", where}, {"signed_up_to", std::to_string(end)},
                                             {"file_size", std::to_string(file_size)}});
      structural = false;
    } else {
      r.revision = static_cast<int>(*revision);
    }
    if (!structural) {
      ctx.verdict.fail(SubIndication::format_failure);
      r.coverage = Coverage::partial;
    } else if (*revision == ctx.doc->last_revision() && !ctx.doc->has_trailing_data()) {
      r.coverage = Coverage::entire_file;
    } else {
      r.coverage = Coverage::entire_revision;
      ctx.add("BYTERANGE_NOT_WHOLE_FILE", {{"signed_revision", std::to_string(*revision)},
                                           {"revisions", std::to_string(ctx.doc->revisions().size())}});
    }
  }

  return !ctx.ranges.empty();
}

bool read_cms_and_digest(SignatureContext& ctx) {
  const pdf::SignatureField& f = *ctx.field;
  if (!f.has_contents || f.contents.empty()) return read_cms(ctx, "", "no /Contents") && check_content_digest(ctx);
  return read_cms(ctx, f.contents) && check_content_digest(ctx);
}

bool read_cms(SignatureContext& ctx, std::string_view der, std::string error, int signer_index) {
  ctx.cms_der = der;
  ctx.signer_index = signer_index;
  if (error.empty()) ctx.signed_data = cms::parse_signed_data(der, &error, signer_index);
  if (!ctx.signed_data) {
    ctx.add("CMS_MALFORMED", {{"detail", error}});
    ctx.verdict.fail(SubIndication::format_failure);
    ctx.check("integrity", CheckStatus::failed, "the signature value is not CMS: " + error);
    return false;
  }
  adopt_cms_evidence(ctx);
  return true;
}

bool check_cms_content(SignatureContext& ctx) { return check_content_digest(ctx); }

}  // namespace libsign::validate
