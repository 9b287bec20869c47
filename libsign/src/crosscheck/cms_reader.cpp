#include "crosscheck/cms_reader.hpp"

#include "crosscheck/ber_lengths.hpp"

#include <botan/asn1_obj.h>
#include <botan/ber_dec.h>
#include <botan/der_enc.h>

namespace libsign::crosscheck {
namespace {

const Botan::OID kSignedData("1.2.840.113549.1.7.2");
const Botan::OID kMessageDigest("1.2.840.113549.1.9.4");

// A context-tagged or universal object's contents under a new universal constructed tag. Botan
// gives the contents of an object, not its header: the header is written again (minimal length).
std::vector<uint8_t> rewrap(const Botan::BER_Object& obj, Botan::ASN1_Tag tag) {
  std::vector<uint8_t> out;
  Botan::DER_Encoder(out).start_cons(tag).raw_bytes(obj.bits(), obj.length()).end_cons();
  return out;
}

bool is_context(const Botan::BER_Object& obj, int number) {
  return obj.is_a(number, Botan::ASN1_Tag(Botan::CONTEXT_SPECIFIC | Botan::CONSTRUCTED));
}

void read_certificates(const Botan::BER_Object& set, BotanSignedData& out, const ParseCertificate& parse) {
  Botan::BER_Decoder certs(set);
  while (certs.more_items()) {
    Botan::BER_Object obj = certs.get_next_object();
    if (!obj.is_a(Botan::SEQUENCE, Botan::CONSTRUCTED)) continue;  // attribute or other certificate formats
    try {
      std::vector<uint8_t> der = rewrap(obj, Botan::SEQUENCE);
      out.certificates.push_back(parse ? parse(der) : Botan::X509_Certificate(der));
    } catch (const std::exception& e) {
      out.certificate_errors.push_back(e.what());
    }
  }
}

void read_signed_attributes(const Botan::BER_Object& obj, BotanSignerInfo& si) {
  si.has_signed_attrs = true;
  si.signed_attrs = rewrap(obj, Botan::SET);
  Botan::BER_Decoder attrs(obj);
  while (attrs.more_items()) {
    Botan::BER_Decoder attr = attrs.start_cons(Botan::SEQUENCE);
    Botan::OID type;
    attr.decode(type);
    if (type != kMessageDigest) continue;
    Botan::BER_Decoder values = attr.start_cons(Botan::SET);
    std::vector<uint8_t> digest;
    values.decode(digest, Botan::OCTET_STRING);
    si.message_digest = digest;
  }
}

BotanSignerInfo read_signer_info(Botan::BER_Decoder& infos) {
  BotanSignerInfo si;
  Botan::BER_Decoder in = infos.start_cons(Botan::SEQUENCE);
  size_t version = 0;
  in.decode(version);
  Botan::BER_Object sid = in.get_next_object();
  if (sid.is_a(Botan::SEQUENCE, Botan::CONSTRUCTED)) {
    Botan::BER_Decoder ias(sid);
    Botan::X509_DN issuer;
    ias.decode(issuer);
    si.issuer = issuer;
    Botan::BER_Object serial = ias.get_next_object();
    si.serial.assign(serial.bits(), serial.bits() + serial.length());
  } else if (sid.is_a(0, Botan::CONTEXT_SPECIFIC)) {
    si.key_id.assign(sid.bits(), sid.bits() + sid.length());
  } else {
    throw Botan::Decoding_Error("unknown SignerIdentifier");
  }
  Botan::AlgorithmIdentifier digest;
  in.decode(digest);
  si.digest_oid = digest.get_oid().to_string();
  Botan::BER_Object next = in.get_next_object();
  if (is_context(next, 0)) read_signed_attributes(next, si);
  else in.push_back(next);
  Botan::AlgorithmIdentifier signature;
  in.decode(signature);
  si.signature_oid = signature.get_oid().to_string();
  si.signature_params = signature.get_parameters();
  in.decode(si.signature, Botan::OCTET_STRING);
  return si;
}

// An OCTET STRING's bytes, also when written in BER as a constructed string of chunks (gpgsm, NSS).
void append_octets(const Botan::BER_Object& obj, std::vector<uint8_t>& out, int depth) {
  if (obj.is_a(Botan::OCTET_STRING, Botan::UNIVERSAL)) {
    out.insert(out.end(), obj.bits(), obj.bits() + obj.length());
    return;
  }
  if (depth > 8 || !obj.is_a(Botan::OCTET_STRING, Botan::CONSTRUCTED)) throw Botan::Decoding_Error("eContent is not an OCTET STRING");
  Botan::BER_Decoder chunks(obj);
  while (chunks.more_items()) append_octets(chunks.get_next_object(), out, depth + 1);
}


}  // namespace

std::optional<BotanSignedData> read_signed_data(std::string_view der, std::string* error, const ParseCertificate& parse) {
  try {
    // Botan 2 cannot follow indefinite lengths: give it the same structure with definite ones.
    const std::optional<std::string> definite = with_definite_lengths(der, 2);
    if (definite) der = *definite;
    const auto* bytes = reinterpret_cast<const uint8_t*>(der.data());
    Botan::BER_Decoder top(bytes, der.size());
    Botan::BER_Object outer = top.get_next_object();
    outer.assert_is_a(Botan::SEQUENCE, Botan::CONSTRUCTED, "ContentInfo");
    // What follows the ContentInfo is not read, as in libsign's own reading: a PDF's /Contents
    // padding is zeros for most signers, but PDFBox in an encrypted file leaves encrypted zeros.

    Botan::BER_Decoder info(outer);
    Botan::OID type;
    info.decode(type);
    if (type != kSignedData) throw Botan::Decoding_Error("not a SignedData");
    Botan::BER_Decoder content = info.start_cons(Botan::ASN1_Tag(0), Botan::CONTEXT_SPECIFIC);
    Botan::BER_Decoder sd = content.start_cons(Botan::SEQUENCE);
    size_t version = 0;
    sd.decode(version);
    sd.get_next_object();  // digestAlgorithms
    BotanSignedData out;
    {
      Botan::BER_Decoder encap = sd.start_cons(Botan::SEQUENCE);
      Botan::OID content_type;
      encap.decode(content_type);
      if (encap.more_items()) {
        Botan::BER_Decoder explicit_content = encap.start_cons(Botan::ASN1_Tag(0), Botan::CONTEXT_SPECIFIC);
        append_octets(explicit_content.get_next_object(), out.econtent, 0);
        out.has_econtent = true;
      }
    }
    while (sd.more_items()) {
      Botan::BER_Object obj = sd.get_next_object();
      if (is_context(obj, 0)) {
        read_certificates(obj, out, parse);
      } else if (obj.is_a(Botan::SET, Botan::CONSTRUCTED)) {
        Botan::BER_Decoder infos(obj);
        while (infos.more_items()) out.signers.push_back(read_signer_info(infos));
      }  // [1] crls: not compared
    }
    return out;
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

namespace {
std::vector<uint8_t> without_leading_zeros(std::vector<uint8_t> v) {
  size_t i = 0;
  while (i + 1 < v.size() && v[i] == 0) ++i;
  v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i));
  return v;
}
}  // namespace

const Botan::X509_Certificate* find_signer(const BotanSignerInfo& si, const std::vector<Botan::X509_Certificate>& certs) {
  for (const auto& c : certs) {
    if (!si.key_id.empty()) {
      if (c.subject_key_id() == si.key_id) return &c;
      continue;
    }
    if (si.issuer && c.issuer_dn() == *si.issuer &&
        without_leading_zeros(c.serial_number()) == without_leading_zeros(si.serial))
      return &c;
  }
  return nullptr;
}

}  // namespace libsign::crosscheck
