#include <openssl/crypto.h>

#include <cstdlib>
#include <fstream>

#include "libsign/sign.hpp"

namespace libsign {

Secret Secret::from_env(const std::string& variable) {
  const char* value = std::getenv(variable.c_str());
  if (!value)
    throw Error(ErrorCategory::usage, "PASSWORD_SOURCE_MISSING", "the environment variable " + variable + " is not set");
  return from_string(value);
}

Secret Secret::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCategory::usage, "PASSWORD_SOURCE_MISSING", "cannot read the password file " + path, errno);
  Secret s;
  std::getline(in, s.value_);
  if (!s.value_.empty() && s.value_.back() == '\r') s.value_.pop_back();
  return s;
}

Secret Secret::from_string(std::string value) {
  Secret s;
  s.value_ = std::move(value);
  return s;
}

Secret::Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.value_.clear(); }

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    OPENSSL_cleanse(value_.data(), value_.size());
    value_ = std::move(other.value_);
    other.value_.clear();
  }
  return *this;
}

Secret::~Secret() { OPENSSL_cleanse(value_.data(), value_.size()); }

}  // namespace libsign
