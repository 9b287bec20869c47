// Repeatable options take exactly one value per occurrence (`--trust A --trust B`).
#pragma once
#include <CLI/CLI.hpp>

namespace libsign::cli {

// CLI11 lets an option that collects a list swallow every following word up to the next option, so
// `verify --allow-host 127.0.0.1 a.pdf b.pdf` took `a.pdf` for a host and verified only `b.pdf`.
// Applied once to the whole command tree after every option is declared: each repeatable option
// then takes one value per occurrence and the other words stay positional.
void one_value_per_occurrence(CLI::App& app);

}  // namespace libsign::cli
