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

const LEFT = 60, WIDTH = 760, LANE = 14, ROW = 44, TOP = 8;
const l0Height = maxL0 * LANE + 10;
const height = TOP + l0Height + deepest * ROW + 8;
const tree = $('tree');
tree.setAttribute('width', LEFT + WIDTH + 10);
tree.setAttribute('height', height);

let cur = 0, timer = null, predicting = false, guesses = new Set();

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
  el('text', { x: 6, y: TOP + 12 }, tree).textContent = header.style === 'leveled' ? 'L0' : 'L0 runs';
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
    el('text', { x: 6, y: y + 20 }, tree).textContent = 'L' + level;
    for (const f of fr.files) if (f.level === level) rect(f, y, ROW - 10, 0);
  }
  const st = $('status');
  st.dataset.seq = ev.seq; st.dataset.frame = cur;
  let text = 'event ' + ev.seq + '/' + events.length + '  ' + ev.type;
  if (ev.type === 'compaction' || ev.type === 'trivial_move') {
    text += (fr.phase === 'inputs' ? '  (inputs, red)  ' : '  (outputs, green)  ') + (ev.description || '') +
      '  reason: ' + ev.reason + '  read ' + human(ev.bytes_read) + ', wrote ' + human(ev.bytes_written) +
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
  for (const c of document.querySelectorAll('.cursor')) {
    c.setAttribute('x1', c.dataset.x0 * 1 + c.dataset.w * fr.ev / Math.max(1, events.length - 1));
    c.setAttribute('x2', c.getAttribute('x1'));
  }
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
function chart(title, series, fmt) {
  const W = 260, H = 110, L = 36, T = 16;
  const svg = el('svg', { width: W + 10, height: H + 26, class: 'chart' });
  svg.id = 'chart-' + title.split(' ')[0].toLowerCase();
  el('text', { x: 4, y: 12, 'font-size': 11 }, svg).textContent = title;
  let max = 0;
  for (const s of series) for (const v of s.values) max = Math.max(max, v);
  if (max <= 0) max = 1;
  el('text', { x: 2, y: T + 8, 'font-size': 9 }, svg).textContent = fmt(max);
  for (const s of series) {
    const pts = s.values.map((v, i) => (L + (W - L) * i / Math.max(1, s.values.length - 1)).toFixed(1) + ',' +
      (T + H - 10 - (H - 20) * v / max).toFixed(1)).join(' ');
    el('polyline', { points: pts, fill: 'none', stroke: s.color, 'stroke-width': 1.5 }, svg);
  }
  const c = el('line', { class: 'cursor', y1: T, y2: T + H - 10, stroke: '#000', 'stroke-dasharray': '2 2' }, svg);
  c.dataset.x0 = L; c.dataset.w = W - L;
  $('charts').appendChild(svg);
}
const counters = events.map((e) => e.counters || { files: [], bytes: [], wa: 0, stall_us: 0 });
chart('WA (write amplification)', [{ values: counters.map((c) => c.wa), color: '#c00' }], (v) => v.toFixed(1));
const bySeries = [];
for (let l = 0; l <= deepest; l++) bySeries.push({ values: counters.map((c) => c.bytes[l] || 0), color: COLORS[l % 7] });
chart('bytes per level', bySeries, human);
chart('stall time (ms)', [{ values: counters.map((c) => c.stall_us / 1000), color: '#555' }], (v) => v.toFixed(0));

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
