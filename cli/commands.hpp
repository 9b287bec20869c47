// The `libsign` subcommands: each file registers one with CLI11 and runs it.
#pragma once
#include <functional>

#include <CLI/CLI.hpp>

namespace libsign::cli {

// Exit statuses of `libsign` (documented in README and docs/cli.md).
enum ExitStatus { kAllPassed = 0, kFailed = 1, kIndeterminate = 2, kInputError = 3, kNetworkError = 4 };

// Each registers its subcommand and returns the action to run when it was chosen.
std::function<int()> add_verify(CLI::App& app);
std::function<int()> add_inspect(CLI::App& app);
std::function<int()> add_explain(CLI::App& app);
std::function<int()> add_sign(CLI::App& app);
std::function<int()> add_extend(CLI::App& app);
std::function<int()> add_recover(CLI::App& app);
std::function<int()> add_tokens(CLI::App& app);
std::function<int()> add_diagnose(CLI::App& app);
std::function<int()> add_serve(CLI::App& app);
// `libsign serve ARGS`: replaces this process with libsign-serve ARGS; returns only on failure.
int exec_serve(int argc, char** argv);

}  // namespace libsign::cli
