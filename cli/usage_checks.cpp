#include "usage_checks.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace libsign::cli {
namespace {

// Options whose value is a host name or address, never a file.
const std::set<std::string> kHostOptions = {"--allow-host"};

const CLI::Option* find_option(const CLI::App& app, const CLI::App& cmd, const std::string& name) {
  if (const CLI::Option* o = cmd.get_option_no_throw(name)) return o;
  return app.get_option_no_throw(name);
}

std::vector<std::string> long_names(const CLI::App& app, const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::App* a : {&cmd, &app})
    for (const CLI::Option* o : a->get_options()) {
      for (const auto& n : o->get_lnames()) names.push_back("--" + n);
      for (const auto& n : o->get_fnames())
        if (n.rfind("--", 0) == 0) names.push_back(n);
    }
  return names;
}

bool takes_value(const CLI::Option& o) { return o.get_type_size_max() > 0 && o.get_items_expected_max() > 0; }

bool existing_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

}  // namespace

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  // Up to two edits, and never more than a third of the word (so "ab" does not suggest "cd").
  const size_t limit = std::min<size_t>(2, std::max<size_t>(1, word.size() / 3));
  std::string best;
  size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_distance) best = c, best_distance = d;
  }
  return best;
}

UsageProblem unknown_command(const std::string& named, const std::vector<std::string>& commands) {
  std::string suggestion = closest(named, commands);
  std::string list;
  for (const auto& c : commands) list += (list.empty() ? "" : ", ") + c;
  return {"COMMAND_UNKNOWN", "unknown command '" + named + "'" +
                                 (suggestion.empty() ? "; the commands are " + list : "; did you mean " + suggestion + "?")};
}

std::optional<UsageProblem> check_arguments(const CLI::App& app, const CLI::App& cmd, const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;  // everything after is positional
    if (arg.size() < 3 || arg.rfind("--", 0) != 0) continue;
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const CLI::Option* option = find_option(app, cmd, name);
    if (!option) {
      std::string suggestion = closest(name, long_names(app, cmd));
      return UsageProblem{"OPTION_UNKNOWN", "unknown option " + name + " for '" + cmd.get_name() + "'" +
                                                (suggestion.empty() ? "" : "; did you mean " + suggestion + "?")};
    }
    if (eq != std::string::npos || !takes_value(*option)) continue;
    if (i + 1 >= args.size()) continue;  // CLI11 reports the missing value
    const std::string& value = args[i + 1];
    if (value.size() > 2 && value.rfind("--", 0) == 0)
      return UsageProblem{"OPTION_VALUE_SUSPICIOUS", name + " needs a value but is followed by the option " + value +
                                                         " (write " + name + "=VALUE if the value really starts with --)"};
    if (kHostOptions.count(name) && existing_file(value))
      return UsageProblem{"OPTION_VALUE_SUSPICIOUS",
                          name + " expects a host, but '" + value + "' is an existing file (put the input files after the options)"};
    ++i;  // the value is not an option name
  }
  return std::nullopt;
}

}  // namespace libsign::cli
