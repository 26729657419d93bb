// The CSS and JavaScript that lsmviz inlines into its page (demo/lsmviz_page.h describes the
// DOM they drive). Plain ES2017, no libraries, no network: the page opens from file://.
//
// The script reads TRACE (the trace's lines: header first), replays it into frames (a
// compaction is two: inputs highlighted before, outputs after), and redraws #tree, #status,
// #layout and the chart cursors for the frame the controls select.

namespace lsm::demo {

extern const char kLsmvizStyle[] = R"CSS(
body { font-family: sans-serif; margin: 16px; background: #fdfdf8; color: #222; }
h1 { font-size: 18px; margin: 0 0 8px; }
#controls button { min-width: 36px; }
#slider { width: 420px; vertical-align: middle; }
#status { margin: 6px 0; font-family: monospace; }
#main { display: flex; gap: 12px; }
#tree { border: 1px solid #ccc; background: #fff; }
#side { width: 300px; font-size: 13px; }
#info { border: 1px solid #ddd; padding: 6px; min-height: 80px; white-space: pre-wrap; }
#predict { border: 2px solid #f3a712; padding: 6px; margin-top: 8px; }
#trace-warning { background: #fdd; border: 1px solid #c00; padding: 6px; }
#charts { display: flex; gap: 12px; margin-top: 10px; }
#charts svg { border: 1px solid #ddd; background: #fff; }
#layout { font-size: 12px; color: #555; }
#legend { margin: 4px 0; font-size: 13px; }
.legend-entry { margin-right: 12px; white-space: nowrap; }
.swatch { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin-right: 3px; border: 1px solid #222; }
.swatch.input { background: #fff; border: 3px solid #c00; width: 8px; height: 8px; }
.swatch.output { background: #fff; border: 3px solid #0a0; width: 8px; height: 8px; }
#levels { border-collapse: collapse; margin-top: 8px; font-size: 12px; }
#levels th, #levels td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; white-space: nowrap; }
#levels th:first-child, #levels td:first-child { text-align: left; }
#levels tr.over td.score { background: #fdd; font-weight: bold; }
#levels-rule { font-size: 12px; color: #555; margin: 4px 0 0; }
#reason { margin: 4px 0; padding: 4px 6px; background: #eef5ff; border-left: 4px solid #669bbc; min-height: 1.2em; }
#compactions { font-size: 12px; max-height: 220px; overflow-y: auto; margin: 4px 0 0; padding-left: 28px; }
#compactions li { cursor: pointer; }
#compactions li.current { background: #eef5ff; font-weight: bold; }
.axis-label { font-size: 11px; fill: #444; }
rect.file { cursor: pointer; }
rect.file.input { stroke: #c00; stroke-width: 3; }
rect.file.output { stroke: #0a0; stroke-width: 3; }
rect.file.guess { stroke: #00f; stroke-width: 3; stroke-dasharray: 4 2; }
)CSS";

extern const char kLsmvizScript[] = R"JS(
(function () {
'use strict';
const header = TRACE[0], events = TRACE.slice(1);
const NS = 'http://www.w3.org/2000/svg';
const COLORS = ['#e4572e', '#f3a712', '#a8c686', '#669bbc', '#29335c', '#8e6c8a', '#5b5b5b'];
const $ = (id) => document.getElementById(id);
function el(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
function human(b) {
  if (b >= 1099511627776) return (b / 1099511627776).toFixed(1) + ' TiB';
  if (b >= 1073741824) return (b / 1073741824).toFixed(1) + ' GiB';
  if (b >= 1048576) return (b / 1048576).toFixed(1) + ' MiB';
  if (b >= 1024) return (b / 1024).toFixed(0) + ' KiB';
  return b + ' B';
}
function show(k) {  // a key: printable ASCII as is, other code units as \xNN
  let s = '';
  for (const c of k) { const u = c.charCodeAt(0); s += (u < 32 || u > 126) ? '\\x' + u.toString(16).padStart(2, '0') : c; }
  return s;
}

// Replay: the layout after each event, where each file was made, and the frames.
const layouts = [], made = new Map(), frames = [];
let layout = [], deepest = 1, biggest = 1, maxL0 = 1;
const keySet = new Set();
events.forEach((ev, i) => {
  const before = layout;
  if (ev.files) {
    layout = ev.files;
    const had = new Set(before.map((f) => f.level + ':' + f.number));
    for (const f of layout) if (!had.has(f.level + ':' + f.number)) made.set(f.number + ':' + f.level, ev);
  }
  layouts.push(layout);
  let l0 = 0;
  for (const f of layout) {
    keySet.add(f.smallest); keySet.add(f.largest);
    deepest = Math.max(deepest, f.level); biggest = Math.max(biggest, f.size);
    if (f.level === 0) l0++;
  }
  maxL0 = Math.max(maxL0, l0);
  if (ev.type === 'compaction' || ev.type === 'trivial_move') {
    maxL0 = Math.max(maxL0, before.filter((f) => f.level === 0).length);
    frames.push({ ev: i, phase: 'inputs', files: before });
  }
  frames.push({ ev: i, phase: 'after', files: layout });
});
const keys = Array.from(keySet).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const rank = new Map(keys.map((k, i) => [k, i]));
const span = Math.max(1, keys.length - 1);

const LEFT = 70, WIDTH = 750, LANE = 14, ROW = 44, TOP = 8, AXIS = 46;
const l0Height = maxL0 * LANE + 10;
const treeBottom = TOP + l0Height + deepest * ROW;
const height = treeBottom + AXIS;
const tree = $('tree');
tree.setAttribute('width', LEFT + WIDTH + 10);
tree.setAttribute('height', height);

let cur = 0, timer = null, predicting = false, guesses = new Set();
const runBased = header.style === 'tiered' || header.style === 'lazy-leveled';
const limits = header.limits || null;  // trace format 2; version 1 traces have no scores
const geq = (s) => String(s || '').replace(/>=/g, '\u2265');

function xOf(k) { return LEFT + WIDTH * rank.get(k) / span; }
function explain(ev) {
  const r = ev.reason || '';
  const why = {
    'L0 file count': 'L0 had too many files (score = files / 4 >= 1): the policy takes an L0 file after the compact pointer, widens to every L0 file overlapping it, and adds every L1 file that overlaps their key range.',
    'level size': 'L' + ev.level + ' was over its size limit (score = bytes / limit >= 1): the policy takes the first file after L' + ev.level + '\'s compact pointer (the largest key of its last compaction, round robin) and every file of L' + (ev.level + 1) + ' that overlaps it.',
    'seek': 'a file used up its allowed seeks (reads that had to look at it and then deeper): it is merged down with the files it overlaps.',
    'manual': 'CompactRange asked for this key range.',
    'size ratio': 'size ratio: starting from the newest run, runs are merged while the set is at least as big (within size_ratio %) as the next older run.',
    'space amplification': 'space amplification: all runs but the oldest add up to too much compared with the oldest, so every run is merged.',
  }[r];
  return (why || ('the engine\'s reason: ' + r)) + (ev.type === 'trivial_move' ? ' One file with nothing to merge below: a trivial move (only the MANIFEST changes).' : '');
}
function inputSet(ev) {
  const s = new Set();
  for (const g of ev.inputs || []) for (const n of g.files) s.add(g.level + ':' + n);
  return s;
}

function draw() {
  const fr = frames[cur], ev = events[fr.ev];
  while (tree.firstChild) tree.removeChild(tree.firstChild);
  const l0 = fr.files.filter((f) => f.level === 0).sort((a, b) => b.number - a.number);
  const inputs = fr.phase === 'inputs' ? inputSet(ev) : new Set();
  const outputs = new Set();
  if (fr.phase === 'after' && ev.outputs) for (const f of ev.outputs) outputs.add(f.level + ':' + f.number);
  if (fr.phase === 'after' && ev.type === 'flush' && ev.output) outputs.add(ev.output.level + ':' + ev.output.number);
  el('text', { x: 24, y: TOP + 12 }, tree).textContent = runBased ? 'L0 runs' : 'L0';
  function rect(f, y, h, run) {
    const x0 = xOf(f.smallest), x1 = xOf(f.largest);
    const fh = h * (0.35 + 0.65 * Math.sqrt(f.size / biggest));  // area grows with bytes
    const id = f.level + ':' + f.number;
    const cls = 'file' + (inputs.has(id) ? ' input' : '') + (outputs.has(id) ? ' output' : '') +
        (predicting && guesses.has(id) ? ' guess' : '');
    const m = made.get(f.number + ':' + f.level);
    const r = el('rect', { class: cls, 'data-file-number': f.number, 'data-level': f.level,
      'data-run': run, 'data-seq-made': m ? m.seq : 0, x: x0.toFixed(1), y: (y + h - fh).toFixed(1),
      width: Math.max(2, x1 - x0).toFixed(1), height: fh.toFixed(1), fill: COLORS[f.level % 7],
      stroke: '#222', 'stroke-width': 0.5 }, tree);
    r.addEventListener('mouseover', () => {
      $('info').textContent = '#' + f.number + '  level ' + f.level + '\n[' + show(f.smallest) + ' .. ' +
        show(f.largest) + ']\n' + human(f.size) + '\nmade by ' + (m ? 'event ' + m.seq + ' (' + m.type + (m.reason ? ', ' + m.reason : '') + ')' : 'an earlier run');
    });
    r.addEventListener('click', () => {
      if (!predicting) return;
      if (guesses.has(id)) guesses.delete(id); else guesses.add(id);
      r.classList.toggle('guess');
    });
  }
  let y = TOP;
  l0.forEach((f, i) => { rect(f, y, LANE - 3, i); y += LANE; });
  y = TOP + l0Height;
  for (let level = 1; level <= deepest; level++, y += ROW) {
    el('line', { x1: LEFT, x2: LEFT + WIDTH, y1: y - 4, y2: y - 4, stroke: '#ccc' }, tree);
    el('text', { x: 24, y: y + 20 }, tree).textContent = 'L' + level;
    for (const f of fr.files) if (f.level === level) rect(f, y, ROW - 10, 0);
  }
  drawTreeAxes();
  const st = $('status');
  st.dataset.seq = ev.seq; st.dataset.frame = cur;
  let text = 'event ' + ev.seq + '/' + events.length + '  ' + ev.type;
  if (ev.type === 'compaction' || ev.type === 'trivial_move') {
    text += (fr.phase === 'inputs' ? '  (inputs, red)  ' : '  (outputs, green)  ') + (ev.description || '') +
      '  reason: ' + ev.reason + (ev.why ? ' (' + geq(ev.why) + ')' : '') + '  read ' + human(ev.bytes_read) + ', wrote ' + human(ev.bytes_written) +
      ', dropped ' + ev.entries_dropped + ' entries, ' + (ev.micros / 1000).toFixed(1) + ' ms';
  } else if (ev.type === 'flush') {
    text += '  #' + ev.file + ' -> L' + ev.level + ', ' + human(ev.size);
  } else if (ev.type === 'stall') {
    text += '  ' + ev.kind + (ev.begin ? ' begins' : ' ends after ' + (ev.micros / 1000).toFixed(1) + ' ms');
  } else if (ev.type === 'frozen') {
    text += '  ' + ev.entries + ' entries, ' + human(ev.memtable_bytes);
  }
  st.textContent = text;
  const by = new Map();
  for (const f of fr.files) { if (!by.has(f.level)) by.set(f.level, []); by.get(f.level).push(f.number); }
  $('layout').textContent = Array.from(by.keys()).sort((a, b) => a - b).map((l) =>
    'L' + l + ': ' + (l === 0 ? by.get(l) : by.get(l).sort((a, b) => a - b)).join(' ')).join('\n');
  $('slider').value = cur;
  drawLevels(ev);
  drawReason(fr, ev);
  for (const c of document.querySelectorAll('.cursor')) {
    c.setAttribute('x1', c.dataset.x0 * 1 + c.dataset.w * fr.ev / Math.max(1, events.length - 1));
    c.setAttribute('x2', c.getAttribute('x1'));
  }
}

// The tree's axes: keys along x (first and last user key of the whole trace), levels down y.
function drawTreeAxes() {
  const y = treeBottom + 6;
  const g = el('g', { id: 'key-axis' }, tree);
  el('line', { x1: LEFT, x2: LEFT + WIDTH, y1: y, y2: y, stroke: '#444' }, g);
  for (const x of [LEFT, LEFT + WIDTH]) el('line', { x1: x, x2: x, y1: y, y2: y + 5, stroke: '#444' }, g);
  const first = keys.length ? show(keys[0]) : '', last = keys.length ? show(keys[keys.length - 1]) : '';
  el('text', { id: 'key-first', x: LEFT, y: y + 17, 'font-size': 11, 'text-anchor': 'start' }, g).textContent = first;
  el('text', { id: 'key-last', x: LEFT + WIDTH, y: y + 17, 'font-size': 11, 'text-anchor': 'end' }, g).textContent = last;
  el('text', { id: 'key-axis-label', x: LEFT + WIDTH / 2, y: y + 34, 'text-anchor': 'middle', class: 'axis-label' }, g)
    .textContent = 'user key \u2192 (first to last key of the trace, placed by key rank, not byte value); box height grows with bytes';
  const mid = (TOP + treeBottom) / 2;
  el('text', { id: 'level-axis-label', x: 12, y: mid, 'text-anchor': 'middle', class: 'axis-label',
    transform: 'rotate(-90 12 ' + mid + ')' }, tree).textContent =
    'level (newest on top)';
}

// Each level's size against its target, and the score the policy compares with 1.
function fmtScore(s) { return s.toFixed(2); }
function drawLevels(ev) {
  const t = $('levels');
  while (t.firstChild) t.removeChild(t.firstChild);
  const c = ev.counters || {};
  const head = t.insertRow();
  for (const h of ['level', 'files', 'size', 'target', 'score']) {
    const th = document.createElement('th'); th.textContent = h; head.appendChild(th);
  }
  const n = header.levels || 7;
  for (let l = 0; l < n; l++) {
    const row = t.insertRow();
    row.dataset.level = l;
    const files = (c.files || [])[l] || 0, bytes = (c.bytes || [])[l] || 0;
    const target = c.targets ? c.targets[l] : null, score = c.scores ? c.scores[l] : null;
    let targetText = '\u2014', scoreText = '\u2014';
    if (target !== null && score !== null) {
      if (l === 0) {
        targetText = runBased ? target + ' runs' : target + ' files';
        scoreText = fmtScore(score);
      } else if (!runBased && l === n - 1) {
        targetText = 'none (last level)';
      } else if (target > 0 || (!runBased && l > 0)) {
        targetText = (runBased ? '\u2264 ' : '') + human(Math.round(target));
        scoreText = fmtScore(score);
      }
    }
    const cells = ['L' + l, String(files), human(bytes), targetText, scoreText];
    cells.forEach((text, i) => {
      const td = row.insertCell(); td.textContent = text;
      if (i === 4) { td.className = 'score'; td.dataset.score = scoreText; }
    });
    if (score !== null && score >= 1 && scoreText !== '\u2014') row.className = 'over';
    const sw = document.createElement('span'); sw.className = 'swatch'; sw.style.background = COLORS[l % 7];
    row.cells[0].prepend(sw);
  }
  const rule = $('levels-rule');
  if (!limits) {
    rule.textContent = 'This trace (format version ' + header.version + ') records no targets or scores.';
  } else if (runBased) {
    rule.textContent = 'Sorted runs: each L0 file and each non-empty level. L0: score = runs / ' + limits.run_trigger +
      ' (nothing merges below 1). A level\'s target is the size up to which the runs newer than it absorb it (their bytes \u00d7 ' +
      (100 + limits.size_ratio) + '%; for the oldest run: ' + (header.style === 'tiered'
        ? 'their bytes \u00d7 100 / ' + limits.max_size_amplification_percent + '%, the space-amplification limit'
        : 'their bytes \u00d7 ' + limits.lazy_leveling_size_ratio + ', the lazy-leveling ratio') +
      '); score = target / size: \u2265 1 means it is merged (once L0\'s score, the run count, is \u2265 1 too).';
  } else {
    rule.textContent = 'L0: score = files / ' + limits.l0_trigger + '. L1: target ' + human(limits.level_base) +
      ', \u00d710 per level below; score = size / target. The level with the highest score \u2265 1 is compacted next.';
  }
}

// The engine's reason for the compaction shown (or, between compactions, the last one).
function drawReason(fr, ev) {
  let i = fr.ev;
  while (i >= 0 && events[i].type !== 'compaction' && events[i].type !== 'trivial_move') i--;
  const r = $('reason');
  if (i < 0) { r.textContent = 'No compaction yet.'; r.dataset.seq = ''; }
  else {
    const c = events[i];
    r.dataset.seq = c.seq;
    r.textContent = (i === fr.ev ? 'This ' : 'Last ') + (c.type === 'trivial_move' ? 'trivial move' : 'compaction') +
      ' (event ' + c.seq + '), why: ' + geq(c.why || c.reason) + '.';
  }
  for (const li of document.querySelectorAll('#compactions li')) li.classList.toggle('current', li.dataset.seq === String(i >= 0 ? events[i].seq : ''));
}

function go(i) {
  cur = Math.max(0, Math.min(frames.length - 1, i));
  const fr = frames[cur];
  if ($('predict-mode').checked && fr.phase === 'inputs') {
    stop();
    predicting = true; guesses = new Set();
    $('predict').hidden = false;
    $('predict-question').textContent = 'Event ' + events[fr.ev].seq + ': a compaction from L' + events[fr.ev].level +
      ' is about to run. Click the files you think it will merge, then press reveal.';
    $('predict-answer').textContent = '';
  } else {
    predicting = false; $('predict').hidden = true;
  }
  draw();
}
function stop() { if (timer) { clearInterval(timer); timer = null; $('play').textContent = 'play'; } }
$('first').onclick = () => { stop(); go(0); };
$('last').onclick = () => { stop(); go(frames.length - 1); };
$('back').onclick = () => { stop(); go(cur - 1); };
$('fwd').onclick = () => { stop(); go(cur + 1); };
$('play').onclick = () => {
  if (timer) { stop(); return; }
  if (cur >= frames.length - 1) go(0);
  $('play').textContent = 'pause';
  timer = setInterval(() => { if (cur >= frames.length - 1) stop(); else go(cur + 1); }, 400);
};
$('slider').max = frames.length - 1;
$('slider').oninput = () => { stop(); go(Number($('slider').value)); };
$('reveal').onclick = () => {
  const ev = events[frames[cur].ev], truth = inputSet(ev);
  let right = 0;
  for (const g of guesses) if (truth.has(g)) right++;
  const names = Array.from(truth).map((s) => '#' + s.split(':')[1] + ' (L' + s.split(':')[0] + ')');
  $('predict-answer').textContent = 'You picked ' + right + ' of the ' + truth.size + ' inputs' +
    (guesses.size > right ? ' and ' + (guesses.size - right) + ' other file(s)' : '') +
    '. The engine merged ' + names.join(' ') + '. Why: ' + explain(ev);
  predicting = false;
  draw();
};

// Charts: WA, bytes per level, stall time, one point per event; a cursor marks the frame.
// Every chart has both axes drawn and labelled with their units.
function chart(id, title, yLabel, series, fmt) {
  const W = 280, H = 130, L = 44, T = 18, B = 30;  // plot area: x in [L, W], y in [T, H - B + T]
  const svg = el('svg', { width: W + 10, height: H + 20, class: 'chart' });
  svg.id = id;
  el('text', { x: 4, y: 12, 'font-size': 11, 'font-weight': 'bold' }, svg).textContent = title;
  let max = 0;
  for (const s of series) for (const v of s.values) max = Math.max(max, v);
  if (max <= 0) max = 1;
  const y0 = T + H - B, x1 = W;
  el('line', { x1: L, x2: x1, y1: y0, y2: y0, stroke: '#444' }, svg);   // x axis
  el('line', { x1: L, x2: L, y1: T, y2: y0, stroke: '#444' }, svg);     // y axis
  el('text', { x: L - 3, y: T + 8, 'font-size': 9, 'text-anchor': 'end', class: 'y-max' }, svg).textContent = fmt(max);
  el('text', { x: L - 3, y: y0, 'font-size': 9, 'text-anchor': 'end' }, svg).textContent = fmt(0);
  el('text', { x: L, y: y0 + 11, 'font-size': 9 }, svg).textContent = events.length ? String(events[0].seq) : '';
  el('text', { x: x1, y: y0 + 11, 'font-size': 9, 'text-anchor': 'end' }, svg).textContent =
    events.length ? String(events[events.length - 1].seq) : '';
  el('text', { x: (L + x1) / 2, y: y0 + 24, 'text-anchor': 'middle', class: 'axis-label x-label' }, svg).textContent =
    'event (seq number, in trace order)';
  const yl = el('text', { x: 10, y: (T + y0) / 2, 'text-anchor': 'middle', class: 'axis-label y-label',
    transform: 'rotate(-90 10 ' + (T + y0) / 2 + ')' }, svg);
  yl.textContent = yLabel;
  for (const s of series) {
    const pts = s.values.map((v, i) => (L + (x1 - L) * i / Math.max(1, s.values.length - 1)).toFixed(1) + ',' +
      (y0 - (y0 - T - 4) * v / max).toFixed(1)).join(' ');
    el('polyline', { points: pts, fill: 'none', stroke: s.color, 'stroke-width': 1.5 }, svg);
  }
  const c = el('line', { class: 'cursor', y1: T, y2: y0, stroke: '#000', 'stroke-dasharray': '2 2' }, svg);
  c.dataset.x0 = L; c.dataset.w = x1 - L;
  $('charts').appendChild(svg);
}
const counters = events.map((e) => e.counters || { files: [], bytes: [], wa: 0, stall_us: 0 });
chart('chart-wa', 'Write amplification', 'WA (\u00d7 user bytes)',
  [{ values: counters.map((c) => c.wa), color: '#c00' }], (v) => v.toFixed(1));
const bySeries = [];
for (let l = 0; l <= deepest; l++) bySeries.push({ values: counters.map((c) => (c.bytes[l] || 0) / 1048576), color: COLORS[l % 7] });
chart('chart-bytes', 'Bytes per level (colours: legend)', 'size (MiB)', bySeries, (v) => v.toFixed(1));
chart('chart-stall', 'Write stall time, total', 'stalled (ms)',
  [{ values: counters.map((c) => c.stall_us / 1000), color: '#555' }], (v) => v.toFixed(0));

// The legend: one colour per level (the tree and the bytes chart), and the compaction outlines.
(function legend() {
  const lg = $('legend');
  for (let l = 0; l <= deepest; l++) {
    const e = document.createElement('span'); e.className = 'legend-entry'; e.dataset.level = l;
    const sw = document.createElement('span'); sw.className = 'swatch'; sw.style.background = COLORS[l % 7];
    e.appendChild(sw); e.appendChild(document.createTextNode('L' + l + (l === 0 ? (runBased ? ' (each file a run)' : ' (files overlap)') : '')));
    lg.appendChild(e);
  }
  for (const [cls, text] of [['input', 'compaction input'], ['output', 'compaction or flush output']]) {
    const e = document.createElement('span'); e.className = 'legend-entry'; e.dataset.kind = cls;
    const sw = document.createElement('span'); sw.className = 'swatch ' + cls;
    e.appendChild(sw); e.appendChild(document.createTextNode(text));
    lg.appendChild(e);
  }
})();
// Every compaction with the engine's reason in words; a click shows it.
(function compactionList() {
  const ol = $('compactions');
  events.forEach((ev, i) => {
    if (ev.type !== 'compaction' && ev.type !== 'trivial_move') return;
    const li = document.createElement('li');
    li.dataset.seq = ev.seq;
    li.textContent = 'event ' + ev.seq + ': ' + (ev.description || ev.type) + ' \u2014 ' + geq(ev.why || ev.reason);
    li.onclick = () => { stop(); go(frames.findIndex((f) => f.ev === i)); };
    ol.appendChild(li);
  });
  if (!ol.firstChild) { const li = document.createElement('li'); li.textContent = 'no compaction in this trace'; ol.appendChild(li); }
})();

const params = new URLSearchParams(location.search);
if (params.get('predict') === '1') $('predict-mode').checked = true;
const at = params.get('at');
if (at === 'last') $('last').click();  // drive the page's own control
else if (at !== null) {
  let idx = frames.findIndex((f) => f.phase === 'after' && String(events[f.ev].seq) === at);
  go(idx < 0 ? 0 : idx);
} else go(0);
document.body.dataset.ready = '1';
})();
)JS";

}  // namespace lsm::demo
