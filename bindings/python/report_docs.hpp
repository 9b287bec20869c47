// What help() and repr() show for the report classes, Signer and Verifier of libsign._core.
#pragma once
#include <pybind11/pybind11.h>

#include <string>

#include "libsign/libsign.hpp"

namespace libsign::python {

// Class and field docstrings and __repr__ for the classes module.cpp registered: call after them.
void document_classes(pybind11::module_& m);

std::string verifier_repr(const VerifyOptions& options);

}  // namespace libsign::python
