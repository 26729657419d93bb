#include "demo/lsmviz_page.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "demo/narrator.h"
#include "demo/trace_writer.h"

namespace lsm::demo {

extern const char kLsmvizStyle[];   // demo/lsmviz_assets.cc
extern const char kLsmvizScript[];

namespace {

bool ReadFiles(const JsonValue& list, std::vector<TraceFile>* out, std::string* problem) {
  out->clear();
  for (const JsonValue& f : list.items()) {
    if (f.kind() != JsonValue::Kind::kObject || !f.Has("number") || !f.Has("level")) {
      *problem = "a file without \"number\" or \"level\"";
      return false;
    }
    out->push_back(TraceFile{.level = static_cast<int>(f["level"].AsInt()),
                             .number = static_cast<uint64_t>(f["number"].AsInt()),
                             .size = static_cast<uint64_t>(f["size"].AsInt()),
                             .smallest = f["smallest"].AsString(),
                             .largest = f["largest"].AsString()});
  }
  return true;
}

// "L0: 12 13 | L1: 4 5" (levels with files only; "(empty)" for none).
std::string LayoutText(const std::vector<TraceFile>& files, std::string_view sep) {
  std::map<int, std::vector<uint64_t>> by_level;
  for (const auto& f : files) by_level[f.level].push_back(f.number);
  std::string out;
  for (auto& [level, numbers] : by_level) {
    if (level != 0) std::sort(numbers.begin(), numbers.end());
    out += fmt::format("{}L{}: {}", out.empty() ? "" : sep, level, fmt::join(numbers, " "));
  }
  return out.empty() ? "(empty)" : out;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else if (u < 0x20 || u >= 0x7f) out += fmt::format("\\x{:02x}", u);
    else out += c;
  }
  return out;
}

}  // namespace

Status ReadTrace(std::string_view text, Trace* trace) {
  *trace = Trace{};
  std::vector<std::string_view> lines;
  bool last_has_newline = true;
  for (size_t pos = 0; pos < text.size();) {
    const size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(pos));
      last_has_newline = false;
      break;
    }
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  if (lines.empty() || (lines.size() == 1 && lines[0].empty())) {
    return Status::InvalidArgument("empty trace: no header line (write one with demo --trace FILE)");
  }
  JsonValue header;
  std::string error;
  if (!ParseJson(lines[0], &header, &error) || header["format"].AsString() != "lsm-trace") {
    return Status::InvalidArgument("line 1: not an lsm-trace header{}",
                                   error.empty() ? "" : " (" + error + ")");
  }
  trace->version = static_cast<int>(header["version"].AsInt());
  if (trace->version < 1 || trace->version > kTraceFormatVersion) {
    return Status::InvalidArgument("line 1: trace format version {} (this lsmviz reads 1..{})",
                                   trace->version, kTraceFormatVersion);
  }
  trace->style = header["style"].AsString();
  trace->header_raw = std::string(lines[0]);
  std::vector<TraceFile> layout;
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t line = i + 1;
    if (lines[i].empty() && i + 1 == lines.size()) break;
    TraceEvent ev;
    ev.line = line;
    ev.raw = std::string(lines[i]);
    std::string problem;
    if (!ParseJson(lines[i], &ev.json, &error)) {
      const bool truncated = i + 1 == lines.size() && !last_has_newline;
      problem = fmt::format("{} ({})", truncated ? "truncated line" : "malformed JSON", error);
    } else if (ev.json.kind() != JsonValue::Kind::kObject || !ev.json.Has("type") ||
               !ev.json.Has("seq")) {
      problem = "not an event (no \"seq\" or \"type\")";
    } else if (ev.json.Has("files") && !ReadFiles(ev.json["files"], &layout, &problem)) {
      // problem set
    }
    if (!problem.empty()) {
      trace->bad_line = line;
      trace->problem = problem;
      break;
    }
    ev.seq = ev.json["seq"].AsInt();
    ev.type = ev.json["type"].AsString();
    ev.layout = layout;
    trace->events.push_back(std::move(ev));
  }
  if (trace->events.empty()) {
    if (trace->bad_line != 0) {
      return Status::InvalidArgument("line {}: {}; no event before it to draw", trace->bad_line,
                                     trace->problem);
    }
    return Status::InvalidArgument("empty trace: a header but no events");
  }
  return Status::OK();
}

std::string RenderSummary(const Trace& trace) {
  std::string out = fmt::format("trace v{} style {}: {} events\n", trace.version, trace.style,
                                trace.events.size());
  for (const auto& ev : trace.events) {
    const JsonValue& j = ev.json;
    std::string detail;
    if (ev.type == "flush") {
      detail = fmt::format("#{} -> L{}", j["file"].AsInt(), j["level"].AsInt());
    } else if (ev.type == "compaction" || ev.type == "trivial_move") {
      std::string in;
      for (const auto& g : j["inputs"].items()) {
        std::vector<int64_t> n;
        for (const auto& x : g["files"].items()) n.push_back(x.AsInt());
        in += fmt::format("{}L{} #{}", in.empty() ? "" : " + ", g["level"].AsInt(),
                          fmt::join(n, " #"));
      }
      std::vector<int64_t> outs;
      for (const auto& f : j["outputs"].items()) outs.push_back(f["number"].AsInt());
      detail = fmt::format("{} -> L{} #{} ({})", in, j["output_level"].AsInt(),
                           fmt::join(outs, " #"), j["reason"].AsString());
    } else if (ev.type == "stall") {
      detail = fmt::format("{} {}", j["kind"].AsString(), j["begin"].AsBool() ? "begin" : "end");
    } else if (ev.type == "frozen") {
      detail = fmt::format("{} entries", j["entries"].AsInt());
    }
    out += fmt::format("{} {}{}{} | {}\n", ev.seq, ev.type, detail.empty() ? "" : " ", detail,
                       LayoutText(ev.layout, " | "));
  }
  if (trace.bad_line != 0) out += fmt::format("line {}: {}\n", trace.bad_line, trace.problem);
  return out;
}

std::string RenderSvg(const Trace& trace, size_t index) {
  const std::vector<TraceFile>& files = trace.events.at(index).layout;
  // x: a key's rank among all boundaries in the trace; rows: one lane per L0 file (each is a
  // sorted run), then one per level down to the deepest level the trace ever used.
  std::set<std::string> keys;
  int deepest = 1;
  uint64_t biggest = 1;
  for (const auto& ev : trace.events) {
    for (const auto& f : ev.layout) {
      keys.insert(f.smallest);
      keys.insert(f.largest);
      deepest = std::max(deepest, f.level);
      biggest = std::max(biggest, f.size);
    }
  }
  std::map<std::string, size_t> rank;
  for (const auto& k : keys) rank.emplace(k, rank.size());
  const double span = std::max<size_t>(1, keys.size() - 1);
  constexpr double kLeft = 80, kWidth = 720, kLane = 16, kRow = 40, kTop = 30;
  std::vector<const TraceFile*> l0;
  for (const auto& f : files) if (f.level == 0) l0.push_back(&f);
  std::sort(l0.begin(), l0.end(), [](auto* a, auto* b) { return a->number > b->number; });
  const double l0_height = std::max<size_t>(1, l0.size()) * kLane + 8;
  constexpr double kAxis = 44;  // the key axis under the deepest level
  const double tree_bottom = kTop + l0_height + deepest * kRow;
  const double height = tree_bottom + kAxis;
  const auto& ev = trace.events[index];
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" )"
      R"(font-family="sans-serif" font-size="12">)"
      "\n<rect width=\"100%\" height=\"100%\" fill=\"#fdfdf8\"/>\n"
      R"(<text x="8" y="18" font-weight="bold">LSM tree after event {} ({}), {} style: {} files</text>)"
      "\n", kLeft + kWidth + 20, height, kLeft + kWidth + 20, height, ev.seq, ev.type,
      XmlEscape(trace.style), files.size());
  static const char* kColors[] = {"#e4572e", "#f3a712", "#a8c686", "#669bbc", "#29335c",
                                  "#8e6c8a", "#5b5b5b"};
  // The legend: one colour per level, right-aligned on the title line.
  for (int level = 0; level <= deepest; ++level) {
    const double x = kLeft + kWidth - 44.0 * (deepest - level + 1);
    svg += fmt::format(R"(<g class="legend-entry" data-level="{}"><rect x="{:.0f}" y="8" width="10" )"
                       R"(height="10" fill="{}" stroke="#222" stroke-width="0.5"/>)"
                       R"(<text x="{:.0f}" y="17">L{}</text></g>)" "\n",
                       level, x, kColors[level % 7], x + 13, level);
  }
  auto rect = [&](const TraceFile& f, double y, double h) {
    const double x0 = kLeft + kWidth * rank[f.smallest] / span;
    const double x1 = kLeft + kWidth * rank[f.largest] / span;
    const double fh = h * (0.35 + 0.65 * std::sqrt(static_cast<double>(f.size) / biggest));
    svg += fmt::format(
        R"(<rect class="file" data-file-number="{}" data-level="{}" x="{:.1f}" y="{:.1f}" )"
        R"(width="{:.1f}" height="{:.1f}" fill="{}" stroke="#222" stroke-width="0.5">)"
        R"(<title>#{} L{} [{} .. {}] {}</title></rect>)" "\n",
        f.number, f.level, x0, y + (h - fh), std::max(2.0, x1 - x0), fh, kColors[f.level % 7],
        f.number, f.level, XmlEscape(f.smallest), XmlEscape(f.largest), HumanBytes(f.size));
  };
  double y = kTop;
  svg += fmt::format(R"(<text x="8" y="{:.1f}">L0</text>)" "\n", y + 12);
  for (const TraceFile* f : l0) {
    rect(*f, y, kLane - 3);
    y += kLane;
  }
  y = kTop + l0_height;
  for (int level = 1; level <= deepest; ++level, y += kRow) {
    svg += fmt::format(R"(<line x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="#ccc"/>)"
                       R"(<text x="8" y="{:.1f}">L{}</text>)" "\n",
                       kLeft, kLeft + kWidth, y - 4, y - 4, y + 20, level);
    for (const auto& f : files) {
      if (f.level == level) rect(f, y, kRow - 10);
    }
  }
  // The key axis: files are placed by key rank, from the trace's first to its last key.
  const double ay = tree_bottom + 6;
  svg += fmt::format(
      R"(<g id="key-axis"><line x1="{0}" x2="{1}" y1="{2:.1f}" y2="{2:.1f}" stroke="#444"/>)"
      R"(<text id="key-first" x="{0}" y="{3:.1f}" font-size="11">{4}</text>)"
      R"(<text id="key-last" x="{1}" y="{3:.1f}" font-size="11" text-anchor="end">{5}</text>)"
      R"(<text id="key-axis-label" x="{6}" y="{7:.1f}" font-size="11" text-anchor="middle">)"
      R"(user key &#8594; (placed by key rank, not byte value); rows: levels, box height grows )"
      R"(with bytes</text></g>)" "\n",
      kLeft, kLeft + kWidth, ay, ay + 16, XmlEscape(keys.empty() ? "" : *keys.begin()),
      XmlEscape(keys.empty() ? "" : *keys.rbegin()), kLeft + kWidth / 2, ay + 32);
  return svg + "</svg>\n";
}

std::string RenderPage(const Trace& trace) {
  // The trace is embedded as a JS array of its own (valid JSON) lines; "</" is written "<\/"
  // so no key can close the <script> element.
  std::string data = "[" + trace.header_raw;
  for (const auto& ev : trace.events) data += ",\n" + ev.raw;
  data += "]";
  std::string safe;
  safe.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '<' && i + 1 < data.size() && data[i + 1] == '/') safe += "<\\";
    else safe += data[i];
  }
  std::string warning;
  if (trace.bad_line != 0) {
    warning = fmt::format(R"(<p id="trace-warning" data-line="{}">Trace line {}: {}. Showing )"
                          R"(the {} events before it.</p>)",
                          trace.bad_line, trace.bad_line, XmlEscape(trace.problem),
                          trace.events.size());
  }
  return fmt::format(R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>LSM tree replay ({} events)</title>
<style>{}</style></head>
<body>
<h1>The LSM tree, replayed from the engine's trace</h1>
{}
<div id="controls">
<button id="first" title="first event">|&lt;</button>
<button id="back" title="step back">&lt;</button>
<button id="play" title="play / pause">play</button>
<button id="fwd" title="step forward">&gt;</button>
<button id="last" title="last event">&gt;|</button>
<input id="slider" type="range" min="0" max="0" value="0">
<label><input id="predict-mode" type="checkbox"> predict mode</label>
</div>
<div id="status"></div>
<div id="reason"></div>
<div id="legend"></div>
<div id="main"><svg id="tree" xmlns="http://www.w3.org/2000/svg"></svg>
<div id="side"><div id="info">Hover a file.</div>
<div id="predict" hidden><p id="predict-question"></p><button id="reveal">reveal</button>
<p id="predict-answer"></p></div>
<table id="levels"></table><p id="levels-rule"></p></div></div>
<div id="charts"></div>
<h2 style="font-size:14px;margin:10px 0 0">Every compaction and why the engine ran it</h2>
<ol id="compactions"></ol>
<pre id="layout"></pre>
<script>const TRACE = {};</script>
<script>{}</script>
</body></html>
)",
                     trace.events.size(), kLsmvizStyle, warning, safe, kLsmvizScript);
}

}  // namespace lsm::demo
