#include "one_value_options.hpp"

namespace libsign::cli {

void one_value_per_occurrence(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option->get_positional() || option->get_items_expected_max() <= 1) continue;
    // Still repeatable: every occurrence adds its value to the list.
    option->expected(1)->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    // `--help` says so for every such option (tests read it to find them all).
    if (option->get_description().find("repeatable") == std::string::npos)
      option->description(option->get_description() + " (repeatable)");
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) one_value_per_occurrence(*sub);
}

}  // namespace libsign::cli
