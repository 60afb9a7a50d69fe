// The explorer's phrase search (src/explore/mod.rs): a Web Worker that
// explorer.js starts from this text, which the page carries in an element
// that does not run, so that the page stays one file and stays responsive
// while the answer texts inflate and a phrase is counted and resampled.
// Answer i here is the page's answer i (D.answers.rows[i]).
//
// In: first {texts: the gzipped texts in base64, chars: each answer's
// characters, min_answers}; then requests {id, kind, ...}, kind 'stats' (a
// view's numbers per period), 'lines' (a period's KWIC lines) or 'answer'
// (an answer's question and text). Out: {ready: true} or {failed: why} once
// the texts are read, then {id, result} for each request, in the order asked.
'use strict';

var REPLICATES = 1000;
// Every answer's text, one a line: answer i's runs from STARTS[i] to the
// line break before STARTS[i + 1].
var TEXT = '', STARTS = new Float64Array(1), QUESTIONS = [];
var CHARS = null, MIN_ANSWERS = 0;
// The counts per answer of the phrases asked last, oldest first: a view's
// filters change more often than its phrases.
var COUNTS = new Map(), KEEP = 20;
var ready = null, failed = false;

// The texts as mod.rs packs them (Texts::packed): gzip, in base64, of the
// questions as a line of JSON, then each answer's text on a line of its own.
function inflate(base64) {
  var binary = atob(base64), bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text().then(index);
}

// The questions, and where each text starts, checked against the page's
// answers: a page whose parts disagree fails rather than miscount.
function index(packed) {
  var nl = packed.indexOf('\n');
  QUESTIONS = JSON.parse(nl < 0 ? packed : packed.slice(0, nl));
  TEXT = nl < 0 ? '' : packed.slice(nl + 1);
  var n = QUESTIONS.length, at = 0;
  if (n !== CHARS.length) throw new Error(n + ' questions for ' + CHARS.length + ' answers');
  if ((nl < 0) !== (n === 0)) throw new Error('no texts after the questions');
  STARTS = new Float64Array(n + 1);
  for (var i = 0; i < n; i++) {
    if (at > TEXT.length) throw new Error('fewer texts than answers');
    STARTS[i] = at;
    var end = TEXT.indexOf('\n', at);
    at = (end < 0 ? TEXT.length : end) + 1;
  }
  STARTS[n] = at;
  if (n && at !== TEXT.length + 1) throw new Error('more texts than answers');
}

function textOf(i) { return TEXT.slice(STARTS[i], STARTS[i + 1] - 1); }

// A phrase's non-overlapping, leftmost occurrences in each answer, as Rust's
// str::matches counts them, in one scan of all the texts: no occurrence can
// hold the line break between two, as a phrase, normalised, has no white
// space (explorer.js's normalise).
function counts(p) {
  var c = COUNTS.get(p);
  if (c) COUNTS.delete(p);
  else {
    c = new Uint32Array(STARTS.length - 1);
    if (p && p.indexOf('\n') < 0) {
      for (var at = TEXT.indexOf(p), i = 0; at >= 0; at = TEXT.indexOf(p, at + p.length)) {
        while (STARTS[i + 1] <= at) i++;
        c[i]++;
      }
    }
  }
  COUNTS.set(p, c);
  if (COUNTS.size > KEEP) COUNTS.delete(COUNTS.keys().next().value);
  return c;
}

// The state of Mulberry32 seeded by the phrase, period, topic and outlet
// (explorer.js names the seed): the same view gives the same interval on
// every machine.
function seeded(seedText) {
  var h = 2166136261;
  for (var i = 0; i < seedText.length; i++) { h ^= seedText.charCodeAt(i); h = Math.imul(h, 16777619); }
  return h >>> 0;
}

// The same quantile as the Rust code's (linear between order statistics).
function quantile(sorted, q) {
  var pos = q * (sorted.length - 1), lo = Math.floor(pos), frac = pos - lo;
  return lo + 1 < sorted.length ? sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}

// The rate's bootstrap interval, resampling the answers.
function interval(counts, chars, n, seed) {
  // A phrase never said has a rate of 0 in every replicate, whatever is drawn.
  if (n === 0) return [0, 0];
  var a = seeded(seed), reps = new Float64Array(REPLICATES), m = counts.length;
  for (var b = 0; b < REPLICATES; b++) {
    var sn = 0, sc = 0;
    for (var k = 0; k < m; k++) {
      // A Mulberry32 draw, written out here rather than called: a third
      // faster at 60 MB of answers, the same numbers.
      a = (a + 0x6D2B79F5) >>> 0;
      var x = Math.imul(a ^ (a >>> 15), 1 | a);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      var j = Math.floor(((x ^ (x >>> 14)) >>> 0) / 4294967296 * m);
      sn += counts[j]; sc += chars[j];
    }
    reps[b] = sn * 10000 / sc;
  }
  reps.sort();
  return [quantile(reps, 0.025), quantile(reps, 0.975)];
}

// One period of one series: a phrase's occurrences, the answers with it, the
// answers and characters, the rate per 10,000 characters and its interval.
function period(c, group) {
  var ids = group.answers, m = ids.length, counted = new Float64Array(m), chars = new Float64Array(m);
  var n = 0, total = 0, with_ = 0;
  for (var k = 0; k < m; k++) {
    var a = ids[k];
    counted[k] = c[a]; chars[k] = CHARS[a];
    n += c[a]; total += CHARS[a]; if (c[a] > 0) with_ += 1;
  }
  var row = { n: n, answers: with_, of: m, chars: total, rate: total > 0 ? n * 10000 / total : null, lo: null, hi: null };
  if (m >= MIN_ANSWERS && total > 0) {
    var ci = interval(counted, chars, n, group.seed);
    row.lo = ci[0]; row.hi = ci[1];
  }
  return row;
}

var ASK = {
  // {series: [{phrase, groups: [{seed, answers}, or null for a gap]}]}
  stats: function (m) {
    return m.series.map(function (s) {
      var c = counts(s.phrase);
      return s.groups.map(function (g) { return g && period(c, g); });
    });
  },
  // {phrases, answers (ascending), window}: each phrase's lines, answer by answer.
  lines: function (m) {
    var out = [];
    m.phrases.forEach(function (p) {
      var c = counts(p), width = Array.from(p).length;
      m.answers.forEach(function (ai) {
        if (!c[ai]) return;
        var text = textOf(ai), chars = Array.from(text);
        for (var at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + p.length)) {
          var cat = Array.from(text.slice(0, at)).length;
          out.push({ answer: ai, left: chars.slice(Math.max(0, cat - m.window), cat).join(''), hit: p,
            right: chars.slice(cat + width, cat + width + m.window).join('') });
        }
      });
    });
    return out;
  },
  // {answer}
  answer: function (m) { return { question: QUESTIONS[m.answer], text: textOf(m.answer) }; }
};

onmessage = function (e) {
  var m = e.data;
  if (m.texts != null) {
    CHARS = m.chars; MIN_ANSWERS = m.min_answers;
    ready = inflate(m.texts).then(function () { postMessage({ ready: true }); }, function (err) {
      failed = true;
      postMessage({ failed: String(err && err.message || err) });
    });
    return;
  }
  ready.then(function () { if (!failed) postMessage({ id: m.id, result: ASK[m.kind](m) }); });
};
