#pragma once
namespace libsign {
constexpr const char* version = "0.1.0";
}
