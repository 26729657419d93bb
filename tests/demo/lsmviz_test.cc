// lsmviz's parser and renderers: golden summary of a small trace, the page and SVG carry the
// DOM hooks the browser test reads, and bad input (empty, bad header, malformed or truncated
// lines) is named by line with everything before it kept.
#include "demo/lsmviz_page.h"

#include <gtest/gtest.h>

namespace lsm::demo {
namespace {

const char kHeader[] = R"({"format":"lsm-trace","version":1,"style":"leveled","levels":7,"key_limit":64})" "\n";
const char kCounters[] = R"("counters":{"files":[0,0,0,0,0,0,0],"bytes":[0,0,0,0,0,0,0],"wa":0,"written":0,"stall_us":0})";

std::string Event(int seq, const std::string& type_and_fields) {
  return "{\"seq\":" + std::to_string(seq) + ",\"t_us\":0,\"type\":" + type_and_fields + "," +
         kCounters + "}\n";
}
std::string F(int level, int number, const char* lo, const char* hi) {
  return "{\"level\":" + std::to_string(level) + ",\"number\":" + std::to_string(number) +
         ",\"size\":100,\"smallest\":\"" + lo + "\",\"largest\":\"" + hi + "\"}";
}

std::string SmallTrace() {
  return std::string(kHeader) +
         Event(1, R"("open","logs":[],"files":[])") +
         Event(2, R"("frozen","memtable_bytes":10,"entries":3,"new_log":4)") +
         Event(3, R"("flush","file":5,"level":0,"size":100,"micros":1,"output":)" + F(0, 5, "a", "f") +
                      ",\"files\":[" + F(0, 5, "a", "f") + "]") +
         Event(4, R"("flush","file":6,"level":0,"size":100,"micros":1,"files":[)" + F(0, 6, "c", "k") +
                      "," + F(0, 5, "a", "f") + "]") +
         Event(5, R"("stall","kind":"slowdown","begin":true,"l0_files":2,"micros":0)") +
         Event(6, R"("compaction","style":"leveled","reason":"L0 file count","level":0,"output_level":1,)"
                  R"("inputs":[{"level":0,"files":[6,5]}],"outputs":[)" + F(1, 7, "a", "e") + "," +
                  F(1, 8, "f", "k") + "],\"files\":[" + F(1, 7, "a", "e") + "," + F(1, 8, "f", "k") + "]") +
         Event(7, R"("trivial_move","style":"leveled","reason":"level size","level":1,"output_level":2,)"
                  R"("inputs":[{"level":1,"files":[8]}],"outputs":[)" + F(2, 8, "f", "k") +
                  "],\"files\":[" + F(1, 7, "a", "e") + "," + F(2, 8, "f", "k") + "]");
}

TEST(LsmvizParser, GoldenSummary) {
  Trace trace;
  ASSERT_TRUE(ReadTrace(SmallTrace(), &trace).ok());
  EXPECT_EQ(
      "trace v1 style leveled: 7 events\n"
      "1 open | (empty)\n"
      "2 frozen 3 entries | (empty)\n"
      "3 flush #5 -> L0 | L0: 5\n"
      "4 flush #6 -> L0 | L0: 6 5\n"
      "5 stall slowdown begin | L0: 6 5\n"
      "6 compaction L0 #6 #5 -> L1 #7 #8 (L0 file count) | L1: 7 8\n"
      "7 trivial_move L1 #8 -> L2 #8 (level size) | L1: 7 | L2: 8\n",
      RenderSummary(trace));
}

TEST(LsmvizParser, MalformedLineIsNamedAndEverythingBeforeIsKept) {
  std::string text = SmallTrace();
  const size_t cut = text.find("{\"seq\":5");
  text.insert(cut, "{\"seq\":5,\"type\":\"flush\",oops}\n");
  Trace trace;
  ASSERT_TRUE(ReadTrace(text, &trace).ok());
  EXPECT_EQ(6u, trace.bad_line);  // header + 4 events, then the bad one
  EXPECT_EQ(4u, trace.events.size());
  EXPECT_NE(std::string::npos, trace.problem.find("malformed JSON")) << trace.problem;
  EXPECT_NE(std::string::npos, RenderSummary(trace).find("line 6: malformed JSON"));
  const std::string page = RenderPage(trace);
  EXPECT_NE(std::string::npos, page.find("id=\"trace-warning\" data-line=\"6\""));
}

TEST(LsmvizParser, TruncatedLastLine) {
  std::string text = SmallTrace();
  text.resize(text.size() - 40);  // the crash case: the last line cut off mid-write
  Trace trace;
  ASSERT_TRUE(ReadTrace(text, &trace).ok());
  EXPECT_EQ(8u, trace.bad_line);
  EXPECT_EQ(6u, trace.events.size());
  EXPECT_NE(std::string::npos, trace.problem.find("truncated line")) << trace.problem;
}

TEST(LsmvizParser, NotAnEvent) {
  Trace trace;
  ASSERT_TRUE(ReadTrace(SmallTrace() + "[1,2]\n", &trace).ok());
  EXPECT_EQ(9u, trace.bad_line);
  EXPECT_EQ("not an event (no \"seq\" or \"type\")", trace.problem);
}

TEST(LsmvizParser, EmptyAndBadHeaders) {
  Trace trace;
  Status s = ReadTrace("", &trace);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(std::string::npos, s.ToString().find("empty trace: no header line")) << s.ToString();
  s = ReadTrace(kHeader, &trace);
  EXPECT_NE(std::string::npos, s.ToString().find("a header but no events")) << s.ToString();
  s = ReadTrace("{\"format\":\"other\"}\n", &trace);
  EXPECT_NE(std::string::npos, s.ToString().find("line 1: not an lsm-trace header")) << s.ToString();
  s = ReadTrace(R"({"format":"lsm-trace","version":99})" "\n", &trace);
  EXPECT_NE(std::string::npos, s.ToString().find("version 99")) << s.ToString();
  s = ReadTrace(std::string(kHeader) + "{bad\n", &trace);
  EXPECT_NE(std::string::npos, s.ToString().find("line 2: malformed JSON")) << s.ToString();
}

TEST(LsmvizRender, PageIsSelfContainedAndEmbedsTheTraceSafely) {
  std::string text = SmallTrace();
  text.insert(text.find("a\",\"largest\":\"f\""), "</script>");  // a hostile key
  Trace trace;
  ASSERT_TRUE(ReadTrace(text, &trace).ok());
  const std::string page = RenderPage(trace);
  for (const char* id : {"id=\"tree\"", "id=\"slider\"", "id=\"play\"", "id=\"fwd\"", "id=\"back\"",
                         "id=\"last\"", "id=\"predict-mode\"", "id=\"reveal\"", "id=\"layout\"",
                         "id=\"charts\"", "id=\"status\"", "data-file-number", "id=\"legend\"",
                         "id=\"levels\"", "id=\"levels-rule\"", "id=\"reason\"",
                         "id=\"compactions\"", "key-axis-label", "level-axis-label",
                         "x-label", "y-label"}) {
    EXPECT_NE(std::string::npos, page.find(id)) << id;
  }
  EXPECT_EQ(std::string::npos, page.find("http://cdn")) << "no network";
  EXPECT_EQ(std::string::npos, page.find("https://")) << "no network";
  EXPECT_EQ(std::string::npos, page.find("src=\"http"));
  EXPECT_EQ(std::string::npos, page.find("\"</script>")) << "the key must not close the script";
  EXPECT_NE(std::string::npos, page.find("<\\/script>"));
}

TEST(LsmvizRender, SvgFrameDrawsTheLayoutAfterTheEvent) {
  Trace trace;
  ASSERT_TRUE(ReadTrace(SmallTrace(), &trace).ok());
  const std::string svg = RenderSvg(trace, 6);
  EXPECT_EQ(0u, svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_NE(std::string::npos, svg.find("data-file-number=\"7\" data-level=\"1\""));
  EXPECT_NE(std::string::npos, svg.find("data-file-number=\"8\" data-level=\"2\""));
  EXPECT_EQ(std::string::npos, svg.find("data-file-number=\"5\""));
  EXPECT_NE(std::string::npos, RenderSvg(trace, 3).find("data-file-number=\"5\" data-level=\"0\""));
  // The key axis names the first and last user key of the trace; a legend entry per level.
  EXPECT_NE(std::string::npos, svg.find("<text id=\"key-first\" x=\"80\" y=")) << svg;
  EXPECT_NE(std::string::npos, svg.find(">a</text>")) << svg;
  EXPECT_NE(std::string::npos, svg.find(">k</text>")) << svg;
  EXPECT_NE(std::string::npos, svg.find("user key &#8594;")) << svg;
  EXPECT_NE(std::string::npos, svg.find("class=\"legend-entry\" data-level=\"2\"")) << svg;
}

}  // namespace
}  // namespace lsm::demo
