// RecoveryWarning: what the tools say when Open had to drop damaged log data.
//
// Example:
//   if (std::string w = RecoveryWarning(*db, dir); !w.empty()) fmt::print(stderr, "{}", w);
//
// Reads the "lsm.recovery" property (step5_lsm/db.h): "" when every log replayed cleanly (a
// torn tail after a crash is normal and says nothing), otherwise a WARNING naming each log that
// was damaged or skipped, where its bytes were kept, and the info log with the details.
#pragma once

#include <filesystem>
#include <string>

#include "step5_lsm/db.h"

namespace lsm {

std::string RecoveryWarning(DB& db, const std::filesystem::path& dir);

}  // namespace lsm
