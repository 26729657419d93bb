// lsmviz: draws the LSM tree replayed from a trace (demo/trace_writer.h) — one self-contained
// offline HTML page, or a static SVG frame (demo/lsmviz_page.h).
//
//   demo --trace t.jsonl && lsmviz t.jsonl -o tree.html     open tree.html in a browser
//   lsmviz --svg --at 40 t.jsonl -o frame.svg               the tree after event 40
//   lsmviz --svg --at last t.jsonl -o frame.svg             ... after the last event
//   lsmviz --summary t.jsonl                                one text line per event
// Exit status: 0 when the whole trace was drawn; 1 when it could not be read (empty, not a
// trace: nothing is written) or a line was malformed or truncated (the line is named on
// stderr and the output IS written, drawing every event before it); 2 for bad arguments.
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/file.h"
#include "common/flags.h"
#include "common/main_guard.h"
#include "demo/lsmviz_page.h"

namespace {

lsm::Status WriteWhole(const std::string& path, const std::string& text) {
  if (path == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) == text.size()) return lsm::Status::OK();
    return lsm::Status::IOError("stdout: write failed");
  }
  return lsm::WriteStringToFile(lsm::FileSystem::Default(), text, path, /*sync=*/false);
}

}  // namespace

static int Main(int argc, char** argv) {
  // "-o FILE" is spelled the usual way; Flags only knows "--name".
  std::vector<std::string> words(argv, argv + argc);
  for (auto& w : words) if (w == "-o") w = "--out";
  std::vector<char*> args;
  for (auto& w : words) args.push_back(w.data());

  lsm::Flags flags("lsmviz", "Draws the LSM tree replayed from a trace written by demo --trace "
                             "(or kvsh's trace command): an offline HTML page or an SVG frame.");
  std::string out = "tree.html", at = "last";
  bool svg = false, summary = false;
  std::vector<std::string> inputs;
  flags.String("out", &out, "output file (-o; '-' for stdout)");
  flags.Bool("svg", &svg, "write a static SVG frame instead of the page");
  flags.String("at", &at, "with --svg: the event (its seq number, or 'last') to draw after");
  flags.Bool("summary", &summary, "print one text line per event instead (the parser's view)");
  flags.Arguments("TRACE", &inputs);
  if (lsm::Status s = flags.Parse(static_cast<int>(args.size()), args.data()); !s.ok()) {
    return flags.Fail(s);
  }
  if (flags.help()) return 0;
  if (inputs.size() != 1) return flags.Fail(lsm::Status::InvalidArgument("give one TRACE file"));

  // The file layer refuses a directory, a device or a FIFO by name ("is not a regular file").
  std::string text;
  if (lsm::Status s = lsm::ReadFileToString(lsm::FileSystem::Default(), inputs[0], &text);
      !s.ok()) {
    fmt::print(stderr, "lsmviz: cannot read the trace: {}\n", s.message());
    return 1;
  }
  lsm::demo::Trace trace;
  if (lsm::Status s = lsm::demo::ReadTrace(text, &trace); !s.ok()) {
    fmt::print(stderr, "lsmviz: {}: {}\n", inputs[0], s.message().empty() ? s.ToString() : s.message());
    return 1;
  }
  size_t index = trace.events.size() - 1;
  if (svg && at != "last") {
    size_t i = 0;
    while (i < trace.events.size() && std::to_string(trace.events[i].seq) != at) ++i;
    if (i == trace.events.size()) {
      return flags.Fail(lsm::Status::InvalidArgument(
          "--at {}: no such event (events {}..{}, or 'last')", at, trace.events.front().seq,
          trace.events.back().seq));
    }
    index = i;
  }
  const std::string output = summary ? lsm::demo::RenderSummary(trace)
                             : svg   ? lsm::demo::RenderSvg(trace, index)
                                     : lsm::demo::RenderPage(trace);
  if (lsm::Status s = WriteWhole(summary ? "-" : out, output); !s.ok()) {
    fmt::print(stderr, "lsmviz: cannot write the output: {}\n", s.message());
    return 1;
  }
  if (trace.bad_line != 0) {
    fmt::print(stderr, "lsmviz: {}:{}: {}; drew the {} events before it\n", inputs[0],
               trace.bad_line, trace.problem, trace.events.size());
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
