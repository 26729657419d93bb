// lsmviz's library: reads a trace (demo/trace_writer.h) and draws the tree from it — one
// self-contained offline HTML page (inline CSS, JS and SVG: opens from file://, no network),
// a static SVG frame, and a text summary (the parser's golden output).
//
// Example:
//   Trace trace;
//   Status s = ReadTrace(text, &trace);     // trace.bad_line != 0: drew only what came before
//   if (!s.ok()) return Fail(s);            // empty trace, bad header
//   std::string html = RenderPage(trace);
//
// Bad input: ReadTrace fails (and gives no trace) when there is no header line, the header is
// not an lsm-trace of a version it knows, or no event follows it. A malformed or truncated
// event line N stops reading: the events before it are kept, trace.bad_line = N and
// trace.problem says what was wrong; lsmviz writes the page (with a warning on it) and exits 1.
//
// The page's DOM, for tests that drive it (see scripts/browser_test.sh):
//   controls  #first #back #play #fwd #last (buttons), #slider (range over frames),
//             #predict-mode (checkbox), #reveal (button), URL "?at=last" or "?at=SEQ" opens at
//             that event (after it), "?predict=1" starts in predict mode;
//   #tree     the SVG: per file a <rect class="file" data-file-number data-level data-run
//             data-seq-made> (class "input" or "output" while a compaction is shown); its
//             key axis #key-axis with #key-first and #key-last (the first and last user key
//             of the trace) and #key-axis-label, and #level-axis-label;
//   #legend   a .legend-entry per level drawn (data-level, its colour) and for the compaction
//             input and output outlines (data-kind);
//   #levels   a table row per level (<tr data-level>): files, size, target, score (the
//             score cell has data-score; "—" where the level has no target), #levels-rule
//             the style's rule in words (trace_writer.h "Scores");
//   #reason   why the compaction shown (or the last one before the frame) ran, in words
//             (the trace's "why"), data-seq its event; #compactions an <li data-seq> per
//             compaction with its reason;
//   #status   "event SEQ/N TYPE ...", with data-seq and data-frame attributes;
//   #layout   text "L0: 12 13\nL1: 4 5 ..." of the frame shown (machine-readable);
//   #info     the hovered file; #predict the predict-mode panel; #charts the WA, bytes per
//             level and stall-time charts (#chart-wa, #chart-bytes, #chart-stall), each with
//             a .x-label and a .y-label naming its units; #trace-warning present when
//             trace.bad_line != 0.
// Frames: a compaction or trivial move is two frames (its inputs highlighted in the layout
// before it, then its outputs in the layout after); any other event is one frame.
//
// Thread-safety: pure functions. Simplifications: keys are placed by their rank among every
// key boundary in the trace (not by their bytes), so the x axis is monotone but not linear.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "demo/json.h"

namespace lsm::demo {

struct TraceFile {
  int level = 0;
  uint64_t number = 0;
  uint64_t size = 0;
  std::string smallest, largest;
};

struct TraceEvent {
  size_t line = 0;        // 1-based line number in the trace file
  std::string raw;        // the line as written (valid JSON)
  JsonValue json;
  int64_t seq = 0;
  std::string type;
  std::vector<TraceFile> layout;  // the live files after this event (carried forward)
};

struct Trace {
  std::string style;  // from the header
  int version = 0;
  std::string header_raw;
  std::vector<TraceEvent> events;
  size_t bad_line = 0;  // 0: every line read
  std::string problem;  // why bad_line was not read
};

// Parses a whole trace file's text; see "Bad input" above.
Status ReadTrace(std::string_view text, Trace* trace);

// One line per event: "SEQ TYPE details | L0: 12 13 | L1: 4 5"; the golden test's view.
std::string RenderSummary(const Trace& trace);

// The layout after event index `index` (0-based in trace.events) as a standalone SVG.
// REQUIRES: index < trace.events.size().
std::string RenderSvg(const Trace& trace, size_t index);

// The whole interactive page.
std::string RenderPage(const Trace& trace);

}  // namespace lsm::demo
