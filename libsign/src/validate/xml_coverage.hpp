// What an XML-DSig reference signs, node by node: the node set it digested (after enveloped, XPath
// and Filter 2.0 transforms) when it has one, else the subtree of the element it resolved to.
// The wrapping and target checks judge "is what the application reads signed?" with these.
#pragma once
#include <libxml/tree.h>

#include "xml/dsig.hpp"

namespace libsign::validate {

// Whether reference `r` (of the ds:Signature `signature`) holds and signs node `n` itself.
bool reference_signs_node(const xml::ReferenceResult& r, const xmlNode* signature, const xmlNode* n);

// The first node of `element`'s subtree (its attributes, elements and non-blank text) that `r` does
// not sign; nested ds:Signature subtrees and comments are not content and are skipped. With XPath
// filters `element`'s own node may be left out (a bare container: its name is not content a
// reader uses, its attributes and everything below it are). nullptr when all of it is signed.
const xmlNode* first_unsigned_node(const xml::ReferenceResult& r, const xmlNode* signature, const xmlNode* element);

// For a whole-document reference: the first element in document order that `r` signs (the
// document element unless transforms cut it out); nullptr when none (or the bytes are not a node set).
const xmlNode* signed_root(const xml::ReferenceResult& r, xmlDoc* doc, const xmlNode* signature);

}  // namespace libsign::validate
