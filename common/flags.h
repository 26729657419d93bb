// Flags: a tiny command-line parser for the narrating executables, demos and benchmarks.
//
// Accepts --name=value, --name value, and --flag / --noflag for booleans. An unknown flag, a
// missing or malformed value, or a stray argument is an error: Parse() returns it and the
// caller prints Usage() and exits with status 2.
//
// Example:
//   Flags flags("step1_memory", "Narrates a session with the in-memory store.");
//   int64_t n = 10;
//   flags.Int("keys", &n, "how many keys to write");
//   if (Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
//   if (flags.help()) return 0;   // --help printed the usage
//
// The variables passed in must outlive Parse(). Thread-safety: none (use from main()).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace lsm {

class Flags {
 public:
  Flags(std::string program, std::string description);

  void Int(const std::string& name, int64_t* value, const std::string& help);
  void Double(const std::string& name, double* value, const std::string& help);
  void String(const std::string& name, std::string* value, const std::string& help);
  void Bool(const std::string& name, bool* value, const std::string& help);

  // Parses argv[1..]; on --help prints Usage() to stdout and sets help().
  Status Parse(int argc, char** argv);
  bool help() const { return help_; }
  // Returns the usage text: the description, then each flag with its default.
  std::string Usage() const;
  // Prints "<program>: <error>" and the usage to stderr; returns 2 (for `return flags.Fail(s)`).
  int Fail(const Status& s) const;

 private:
  enum class Kind { kInt, kDouble, kString, kBool };
  struct Flag {
    std::string name;
    Kind kind;
    void* target;
    std::string help;
    std::string default_text;
  };
  Status Set(const Flag& f, const std::string& text);
  const Flag* Find(const std::string& name) const;

  std::string program_;
  std::string description_;
  std::vector<Flag> flags_;
  bool help_ = false;
};

}  // namespace lsm
