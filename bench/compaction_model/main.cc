// compaction_model: see bench/compaction_model/model.h. Example:
//   compaction_model --quick --compare          # every style, predicted vs measured
//   compaction_model --style=tiered --num=1000000
#include "bench/compaction_model/model.h"
#include "common/main_guard.h"

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, lsm::model::Main); }
