#include "demo/recovery_warning.h"

#include <sstream>

#include <fmt/format.h>

namespace lsm {

std::string RecoveryWarning(DB& db, const std::filesystem::path& dir) {
  std::string recovery;
  if (!db.GetProperty("lsm.recovery", &recovery)) return "";
  std::string lost;
  std::istringstream lines(recovery);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("DAMAGED") != std::string::npos || line.find("SKIPPED") != std::string::npos) {
      lost += fmt::format("  {}\n", line);
    }
  }
  if (lost.empty()) return "";
  return fmt::format(
      "WARNING: {} was recovered from damaged logs; writes after the damage are missing:\n{}"
      "  (details in {})\n",
      dir.string(), lost, (dir / "LOG").string());
}

}  // namespace lsm
