// TraceWriter: every line is valid JSON, the header names the format, and each event carries
// its fields and the counters; keys are bounded and escaped; a real DB's trace replays to the
// DB's final layout.
#include "demo/trace_writer.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "demo/json.h"
#include "step5_lsm/db.h"
#include "tests/support/temp_dir.h"

namespace lsm::demo {
namespace {

TableFileInfo File(int level, uint64_t number, uint64_t size, std::string lo, std::string hi) {
  return TableFileInfo{.level = level, .number = number, .file_size = size,
                       .smallest_user_key = std::move(lo), .largest_user_key = std::move(hi)};
}

class TraceWriterTest : public ::testing::Test {
 protected:
  // Every line of the trace, each parsed (and asserted valid).
  std::vector<JsonValue> Lines() {
    std::ifstream in(path_);
    std::vector<JsonValue> out;
    std::string line, error;
    for (size_t n = 1; std::getline(in, line); ++n) {
      JsonValue v;
      EXPECT_TRUE(ParseJson(line, &v, &error)) << "line " << n << ": " << error << "\n" << line;
      out.push_back(v);
    }
    return out;
  }

  testutil::TempDir dir_;
  std::filesystem::path path_ = dir_ / "t.jsonl";
  TraceWriter trace_{"leveled"};
};

TEST_F(TraceWriterTest, HeaderIsVersioned) {
  ASSERT_TRUE(trace_.Start(path_).ok());
  ASSERT_TRUE(trace_.Stop().ok());
  auto lines = Lines();
  ASSERT_EQ(1u, lines.size());
  EXPECT_EQ("lsm-trace", lines[0]["format"].AsString());
  EXPECT_EQ(kTraceFormatVersion, lines[0]["version"].AsInt());
  EXPECT_EQ("leveled", lines[0]["style"].AsString());
  EXPECT_EQ(7, lines[0]["levels"].AsInt());
  EXPECT_EQ(64, lines[0]["key_limit"].AsInt());
}

TEST_F(TraceWriterTest, EachEventHasItsFields) {
  ASSERT_TRUE(trace_.Start(path_).ok());
  RecoveryInfo r;
  r.logs.push_back(LogRecoveryInfo{.log_number = 3, .records_replayed = 10});
  r.files_after = {File(1, 4, 1000, "a", "m")};
  trace_.OnRecovery(r);
  trace_.OnMemTableFrozen(MemTableFrozenInfo{.memtable_bytes = 4096, .entries = 12, .new_log_number = 6});
  FlushInfo f{.file_number = 7, .level = 0, .file_size = 500, .micros = 90,
              .write_amplification = 1.5};
  f.files_after = {File(0, 7, 500, "b", "k"), File(1, 4, 1000, "a", "m")};
  trace_.OnFlush(f);
  trace_.OnWriteStall(WriteStallInfo{.kind = WriteStallInfo::Kind::kTooManyL0Files, .begin = true, .l0_files = 8});
  trace_.OnWriteStall(WriteStallInfo{.kind = WriteStallInfo::Kind::kTooManyL0Files, .begin = false, .l0_files = 8, .micros = 250});
  CompactionInfo c{.level = 0, .output_level = 1, .description = "L0 #7 + L1 #4 -> L1 #8",
                   .input_files = 2, .output_files = 1, .bytes_read = 1500, .bytes_written = 1400,
                   .entries_dropped = 3, .micros = 77, .write_amplification = 2.25};
  c.inputs = {File(0, 7, 500, "b", "k"), File(1, 4, 1000, "a", "m")};
  c.files_after = {File(1, 8, 1400, "a", "m")};
  trace_.OnCompaction(c);
  CompactionInfo t{.level = 1, .output_level = 2, .trivial_move = true, .input_files = 1, .output_files = 1};
  t.inputs = {File(1, 8, 1400, "a", "m")};
  t.files_after = {File(2, 8, 1400, "a", "m")};
  trace_.OnCompaction(t);
  trace_.OnBackgroundError("IO error: disk \"full\"");
  ASSERT_TRUE(trace_.Stop().ok());
  EXPECT_EQ(8u, trace_.events());

  auto lines = Lines();
  ASSERT_EQ(9u, lines.size());
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(static_cast<int64_t>(i), lines[i]["seq"].AsInt());
    EXPECT_TRUE(lines[i].Has("t_us"));
    ASSERT_EQ(7u, lines[i]["counters"]["files"].items().size()) << i;
    ASSERT_EQ(7u, lines[i]["counters"]["bytes"].items().size()) << i;
  }
  const JsonValue& open = lines[1];
  EXPECT_EQ("open", open["type"].AsString());
  EXPECT_EQ(3, open["logs"].items()[0]["log"].AsInt());
  EXPECT_EQ(10, open["logs"].items()[0]["records"].AsInt());
  EXPECT_EQ(4, open["files"].items()[0]["number"].AsInt());
  EXPECT_EQ(1, open["counters"]["files"].items()[1].AsInt());

  const JsonValue& frozen = lines[2];
  EXPECT_EQ("frozen", frozen["type"].AsString());
  EXPECT_EQ(4096, frozen["memtable_bytes"].AsInt());
  EXPECT_EQ(12, frozen["entries"].AsInt());
  EXPECT_EQ(6, frozen["new_log"].AsInt());

  const JsonValue& flush = lines[3];
  EXPECT_EQ("flush", flush["type"].AsString());
  EXPECT_EQ(7, flush["file"].AsInt());
  EXPECT_EQ(500, flush["size"].AsInt());
  EXPECT_EQ(90, flush["micros"].AsInt());
  EXPECT_EQ("b", flush["output"]["smallest"].AsString());
  EXPECT_EQ("k", flush["output"]["largest"].AsString());
  EXPECT_EQ(2u, flush["files"].items().size());
  EXPECT_DOUBLE_EQ(1.5, flush["counters"]["wa"].AsNumber());
  EXPECT_EQ(500, flush["counters"]["bytes"].items()[0].AsInt());
  EXPECT_EQ(500, flush["counters"]["written"].AsInt());

  EXPECT_EQ("stall", lines[4]["type"].AsString());
  EXPECT_EQ("too-many-l0-files", lines[4]["kind"].AsString());
  EXPECT_TRUE(lines[4]["begin"].AsBool());
  EXPECT_FALSE(lines[5]["begin"].AsBool());
  EXPECT_EQ(250, lines[5]["micros"].AsInt());
  EXPECT_EQ(250, lines[5]["counters"]["stall_us"].AsInt());

  const JsonValue& comp = lines[6];
  EXPECT_EQ("compaction", comp["type"].AsString());
  EXPECT_EQ("leveled", comp["style"].AsString());
  EXPECT_EQ("L0 file count", comp["reason"].AsString());
  EXPECT_EQ(0, comp["level"].AsInt());
  EXPECT_EQ(1, comp["output_level"].AsInt());
  ASSERT_EQ(2u, comp["inputs"].items().size());
  EXPECT_EQ(0, comp["inputs"].items()[0]["level"].AsInt());
  EXPECT_EQ(7, comp["inputs"].items()[0]["files"].items()[0].AsInt());
  EXPECT_EQ(1, comp["inputs"].items()[1]["level"].AsInt());
  EXPECT_EQ(4, comp["inputs"].items()[1]["files"].items()[0].AsInt());
  EXPECT_EQ(2u, comp["input_files"].items().size());
  ASSERT_EQ(1u, comp["outputs"].items().size());
  EXPECT_EQ(8, comp["outputs"].items()[0]["number"].AsInt());
  EXPECT_EQ("a", comp["outputs"].items()[0]["smallest"].AsString());
  EXPECT_EQ(1400, comp["outputs"].items()[0]["size"].AsInt());
  EXPECT_EQ(1500, comp["bytes_read"].AsInt());
  EXPECT_EQ(1400, comp["bytes_written"].AsInt());
  EXPECT_EQ(3, comp["entries_dropped"].AsInt());
  EXPECT_EQ(77, comp["micros"].AsInt());
  EXPECT_EQ("L0 #7 + L1 #4 -> L1 #8", comp["description"].AsString());
  EXPECT_DOUBLE_EQ(2.25, comp["counters"]["wa"].AsNumber());

  const JsonValue& move = lines[7];
  EXPECT_EQ("trivial_move", move["type"].AsString());
  EXPECT_EQ("level size", move["reason"].AsString());
  ASSERT_EQ(1u, move["outputs"].items().size());
  EXPECT_EQ(8, move["outputs"].items()[0]["number"].AsInt());
  EXPECT_EQ(2, move["outputs"].items()[0]["level"].AsInt());

  EXPECT_EQ("error", lines[8]["type"].AsString());
  EXPECT_EQ("IO error: disk \"full\"", lines[8]["message"].AsString());
}

// Each level's target and score, and each compaction's reason in words, are what the style's
// policy compares (trace_writer.h "Scores"), measured on the layout when the compaction began.
TEST_F(TraceWriterTest, LeveledScoresAndReasonsSayWhatThePolicyCompared) {
  ASSERT_TRUE(trace_.Start(path_).ok());
  constexpr uint64_t kMiB = 1048576;
  FlushInfo f{.file_number = 12, .level = 0, .file_size = 100};
  f.files_after = {File(0, 9, 100, "a", "c"), File(0, 10, 100, "b", "d"), File(0, 11, 100, "a", "z"),
                   File(0, 12, 100, "c", "e"), File(1, 4, 13 * kMiB, "a", "z")};
  trace_.OnFlush(f);
  // L0 -> L1. #14 is a flush that finished while it ran (numbered after its output #13): the
  // reason counts the four files L0 had when it began.
  FlushInfo mid{.file_number = 14, .level = 0, .file_size = 100};
  mid.files_after = f.files_after;
  mid.files_after.push_back(File(0, 14, 100, "f", "g"));
  trace_.OnFlush(mid);
  CompactionInfo c{.level = 0, .output_level = 1};
  c.inputs = {File(0, 9, 100, "a", "c"), File(0, 10, 100, "b", "d"), File(0, 11, 100, "a", "z"),
              File(0, 12, 100, "c", "e"), File(1, 4, 13 * kMiB, "a", "z")};
  c.files_after = {File(0, 14, 100, "f", "g"), File(1, 13, 13 * kMiB, "a", "z")};
  trace_.OnCompaction(c);
  CompactionInfo l1{.level = 1, .output_level = 2};
  l1.inputs = {File(1, 13, 13 * kMiB, "a", "z")};
  l1.files_after = {File(0, 14, 100, "f", "g"), File(2, 15, 13 * kMiB, "a", "z")};
  trace_.OnCompaction(l1);
  ASSERT_TRUE(trace_.Stop().ok());

  auto lines = Lines();
  ASSERT_EQ(5u, lines.size());
  const JsonValue& limits = lines[0]["limits"];
  EXPECT_EQ(4, limits["l0_trigger"].AsInt());
  EXPECT_EQ(static_cast<int64_t>(10 * kMiB), limits["level_base"].AsInt());
  const JsonValue& after_flush = lines[2]["counters"];  // 5 L0 files, 13 MiB in L1
  EXPECT_EQ(4, after_flush["targets"].items()[0].AsInt());
  EXPECT_DOUBLE_EQ(1.25, after_flush["scores"].items()[0].AsNumber());
  EXPECT_EQ(static_cast<int64_t>(10 * kMiB), after_flush["targets"].items()[1].AsInt());
  EXPECT_DOUBLE_EQ(1.3, after_flush["scores"].items()[1].AsNumber());
  EXPECT_EQ(static_cast<int64_t>(100 * kMiB), after_flush["targets"].items()[2].AsInt());
  EXPECT_EQ(0, after_flush["targets"].items()[6].AsInt()) << "the last level has no target";
  EXPECT_EQ("L0 has 4 files >= trigger 4 (score 1.00)", lines[3]["why"].AsString());
  EXPECT_EQ("level size", lines[4]["reason"].AsString());
  EXPECT_EQ("L1 score 1.30: 13.0 MiB against its target 10.0 MiB", lines[4]["why"].AsString());
}

TEST_F(TraceWriterTest, RunBasedScoresAndReasons) {
  TraceWriter tiered(Options{.compaction_style = CompactionStyle::kTiered});
  ASSERT_TRUE(tiered.Start(path_).ok());
  FlushInfo f{.file_number = 9, .level = 0, .file_size = 300};
  // Runs, newest first: #9 (300 B), #8 (300 B), L5 (400 B), L6 (500 B).
  f.files_after = {File(0, 9, 300, "a", "c"), File(0, 8, 300, "a", "c"), File(5, 4, 400, "a", "z"),
                   File(6, 2, 500, "a", "z")};
  tiered.OnFlush(f);
  CompactionInfo c{.level = 0, .output_level = 6, .reason = "space amplification"};
  c.inputs = f.files_after;
  c.files_after = {File(6, 10, 1500, "a", "z")};
  tiered.OnCompaction(c);
  ASSERT_TRUE(tiered.Stop().ok());

  auto lines = Lines();
  ASSERT_EQ(3u, lines.size());
  EXPECT_EQ("tiered", lines[0]["style"].AsString());
  const JsonValue& counters = lines[1]["counters"];
  EXPECT_EQ(4, counters["targets"].items()[0].AsInt());      // run_compaction_trigger
  EXPECT_DOUBLE_EQ(1.0, counters["scores"].items()[0].AsNumber());  // 4 runs / 4
  EXPECT_EQ(606, counters["targets"].items()[5].AsInt());    // 600 newer bytes x 101%
  EXPECT_DOUBLE_EQ(1.515, counters["scores"].items()[5].AsNumber());
  EXPECT_EQ(500, counters["targets"].items()[6].AsInt());    // 1000 newer bytes / 200%
  EXPECT_DOUBLE_EQ(1.0, counters["scores"].items()[6].AsNumber());
  EXPECT_EQ(0, counters["targets"].items()[1].AsInt()) << "an empty level";
  EXPECT_EQ("space amplification 200% >= 200%: the 3 newer runs hold 1000 B, the oldest run 500 B",
            lines[2]["why"].AsString());
}

TEST_F(TraceWriterTest, KeysAreBoundedAndEscaped) {
  EXPECT_EQ(R"("a\"b\\c")", JsonString("a\"b\\c"));
  EXPECT_EQ(R"("\u0000\u000a\u00ff")", JsonString(std::string_view("\0\n\xff", 3)));
  EXPECT_EQ(R"("abc")", JsonString("abcdef", 3));
  ASSERT_TRUE(trace_.Start(path_).ok());
  FlushInfo f{.file_number = 9, .file_size = 1};
  f.files_after = {File(0, 9, 1, std::string("\x01\"</script>", 11), std::string(500, 'z'))};
  trace_.OnFlush(f);
  ASSERT_TRUE(trace_.Stop().ok());
  auto lines = Lines();
  ASSERT_EQ(2u, lines.size());
  EXPECT_EQ(std::string("\x01\"</script>", 11), lines[1]["files"].items()[0]["smallest"].AsString());
  EXPECT_EQ(std::string(kTraceKeyLimit, 'z'), lines[1]["files"].items()[0]["largest"].AsString());
}

TEST_F(TraceWriterTest, StartMidSessionBeginsWithASnapshot) {
  RecoveryInfo r;
  r.files_after = {File(2, 5, 10, "a", "b")};
  trace_.OnRecovery(r);  // not tracing yet: only remembered
  ASSERT_TRUE(trace_.Start(path_).ok());
  ASSERT_TRUE(trace_.Stop().ok());
  auto lines = Lines();
  ASSERT_EQ(2u, lines.size());
  EXPECT_EQ("snapshot", lines[1]["type"].AsString());
  EXPECT_EQ(5, lines[1]["files"].items()[0]["number"].AsInt());
}

TEST_F(TraceWriterTest, RealDatabaseTraceEndsInItsLayout) {
  ASSERT_TRUE(trace_.Start(path_).ok());
  Options options{.create_if_missing = true, .write_buffer_size = 64 << 10, .listener = &trace_};
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, dir_ / "db", &db).ok());
  const std::string value(100, 'v');
  for (int i = 0; i < 6000; ++i) {
    ASSERT_TRUE(db->Put(WriteOptions{}, fmt::format("key{:06}", (i * 7919) % 6000), value).ok());
  }
  ASSERT_TRUE(db->CompactRange(nullptr, nullptr).ok());
  std::string live;
  int64_t files_in_db = 0;
  for (int level = 0; level < 7; ++level) {
    ASSERT_TRUE(db->GetProperty(fmt::format("lsm.num-files-at-level{}", level), &live));
    files_in_db += std::stoll(live);
  }
  db.reset();
  ASSERT_TRUE(trace_.Stop().ok());
  auto lines = Lines();
  ASSERT_GT(lines.size(), 5u);
  int flushes = 0, compactions = 0;
  const JsonValue* last_files = nullptr;
  for (const auto& v : lines) {
    flushes += v["type"].AsString() == "flush";
    compactions += v["type"].AsString() == "compaction" || v["type"].AsString() == "trivial_move";
    if (v.Has("files")) last_files = &v["files"];
  }
  EXPECT_GT(flushes, 3);
  EXPECT_GT(compactions, 0);
  ASSERT_NE(nullptr, last_files);
  EXPECT_EQ(static_cast<size_t>(files_in_db), last_files->items().size());
}

}  // namespace
}  // namespace lsm::demo
