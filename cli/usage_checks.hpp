// Typing mistakes on the command line, caught before CLI11 parses it: an unknown command or option gets
// a "did you mean …?" (edit distance), and an option's value that is really the next option (`--trust
// --offline`) or an input file where a host is expected is refused instead of silently taken.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace libsign::cli {

struct UsageProblem {
  std::string code;    // COMMAND_UNKNOWN, OPTION_UNKNOWN, OPTION_VALUE_SUSPICIOUS (catalog codes)
  std::string detail;  // English, with the suggestion
};

// Levenshtein distance (bytes).
size_t edit_distance(const std::string& a, const std::string& b);

// The candidate nearest to `word` when it is close enough to be a typing mistake, else "".
std::string closest(const std::string& word, const std::vector<std::string>& candidates);

// `named` (argv[1]) is not one of `commands`: the problem, with a suggestion when one is close.
UsageProblem unknown_command(const std::string& named, const std::vector<std::string>& commands);

// The words after the command name, checked against the options of `cmd` (and of its parent `app`).
std::optional<UsageProblem> check_arguments(const CLI::App& app, const CLI::App& cmd, const std::vector<std::string>& args);

}  // namespace libsign::cli
