// Flags: a tiny command-line parser for the narrating executables, demos and benchmarks.
//
// Accepts --name=value, --name value, and --flag / --noflag for booleans. An unknown flag, a
// missing or malformed value, a number outside its flag's range, or a stray argument is an
// error: Parse() returns it (InvalidArgument naming the flag, the value and the range) and the
// caller prints Usage() and exits with status 2.
//
// Example:
//   Flags flags("step1_memory", "Narrates a session with the in-memory store.");
//   int64_t n = 10;
//   flags.Int("keys", &n, 1, 1000, "how many keys to write");   // Usage shows "1..1000"
//   std::vector<std::string> files;
//   flags.Arguments("FILE...", &files);                          // else a bare word is an error
//   if (Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
//   if (flags.help()) return 0;   // --help printed the usage
//
// A flag of the caller's own type (an enum, say) is a Custom flag with a parse function; a
// step offers such a flag once for all its programs (step 5's AddCompactionStyleFlag).
//
// Every executable gives each numeric flag a range, so no typed number can make it allocate
// or loop without bound; the unranged Int/Double overloads (the whole int64 or double range)
// are for test helpers. A bare "--" ends the flags: every later word is an argument.
// The variables passed in must outlive Parse(). Thread-safety: none (use from main()).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lsm {

class Flags {
 public:
  Flags(std::string program, std::string description);

  // An integer flag whose value must lie in [min, max]. REQUIRES: min <= *value <= max.
  void Int(const std::string& name, int64_t* value, int64_t min, int64_t max,
           const std::string& help);
  // A number flag whose value must lie in [min, max] (NaN never does).
  // REQUIRES: min <= *value <= max.
  void Double(const std::string& name, double* value, double min, double max,
              const std::string& help);
  // Unranged: any int64 / any finite or infinite double.
  void Int(const std::string& name, int64_t* value, const std::string& help);
  void Double(const std::string& name, double* value, const std::string& help);
  void String(const std::string& name, std::string* value, const std::string& help);
  void Bool(const std::string& name, bool* value, const std::string& help);
  // A flag whose text `parse` turns into the caller's own type: parse stores the value and
  // returns OK, or InvalidArgument saying what is wrong, which Parse() returns prefixed with
  // "--name: ". Usage() shows `default_text` as the default.
  void Custom(const std::string& name, std::function<Status(std::string_view)> parse,
              const std::string& default_text, const std::string& help);
  // Accepts words that are not flags (and everything after "--"), appended in order to *args;
  // `name` is how Usage() shows them ("FILE..."). Without it a bare word is an error.
  void Arguments(const std::string& name, std::vector<std::string>* args);

  // Parses argv[1..]; on --help prints Usage() to stdout and sets help().
  Status Parse(int argc, char** argv);
  bool help() const { return help_; }
  // Returns the usage text: the description, then each flag with its range and default.
  std::string Usage() const;
  // Prints "<program>: <error>" and the usage to stderr; returns 2 (for `return flags.Fail(s)`).
  int Fail(const Status& s) const;

 private:
  enum class Kind { kInt, kDouble, kString, kBool, kCustom };
  struct Flag {
    std::string name;
    Kind kind;
    void* target;
    std::string help;
    std::string default_text;
    // The allowed range of a kInt / kDouble flag; range_text is "" when unranged.
    int64_t int_min = std::numeric_limits<int64_t>::min();
    int64_t int_max = std::numeric_limits<int64_t>::max();
    double double_min = -std::numeric_limits<double>::infinity();
    double double_max = std::numeric_limits<double>::infinity();
    std::string range_text;
    std::function<Status(std::string_view)> parse;  // kCustom only
  };
  Status Set(const Flag& f, const std::string& text);
  const Flag* Find(const std::string& name) const;

  std::string program_;
  std::string description_;
  std::vector<Flag> flags_;
  std::string arguments_name_;                 // "" when Arguments() was not called
  std::vector<std::string>* arguments_ = nullptr;
  bool help_ = false;
};

}  // namespace lsm
