// Placeholder until the step-5 engine exists: "ours" is not available yet.
#include "bench/db_bench/engine.h"

namespace lsm::bench {
std::unique_ptr<BenchEngine> NewOurEngine() { return nullptr; }
}  // namespace lsm::bench
