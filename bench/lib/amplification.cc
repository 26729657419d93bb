// The "lsm.amplification" reader (see amplification.h).
#include "bench/lib/amplification.h"

#include <cstdlib>
#include <sstream>
#include <vector>

namespace lsm::bench {

AmplificationFields ParseAmplificationProperty(std::string_view text) {
  AmplificationFields out;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> words;
    std::istringstream in(line);
    for (std::string w; in >> w;) {
      std::erase_if(w, [](char c) { return c == '(' || c == ')'; });
      if (!w.empty() && w != "/" && w != "+") words.push_back(w);
    }
    size_t i = 0;
    std::string section;
    if (words.size() >= 2 && words[0] == "read") {  // "read point-hit: ..."
      section = words[1];
      i = 2;
    } else if (!words.empty() && words[0].ends_with(':')) {  // "stall: ..."
      section = words[0];
      i = 1;
    }
    if (section.ends_with(':')) section.pop_back();
    while (i + 1 < words.size()) {
      char* end = nullptr;
      const double v = std::strtod(words[i + 1].c_str(), &end);
      if (end != words[i + 1].c_str() && *end == '\0') {
        out[section.empty() ? words[i] : section + "." + words[i]] = v;
        i += 2;
      } else {
        ++i;  // a name without a number (e.g. "style leveled"): resync on the next word
      }
    }
  }
  return out;
}

}  // namespace lsm::bench
