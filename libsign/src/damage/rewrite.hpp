// libsign damage — re-processing after signing: the whole PDF was rewritten (re-saved by a PDF library,
// linearized, object streams generated, "printed to PDF", flattened), so the signed revision no longer
// exists. Told apart from an incremental change after signing, which keeps the signed revision intact.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "damage/detector.hpp"
#include "libsign/report.hpp"

namespace libsign::damage {

// The marks a rewriting tool leaves in a PDF, read from its bytes (no signature needed).
struct RewriteMarks {
  size_t revisions = 0;
  bool linearized = false;       // a /Linearized dictionary opens the file
  bool object_streams = false;   // some object lives in an object stream
  bool xref_stream = false;      // the last revision's cross-reference is a stream
  std::string header_comment;    // the binary comment after %PDF-x.y, hex (producers leave their own)
  std::string producer, creator; // Info /Producer, /Creator (UTF-8)
  std::string xmp_producer, xmp_creator_tool;  // XMP pdf:Producer, xmp:CreatorTool
  std::string tool;              // the rewriting tool these marks name ("qpdf", "Ghostscript", ...); may be empty
};

// Reads the marks; nullopt when the bytes do not open as a PDF. Bounded: the header, the trailers, the
// Info dictionary and at most 1 MiB of XMP.
std::optional<RewriteMarks> read_rewrite_marks(std::string_view pdf_bytes);

// The rewriting tool a /Producer, /Creator or XMP value names, or "" (a word list, case-insensitive).
std::string rewriting_tool_named(std::string_view text);

// DAMAGE_REWRITTEN when a signature of `report` (the verification of `pdf_bytes`) failed because the
// bytes around it moved: its /ByteRange no longer lines up with its /Contents or with the end of a
// revision (or runs past the file), while its signature value survived. An incremental change after
// signing (the signed revision still whole) and an in-place edit (layout intact, digest wrong) are not
// rewrites. nullopt otherwise.
std::optional<Finding> find_rewrite(std::string_view pdf_bytes, const DocumentReport& report);

// Detector (damage.cpp): PDF files that were read but whose signature failed integrity.
void detect_rewrite(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out);

}  // namespace libsign::damage
