// What help() and repr() show for the report classes, Signer and Verifier of libsign._core, and the
// Verifier's counters as a dict.
#pragma once
#include <pybind11/pybind11.h>

#include <string>

#include "libsign/libsign.hpp"

namespace libsign::python {

// Class and field docstrings and __repr__ for the classes module.cpp registered: call after them.
void document_classes(pybind11::module_& m);

std::string verifier_repr(const VerifyOptions& options);

// Verifier.stats(), Diagnosis.verifier_stats: {"revocation_fetches": {"ocsp", "crl", "ca_issuers"}, ...}.
pybind11::dict stats_dict(const VerifierStats& stats);

}  // namespace libsign::python
