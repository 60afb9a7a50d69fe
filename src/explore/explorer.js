// The explorer page of rhetoric-shift (src/explore/mod.rs builds the page and
// its data). Plain DOM and SVG, no library: the page must open from a file,
// offline, and stay small.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('data').textContent);
  var MAX_PHRASES = 5;
  var KEYNESS_ROWS = D.keyness_rows;
  // Okabe and Ito's colour-blind-safe colours: the phrases', then, split by
  // speaker, the speakers' (the last two only then: sky blue is close to blue,
  // black reads as an axis).
  var COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];
  // Split by speaker, the phrases differ by their line's dashes.
  var DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 4'];
  var PERIODS = ['year', 'quarter', 'month'];
  var KIND_NAMES = D.keyness.kinds;

  // The data's tables name their columns (mod.rs, `Table`): a row is read as
  // row[A.year], and a column this script reads but the data lacks stops the
  // page with a message rather than leave another column read in its place.
  function columns(table, what, names) {
    var at = {};
    ((table || {}).columns || []).forEach(function (c, i) { at[c] = i; });
    var missing = names.filter(function (n) { return !(n in at); });
    if (missing.length) {
      var message = 'explorer.html is broken: its ' + what + ' data has no column ' + missing.join(', ') +
        ' (src/explore/mod.rs and explorer.js disagree).';
      var alert = document.createElement('p');
      alert.setAttribute('role', 'alert');
      alert.className = 'broken';
      alert.textContent = message;
      document.body.insertBefore(alert, document.body.firstChild);
      throw new Error(message);
    }
    return at;
  }
  var A = columns(D.answers, 'answers', ['id', 'year', 'month', 'topics', 'outlet', 'speaker', 'headline', 'chars', 'source']);
  var K = columns(D.keyness, 'keyness', ['year', 'topic', 'reference', 'kind', 'phrase', 'a', 'b', 'g2', 'lrc', 'logodds_z', 'q_perm']);

  // The formulations found in the corpus (formulations.csv), offered as the
  // phrase box's suggestions with the dates of their first and last use and
  // whether they entered or left.
  (function () {
    var list = document.getElementById('formulation-list');
    (D.formulations || []).forEach(function (f) {
      var o = document.createElement('option');
      o.value = f.phrase;
      o.label = f.label;
      list.appendChild(o);
    });
  })();

  var T = {
    zh: {
      title: D.title.zh, tab_trend: '短语', tab_keyness: '关键词',
      phrases_label: '短语（最多五个，用逗号分隔；也可输入词汇表中的英文）',
      phrases_hint: '在规范化的答问文本中按字面计数（与 phrase_freq.csv 和 kwic 命令相同）；每万字频率，区间为按答问重抽样的 95% 自助区间。',
      show: '显示', topic: '议题', outlet: '提问媒体', all_outlets: '全部媒体', speaker: '发言人', all_speakers: '全部发言人',
      period: '时间单位', p_year: '年', p_quarter: '季度', p_month: '月', split: '按发言人分列', no_speaker: '未注明发言人',
      col_speaker: '发言人', col_period: '时期',
      legend_period: '灰色：无文本；虚线框：部分（该期的例行记者会少于通常场数）；空心点：答问少于 {m} 个，无区间；摘要不连线。点击点查看语境。',
      left_out: '{n} 个答问的日期不在其年份内，只计入按年视图，此处未计。',
      year: '年份', reference: '参照', kind: '类型', rest: '其他各年', previous: '上一年',
      download_csv: '下载 CSV', download_svg: '下载 SVG',
      no_transcript: '无文本', partial: '部分', summary: '摘要',
      legend: '灰色：无文本；年份下：文本所含问题/所提问题；空心点：答问少于 {m} 个，无区间；摘要年份不连线。点击点或年份查看语境。',
      col_phrase: '短语', col_year: '年份', col_genre: '文本', col_n: '次数', col_answers: '含该短语的答问',
      col_of: '答问数', col_rate: '每万字', col_ci: '95% 区间', col_chars: '字数',
      lines_for: '{p}，{y}年：{n} 处', lines_for_period: '{p}，{y}：{n} 处', lines_none: '点击图中的点查看语境。',
      answer_of: '答问 {id}', f_year: '年份', f_outlet: '媒体', f_speaker: '发言人', f_headline: '标题', f_topics: '议题', f_source: '来源',
      keyness_hint: '按 LRC 排序（保守对数比）；q_perm ≥ {alpha} 的行变淡。点击短语查看其趋势和语境。',
      k_phrase: '短语', k_a: '本年次数', k_b: '参照次数',
      no_texts: '语料超过 {mb} MB（analysis.toml 的 [explorer] max_text_mb），页面未收录答问文本：短语搜索不可用；关键词表每组只收前 {n} 行（完整的见 keyness.csv）。',
      loading_texts: '正在载入答问文本……', search_failed: '短语搜索无法启动：{why}',
      too_many: '最多五个短语，其余已忽略。', zero_width: '每次重抽样结果相同，无区间', show_all: '显示全部 {n} 行', unknown_gloss: '词汇表中没有“{p}”，按字面搜索。'
    },
    en: {
      title: D.title.en, tab_trend: 'Phrases', tab_keyness: 'Keyness',
      phrases_label: 'Phrases (up to five, separated by commas; English glosses from the glossary work too)',
      phrases_hint: 'Counted literally in the normalised answer text (as phrase_freq.csv and the kwic command count); rate per 10,000 characters, 95% bootstrap interval resampling answers.',
      show: 'Show', topic: 'Topic', outlet: 'Outlet asking', all_outlets: 'All outlets', speaker: 'Speaker', all_speakers: 'All speakers',
      period: 'Period', p_year: 'Year', p_quarter: 'Quarter', p_month: 'Month', split: 'Split by speaker', no_speaker: 'speaker not named',
      col_speaker: 'Speaker', col_period: 'Period',
      legend_period: 'Grey: no transcript; dashed box: partial (fewer briefings than the period usually has); hollow: fewer than {m} answers, no interval; summaries not joined. Click a point for its lines.',
      left_out: '{n} answers have no date within their year: they count at year only and are left out here.',
      year: 'Year', reference: 'Reference', kind: 'Kind', rest: 'other years', previous: 'previous year',
      download_csv: 'Download CSV', download_svg: 'Download SVG',
      no_transcript: 'no transcript', partial: 'partial', summary: 'summary',
      legend: 'Grey: no transcript; under a year: questions held/asked; hollow: fewer than {m} answers, no interval; summaries not joined. Click a point or a year for its lines.',
      col_phrase: 'Phrase', col_year: 'Year', col_genre: 'Text', col_n: 'n', col_answers: 'Answers with it',
      col_of: 'Answers', col_rate: 'Per 10k chars', col_ci: '95% interval', col_chars: 'Characters',
      lines_for: '{p}, {y}: {n} lines', lines_for_period: '{p}, {y}: {n} lines', lines_none: 'Click a point in the chart for its lines.',
      answer_of: 'Answer {id}', f_year: 'Year', f_outlet: 'Outlet', f_speaker: 'Speaker', f_headline: 'Headline', f_topics: 'Topics', f_source: 'Source',
      keyness_hint: 'Sorted by LRC (conservative log ratio); rows with q_perm ≥ {alpha} are faded. Click a phrase for its trend and lines.',
      k_phrase: 'Phrase', k_a: 'n this year', k_b: 'n reference',
      no_texts: 'The corpus is above {mb} MB ([explorer] max_text_mb in analysis.toml), so the answer texts are not in this page: phrase search is off, and the keyness table has the first {n} rows of each selection (keyness.csv has all).',
      loading_texts: 'Loading the answer texts…', search_failed: 'Phrase search could not start: {why}',
      too_many: 'Up to five phrases: the rest were left out.', zero_width: 'every resample gives the same rate: no interval', show_all: 'Show all {n} rows', unknown_gloss: '"{p}" is not in the glossary; searched literally.'
    }
  };

  var state = {
    view: 'trend', lang: 'zh', phrases: [], topic: 0, outlet: '', speaker: '', period: 'year', split: false,
    at: null, line_phrase: null, line_speaker: null, answer: null, ky: null, kt: 0, kr: 0, kk: -1, ks: 'lrc', kdesc: true, kall: false
  };
  var series = [];
  var $ = function (id) { return document.getElementById(id); };

  function t(key, args) {
    var s = T[state.lang][key] || key;
    Object.keys(args || {}).forEach(function (k) { s = s.split('{' + k + '}').join(String(args[k])); });
    return s;
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'onclick') e.addEventListener('click', attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c != null) e.appendChild(c); });
    return e;
  }

  function svgEl(tag, attrs) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  // The phrase search: search.js, which the page carries as text, run as a
  // Web Worker from a Blob of it, so that the page stays one file that works
  // from disk. It inflates the answer texts (the element #texts, empty
  // without them), then counts, resamples and finds lines off the page's
  // thread. ask() posts a request and hands its result to `done`; the phrase
  // view is aria-busy while a result is due, and the phrase box's
  // data-search says whether the texts are 'loading', 'ready' or 'failed'
  // (the browser tests wait on both).
  function searchWorker() {
    var worker = null, due = {}, next = 0, self = { state: D.texts ? 'loading' : 'off', why: '' };
    var form = $('phrase-form'), texts = $('texts');
    function waiting() {
      var view = $('trend-view');
      if (Object.keys(due).length) view.setAttribute('aria-busy', 'true'); else view.removeAttribute('aria-busy');
    }
    function status(to, why) {
      self.state = to; self.why = why || '';
      form.setAttribute('data-search', to);
      showStatus();
    }
    function fail(why) { due = {}; waiting(); status('failed', why); }
    // Without a worker (no texts, or it failed) nothing is asked: the phrase
    // box is off, or says why it cannot search.
    self.ask = function (kind, message, transfer, done) {
      if (self.state === 'off' || self.state === 'failed') return;
      message.id = next++; message.kind = kind;
      due[message.id] = done;
      waiting();
      worker.postMessage(message, transfer);
    };
    form.setAttribute('data-search', self.state);
    if (!D.texts) return self;
    try {
      worker = new Worker(URL.createObjectURL(new Blob([$('search').textContent], { type: 'text/javascript' })));
    } catch (e) {
      // A browser that refuses a worker from a Blob: the page says so (show).
      self.state = 'failed'; self.why = e.message;
      form.setAttribute('data-search', 'failed');
      return self;
    }
    worker.onmessage = function (e) {
      var m = e.data;
      if (m.ready) { status('ready'); return; }
      if (m.failed != null) { fail(m.failed); return; }
      var done = due[m.id];
      delete due[m.id];
      // After `done`, which may ask again: the view is not idle in between.
      try { done(m.result); } finally { waiting(); }
    };
    worker.onerror = function (e) { fail(e.message); };
    worker.postMessage({ texts: texts.textContent, chars: Float64Array.from(D.answers.rows, function (a) { return a[A.chars]; }),
      min_answers: D.min_answers });
    // The worker holds its own copy.
    texts.textContent = '';
    return self;
  }

  function showStatus() {
    var line = $('search-status');
    line.hidden = search.state !== 'loading' && search.state !== 'failed';
    line.textContent = search.state === 'loading' ? t('loading_texts')
      : search.state === 'failed' ? t('search_failed', { why: search.why }) : '';
  }

  // text::normalise of the Rust code, for a typed phrase: full-width letters
  // and digits to ASCII, ASCII punctuation to full-width ('.' and ':' between
  // digits stay), the ideographic space to a space; then white space dropped
  // (text::counted; Rust's White_Space set, which has U+0085 but not U+FEFF).
  function normalise(s) {
    var cs = Array.from(s), out = [];
    var digit = function (j) { return j >= 0 && j < cs.length && /[0-9]/.test(cs[j]); };
    var map = { ',': '，', ';': '；', '?': '？', '!': '！', '(': '（', ')': '）' };
    for (var i = 0; i < cs.length; i++) {
      var c = cs[i], code = c.codePointAt(0);
      if ((code >= 0xFF10 && code <= 0xFF19) || (code >= 0xFF21 && code <= 0xFF3A) || (code >= 0xFF41 && code <= 0xFF5A)) {
        out.push(String.fromCodePoint(code - 0xFEE0));
      } else if (c === '\u3000') out.push(' ');
      else if (map[c]) out.push(map[c]);
      else if (c === ':' && !(digit(i - 1) && digit(i + 1))) out.push('：');
      else if (c === '.' && !(digit(i - 1) && digit(i + 1))) out.push('。');
      else out.push(c);
    }
    return out.filter(function (c) { return c === '\u0085' ? false : (c === '\ufeff' || !/\s/.test(c)); }).join('');
  }

  function gloss(p) {
    for (var i = 0; i < D.glossary.length; i++) if (D.glossary[i].zh === p) return D.glossary[i].en;
    return null;
  }

  function fromGloss(p) {
    var low = p.trim().toLowerCase();
    for (var i = 0; i < D.glossary.length; i++) if (D.glossary[i].en.toLowerCase() === low) return D.glossary[i].zh;
    return null;
  }

  function label(p) {
    var g = gloss(p);
    return state.lang === 'en' && g ? p + ' (' + g + ')' : p;
  }

  function topicName(i) { var tp = D.topics[i]; return state.lang === 'en' ? tp.en : tp.zh; }

  function fmt(x) {
    if (x == null || !isFinite(x)) return '';
    if (x === 0) return '0';
    return Number(x.toPrecision(3)).toString();
  }

  // The periods of the view, in order, gaps included: coverage.csv's years,
  // or the quarters or months mod.rs lists with PeriodFacts' genre and share.
  function span() {
    if (state.period === 'year') {
      return D.years.map(function (yf) {
        return { key: yf.year, label: String(yf.year), year: yf.year, genre: yf.genre, share: yf.share,
          questions: yf.questions, asked: yf.asked };
      });
    }
    return D.periods[state.period].periods;
  }

  function perYear(period) { return period === 'year' ? 1 : D.periods[period].per_year; }

  // An answer's period at the view's period (Period::key of the Rust code):
  // null where its date gives no month in its year (year only).
  function keyOf(a) {
    var k = perYear(state.period), m = a[A.month];
    if (k === 1) return a[A.year];
    return m ? a[A.year] * k + Math.floor((m - 1) * k / 12) : null;
  }

  // The period of `to` that holds period `key` of `from`, where `to` is no
  // finer (a selected month stays selected as its quarter or year); null
  // where it is finer, which would have to pick one part.
  function coarser(key, from, to) {
    var kf = perYear(from), kt = perYear(to);
    if (key == null || kt > kf) return null;
    var year = Math.floor(key / kf), month0 = (key - year * kf) * 12 / kf;
    return year * kt + Math.floor(month0 * kt / 12);
  }

  // The answers the filters keep. `speaker` is a split series' own ('' for
  // answers whose speaker is not named); null leaves the speaker filter's.
  function inView(a, speaker) {
    var who = speaker != null ? a[A.speaker] === speaker : (state.speaker === '' || a[A.speaker] === state.speaker);
    return who && a[A.topics].indexOf(state.topic) >= 0 && (state.outlet === '' || a[A.outlet] === state.outlet);
  }

  // The corpus's speakers in order, '' last where some answers name none.
  var SPEAKERS = (function () {
    var seen = {}, unnamed = false;
    D.answers.rows.forEach(function (a) { if (a[A.speaker]) seen[a[A.speaker]] = true; else unnamed = true; });
    return Object.keys(seen).sort().concat(unnamed ? [''] : []);
  })();


  // The answers the filters keep that the view's period cannot place.
  function leftOut() {
    if (state.period === 'year') return 0;
    return D.answers.rows.filter(function (a) { return inView(a, null) && keyOf(a) == null; }).length;
  }

  // The view's answers per period of `periods` (of one speaker where split;
  // `speaker` as inView's), as indices of D.answers.rows; null for a gap.
  function grouped(periods, speaker) {
    var at = {};
    D.answers.rows.forEach(function (a, ai) {
      if (!inView(a, speaker)) return;
      var k = keyOf(a);
      if (k != null) (at[k] = at[k] || []).push(ai);
    });
    return periods.map(function (pf) { return pf.genre ? at[pf.key] || [] : null; });
  }

  // What the search worker is asked for one series: per period its answers
  // and the seed of its interval, which names the view, so that the same
  // view gives the same interval.
  function seriesRequest(s, groups, periods, transfer) {
    var who = s.speaker != null ? s.speaker : state.speaker;
    return { phrase: s.phrase, groups: groups.map(function (g, i) {
      if (!g) return null;
      var answers = Uint32Array.from(g);
      transfer.push(answers.buffer);
      return { seed: s.phrase + '/' + periods[i].label + '/' + state.topic + '/' + state.outlet + (who ? '/' + who : ''), answers: answers };
    }) };
  }

  // A series' row of a period: the period's facts, and the worker's numbers
  // (search.js: n, answers, of, chars, rate, lo, hi) unless it is a gap.
  function periodRow(pf, numbers) {
    var row = { key: pf.key, label: pf.label, year: pf.year, gap: !pf.genre, genre: pf.genre, share: pf.share,
      questions: pf.questions, asked: pf.asked };
    Object.keys(numbers || {}).forEach(function (k) { row[k] = numbers[k]; });
    return row;
  }

  function readPhrases(text) {
    var notes = [];
    var parts = text.split(/[,，、;；\n]+/).map(function (s) { return s.trim(); }).filter(Boolean);
    var out = [];
    parts.forEach(function (raw) {
      var p = raw;
      if (!/[\u3400-\u9fff]/.test(raw)) {
        var zh = fromGloss(raw);
        if (zh) p = zh; else notes.push(t('unknown_gloss', { p: raw }));
      }
      p = normalise(p);
      if (p && out.indexOf(p) < 0) out.push(p);
    });
    if (out.length > MAX_PHRASES) { notes.push(t('too_many')); out = out.slice(0, MAX_PHRASES); }
    return { phrases: out, notes: notes };
  }

  // The y axis's ticks: from 0 in steps of 1, 2 or 5 × 10^n, three to seven
  // of them, the last at or above `max`; each rounded to the step's digits,
  // so that 3 × 0.1 reads 0.3.
  function ticks(max) {
    var raw = max / 4, scale = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / scale;
    var step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * scale;
    var digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    var out = [];
    for (var k = 0; k === 0 || out[k - 1] < max; k++) out.push(Number((k * step).toFixed(digits)));
    return out;
  }

  // Every how many periods the x axis is labelled: the fewest that keep the
  // labels apart (a label is some 7.5px a character at 12px), a step that
  // falls on the same months every year (every 3rd month: Jan, Apr, Jul, Oct).
  var STEPS = { year: [1, 2, 5, 10, 20], quarter: [1, 2, 4, 8], month: [1, 2, 3, 4, 6, 12, 24] };
  function labelEvery(periods, width) {
    var widest = 0;
    periods.forEach(function (pf) { widest = Math.max(widest, pf.label.length * 7.5 + 12); });
    var steps = STEPS[state.period];
    for (var i = 0; i < steps.length; i++) if (Math.ceil(periods.length / steps[i]) * widest <= width) return steps[i];
    return steps[steps.length - 1];
  }

  // The approximate width of a legend entry: CJK characters are square.
  function textWidth(s) {
    return Array.from(s).reduce(function (w, c) { return w + (/[\u2e80-\u9fff\uff00-\uffef]/.test(c) ? 12 : 7); }, 0);
  }

  function drawChart() {
    var box = $('chart');
    box.textContent = '';
    var periods = span();
    if (!periods.length) return;
    var fine = state.period !== 'year';
    var W = 720, TOP = 16, B = 64, L = 56, R = 16;
    // The legend: entries of at least 130px, in as many rows as they need.
    var legend = [], lx = L + 8, rows = 0;
    series.forEach(function (s) {
      var w = Math.max(130, textWidth(s.name) + 34);
      if (lx > L + 8 && lx + w > W - R) { lx = L + 8; rows += 1; }
      legend.push({ s: s, x: lx, row: rows });
      lx += w;
    });
    var H = 360 + rows * 18, plot = H - rows * 18;
    var k0 = periods[0].key, k1 = periods[periods.length - 1].key;
    var every = labelEvery(periods, W - L - R);
    // Finer periods' labels are wider than a year's: the first and last stay
    // inside the chart.
    var inset = fine ? Math.max(0, (periods[0].label.length * 7.5) / 2 - R) : 0;
    var x = function (k) { return L + inset + (k1 === k0 ? 0.5 : (k - k0) / (k1 - k0)) * (W - L - R - 2 * inset); };
    var gap = k1 === k0 ? 24 : Math.min(24, (W - L - R - 2 * inset) / (k1 - k0));
    var yv = function (v) { return TOP + (1 - v / top) * (plot - TOP - B); };
    var max = 0;
    series.forEach(function (s) { s.rows.forEach(function (r) { max = Math.max(max, r.hi || 0, r.rate || 0); }); });
    var yticks = ticks(max > 0 ? max : 1);
    var top = yticks[yticks.length - 1];
    var svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + H, xmlns: 'http://www.w3.org/2000/svg', role: 'img',
      'aria-label': series.map(function (s) { return s.name; }).join(', ') });
    // The page's fonts, named in the SVG itself so that a downloaded chart
    // asks for them too (and falls back to the reader's where the page's own
    // font is not installed).
    var style = svgEl('style', {});
    style.textContent = 'text{font-family:' + getComputedStyle(document.body).fontFamily + ';font-size:12px;fill:#333}';
    svg.appendChild(style);
    // Under a year the share of its questions (questions/asked) is written;
    // where labels are thinned, or at finer periods, a partial period is a
    // dashed box instead.
    var notes = !fine && every === 1;
    periods.forEach(function (pf) {
      if (!pf.genre) {
        svg.appendChild(svgEl('rect', { class: 'gap', 'data-period': pf.label, x: x(pf.key) - gap / 2, y: TOP,
          width: gap, height: plot - TOP - B, fill: '#eee' }));
      } else if (!notes && pf.share != null && pf.share < 1) {
        svg.appendChild(svgEl('rect', { class: 'partial', 'data-period': pf.label, x: x(pf.key) - gap / 2 + 1, y: TOP,
          width: gap - 2, height: plot - TOP - B, fill: 'none', stroke: '#aaa', 'stroke-dasharray': '3 3' }));
      }
    });
    yticks.forEach(function (v) {
      svg.appendChild(svgEl('line', { x1: L, x2: W - R, y1: yv(v), y2: yv(v), stroke: '#e5e5e5' }));
      var tl = svgEl('text', { x: L - 6, y: yv(v) + 4, 'text-anchor': 'end', class: 'tick' });
      tl.textContent = String(v);
      svg.appendChild(tl);
    });
    var axis = svgEl('text', { x: 12, y: TOP + (plot - TOP - B) / 2, transform: 'rotate(-90 12 ' + (TOP + (plot - TOP - B) / 2) + ')', 'text-anchor': 'middle' });
    axis.textContent = t('col_rate');
    svg.appendChild(axis);
    periods.forEach(function (pf) {
      if (every > 1) {
        // A tick for every period, a label for every `every`-th.
        svg.appendChild(svgEl('line', { x1: x(pf.key), x2: x(pf.key), y1: plot - B, y2: plot - B + 4, stroke: '#999' }));
        if (pf.key % every !== 0) return;
      }
      var g = svgEl('g', { class: 'yearlabel', tabindex: pf.genre ? '0' : '-1', role: 'button',
        'aria-label': pf.label, 'data-year': pf.year, 'data-period': pf.label });
      var lab = svgEl('text', { x: x(pf.key), y: plot - B + 18, 'text-anchor': 'middle' });
      lab.textContent = pf.label;
      g.appendChild(lab);
      var note = !notes ? ''
        : !pf.genre ? t('no_transcript')
          : (pf.genre.indexOf('summary') >= 0 ? t('summary')
            : (pf.share != null && pf.share < 1 && pf.questions != null ? pf.questions + '/' + pf.asked : ''));
      if (note) {
        var nt = svgEl('text', { x: x(pf.key), y: plot - B + 34, 'text-anchor': 'middle', 'font-size': '10' });
        nt.textContent = note;
        g.appendChild(nt);
      }
      if (pf.genre) {
        g.addEventListener('click', function () { selectPeriod(pf.key, null, null); });
        g.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectPeriod(pf.key, null, null); } });
      }
      svg.appendChild(g);
    });
    // Points of several series side by side, at most 60% of a period apart.
    var spread = Math.min(4, gap * 0.6 / Math.max(1, series.length));
    series.forEach(function (s, si) {
      var path = '', prev = null;
      s.rows.forEach(function (r) {
        var joinable = !r.gap && r.rate != null && r.genre.indexOf('summary') < 0;
        if (joinable) { path += (prev ? 'L' : 'M') + x(r.key) + ' ' + yv(r.rate); prev = r; } else prev = null;
      });
      if (path) {
        var line = svgEl('path', { d: path, fill: 'none', stroke: s.colour, 'stroke-width': 2 });
        if (s.dash) line.setAttribute('stroke-dasharray', s.dash);
        svg.appendChild(line);
      }
      s.rows.forEach(function (r) {
        if (r.gap || r.rate == null) return;
        var cx = x(r.key) + (si - (series.length - 1) / 2) * spread, cy = yv(r.rate);
        if (r.lo != null && r.hi > r.lo) {
          svg.appendChild(svgEl('line', { x1: cx, x2: cx, y1: yv(r.lo), y2: yv(r.hi), stroke: s.colour, 'stroke-width': 1.5 }));
        }
        var summary = r.genre.indexOf('summary') >= 0;
        var shape = summary
          ? svgEl('rect', { x: cx - 5, y: cy - 5, width: 10, height: 10, transform: 'rotate(45 ' + cx + ' ' + cy + ')' })
          : svgEl('circle', { cx: cx, cy: cy, r: 5 });
        shape.setAttribute('fill', r.lo != null && r.hi > r.lo ? s.colour : '#fff');
        shape.setAttribute('stroke', s.colour);
        shape.setAttribute('stroke-width', 2);
        var attrs = { class: 'point', tabindex: '0', role: 'button', 'data-phrase': s.phrase, 'data-year': r.year,
          'data-period': r.label, 'aria-label': s.name + ' ' + r.label + ': ' + fmt(r.rate) + ' (n=' + r.n + ')' };
        if (s.speaker != null) attrs['data-speaker'] = s.speaker;
        var g = svgEl('g', attrs);
        var title = svgEl('title', {});
        title.textContent = s.name + ' ' + r.label + ': ' + fmt(r.rate) + (r.lo != null ? ' [' + fmt(r.lo) + ', ' + fmt(r.hi) + ']' : '') + ', n=' + r.n + ', ' + r.answers + '/' + r.of;
        g.appendChild(title);
        g.appendChild(shape);
        g.addEventListener('click', function () { selectPeriod(r.key, s.phrase, s.speaker); });
        g.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectPeriod(r.key, s.phrase, s.speaker); } });
        svg.appendChild(g);
      });
    });
    legend.forEach(function (e) {
      var ly = plot - 12 + e.row * 18;
      var key = svgEl('g', { class: 'key' });
      if (e.s.speaker != null) {
        // Split, a phrase is told by its dashes.
        key.appendChild(svgEl('line', { x1: e.x - 14, x2: e.x + 14, y1: ly - 4, y2: ly - 4, stroke: e.s.colour, 'stroke-width': 2,
          'stroke-dasharray': e.s.dash || 'none' }));
      }
      key.appendChild(svgEl('circle', { cx: e.x, cy: ly - 4, r: 5, fill: e.s.colour }));
      var lt = svgEl('text', { x: e.x + (e.s.speaker != null ? 20 : 10), y: ly });
      lt.textContent = e.s.name;
      key.appendChild(lt);
      svg.appendChild(key);
    });
    box.appendChild(svg);
    $('legend').textContent = t(fine ? 'legend_period' : 'legend', { m: D.min_answers });
    var out = leftOut();
    $('period-note').hidden = out === 0;
    $('period-note').textContent = out ? t('left_out', { n: out }) : '';
  }

  function drawTable() {
    var table = $('trend-table');
    table.textContent = '';
    var split = series.some(function (s) { return s.speaker != null; });
    var cols = ['col_phrase'].concat(split ? ['col_speaker'] : [],
      [state.period === 'year' ? 'col_year' : 'col_period', 'col_genre', 'col_n', 'col_answers', 'col_of', 'col_chars', 'col_rate', 'col_ci']);
    table.appendChild(el('thead', {}, [el('tr', {}, cols.map(function (c) { return el('th', { scope: 'col', text: t(c) }); }))]));
    var body = el('tbody');
    series.forEach(function (s) {
      s.rows.forEach(function (r) {
        var genre = r.gap ? t('no_transcript') : r.genre + partialNote(r);
        var attrs = { 'data-phrase': s.phrase, 'data-year': r.year, 'data-period': r.label, class: r.gap ? 'gap' : '' };
        if (s.speaker != null) attrs['data-speaker'] = s.speaker;
        var tr = el('tr', attrs, [el('td', { text: label(s.phrase) })].concat(
          split ? [el('td', { class: 'speaker', text: s.speaker || t('no_speaker') })] : [], [
            el('td', { text: r.label }), el('td', { text: genre }),
            el('td', { class: 'n', text: r.gap ? '' : String(r.n), 'data-value': r.gap ? '' : r.n }),
            el('td', { text: r.gap ? '' : String(r.answers) }), el('td', { text: r.gap ? '' : String(r.of) }),
            el('td', { text: r.gap ? '' : String(r.chars) }),
            el('td', { class: 'rate', text: r.gap ? '' : fmt(r.rate), 'data-value': r.rate == null ? '' : r.rate }),
            el('td', interval(r))
          ]));
        body.appendChild(tr);
      });
    });
    table.appendChild(body);
  }

  // A partial period's mark in the table: a year's questions held/asked, a
  // quarter's or month's briefings as a share of the period's usual number.
  function partialNote(r) {
    if (r.share == null || r.share >= 1) return '';
    if (r.questions != null) return ' (' + r.questions + '/' + r.asked + ')';
    return state.period === 'year' ? '' : ' (' + t('partial') + ' ' + Math.round(r.share * 100) + '%)';
  }

  // A zero-width interval (every resample the same, e.g. never said) is not
  // shown as one: it would read as certainty.
  function interval(r) {
    if (r.lo == null) return { text: '' };
    if (r.hi - r.lo <= 0) return { text: '—', title: t('zero_width') };
    return { text: fmt(r.lo) + '–' + fmt(r.hi) };
  }

  // The lines of the selected period, drawn when the search worker has found
  // them (unless the selection changed meanwhile).
  var linesAsked = 0;
  function drawLines() {
    var asked = ++linesAsked, list = $('kwic');
    list.textContent = '';
    var at = span().filter(function (pf) { return pf.key === state.at; })[0];
    if (!at || !state.phrases.length) { $('lines-heading').textContent = t('lines_none'); return; }
    var ps = state.line_phrase ? [state.line_phrase] : state.phrases;
    var answers = [];
    D.answers.rows.forEach(function (a, ai) { if (inView(a, state.line_speaker) && keyOf(a) === at.key) answers.push(ai); });
    var ids = Uint32Array.from(answers);
    search.ask('lines', { phrases: ps, answers: ids, window: D.window }, [ids.buffer], function (all) {
      if (asked !== linesAsked) return;
      var who = state.line_speaker != null ? '（' + (state.line_speaker || t('no_speaker')) + '）' : '';
      // A year reads 2024年; a quarter or month label needs no 年.
      $('lines-heading').textContent = t(state.period === 'year' ? 'lines_for' : 'lines_for_period', { p: ps.join('、') + who, y: at.label, n: all.length });
      all.forEach(function (l) {
        var a = D.answers.rows[l.answer];
        var b = el('button', { type: 'button', 'data-answer': a[A.id] }, [
          el('span', { class: 'id', text: a[A.id] + '  ' }), el('span', { class: 'left', text: l.left }),
          el('span', { class: 'hit', text: l.hit }), el('span', { class: 'right', text: l.right })]);
        b.addEventListener('click', function () { state.answer = a[A.id]; drawAnswer(l.hit); sync(); $('answer').scrollIntoView({ block: 'nearest' }); });
        list.appendChild(el('li', {}, [b]));
      });
    });
  }

  // The selected answer: its facts at once, its question and text, `hit` (or
  // the view's phrases) marked, when the search worker has sent them.
  var answerAsked = 0;
  function drawAnswer(hit) {
    var asked = ++answerAsked, box = $('answer');
    var ai = D.answers.rows.findIndex(function (x) { return x[A.id] === state.answer; });
    if (ai < 0) { box.hidden = true; return; }
    var a = D.answers.rows[ai];
    box.hidden = false;
    $('answer-heading').textContent = t('answer_of', { id: a[A.id] });
    var facts = $('answer-facts');
    facts.textContent = '';
    [['f_year', String(a[A.year])], ['f_outlet', a[A.outlet]], ['f_speaker', a[A.speaker]], ['f_headline', a[A.headline]],
      ['f_topics', a[A.topics].slice(1).map(topicName).join('、')], ['f_source', a[A.source]]].forEach(function (f) {
      if (!f[1]) return;
      facts.appendChild(el('dt', { text: t(f[0]) }));
      facts.appendChild(el('dd', { text: f[1] }));
    });
    var question = $('answer-question'), text = $('answer-text');
    question.textContent = ''; text.textContent = '';
    var marks = hit ? [hit] : state.phrases;
    search.ask('answer', { answer: ai }, [], function (found) {
      if (asked !== answerAsked) return;
      question.textContent = found.question;
      var s = found.text, i = 0;
      while (i < s.length) {
        var next = -1, which = null;
        marks.forEach(function (m) { var at = m ? s.indexOf(m, i) : -1; if (at >= 0 && (next < 0 || at < next)) { next = at; which = m; } });
        if (next < 0) { text.appendChild(document.createTextNode(s.slice(i))); break; }
        text.appendChild(document.createTextNode(s.slice(i, next)));
        text.appendChild(el('mark', { text: which }));
        i = next + which.length;
      }
    });
  }

  // A period's lines: of one phrase (a point) or all (a label), of the
  // point's speaker where split.
  function selectPeriod(key, p, speaker) {
    state.at = key; state.line_phrase = p; state.line_speaker = speaker; state.answer = null;
    $('answer').hidden = true;
    drawLines(); sync();
  }

  // The view's series: one per phrase, or split, one per phrase and speaker
  // of the view, coloured by the speaker's place among all the corpus's
  // speakers, so that a speaker keeps a colour. Their rows are the search
  // worker's to fill.
  function specs() {
    var out = [];
    state.phrases.forEach(function (p, pi) {
      if (!state.split) {
        out.push({ phrase: p, speaker: null, name: label(p), colour: COLOURS[pi % 5], dash: '' });
        return;
      }
      SPEAKERS.forEach(function (who, wi) {
        if (state.speaker !== '' && who !== state.speaker) return;
        out.push({ phrase: p, speaker: who, name: (state.phrases.length > 1 ? label(p) + ' · ' : '') + (who || t('no_speaker')),
          colour: COLOURS[wi % COLOURS.length], dash: DASHES[pi % DASHES.length] });
      });
    });
    return out;
  }

  // The phrase view, drawn when the search worker has counted and resampled
  // (unless the view changed meanwhile).
  var trendAsked = 0;
  function renderTrend() {
    var asked = ++trendAsked, wanted = specs(), periods = span(), bySpeaker = {}, transfer = [];
    var draw = function (numbers) {
      if (asked !== trendAsked) return;
      series = wanted.map(function (s, si) {
        s.rows = periods.map(function (pf, i) { return periodRow(pf, numbers[si][i]); });
        return s;
      });
      drawChart(); drawTable(); drawLines(); drawAnswer(null);
    };
    if (!wanted.length) { draw([]); return; }
    var request = wanted.map(function (s) {
      var key = s.speaker == null ? '' : '/' + s.speaker;
      bySpeaker[key] = bySpeaker[key] || grouped(periods, s.speaker);
      return seriesRequest(s, bySpeaker[key], periods, transfer);
    });
    search.ask('stats', { series: request }, transfer, draw);
  }

  // Keyness view: one (year, topic, reference, kind) of keyness.csv.
  function keynessRows() {
    return D.keyness.rows.filter(function (r) {
      return r[K.year] === state.ky && r[K.topic] === state.kt && r[K.reference] === state.kr &&
        (state.kk < 0 || r[K.kind] === state.kk);
    });
  }

  // The table's columns: heading (a key of T, or the heading itself) and the
  // sort key in the fragment (ks=), for the sortable ones.
  var KCOLS = [['k_phrase', null], ['kind', null], ['k_a', 'a'], ['k_b', 'b'], ['LRC', 'lrc'], ['G²', 'g2'],
    ['z', 'z'], ['q_perm', 'q_perm']];
  var KSORT = { lrc: K.lrc, g2: K.g2, z: K.logodds_z, q_perm: K.q_perm, a: K.a, b: K.b };

  function renderKeyness() {
    var rows = keynessRows().slice();
    var idx = KSORT[state.ks] == null ? K.lrc : KSORT[state.ks], dir = state.kdesc ? -1 : 1;
    rows.sort(function (a, b) {
      var x = a[idx], y = b[idx];
      if (x == null) return 1; if (y == null) return -1;
      return x === y ? (b[K.logodds_z] - a[K.logodds_z]) : (x < y ? -dir : dir);
    });
    var table = $('k-table');
    table.textContent = '';
    table.appendChild(el('thead', {}, [el('tr', {}, KCOLS.map(function (c) {
      var name = T[state.lang][c[0]] || c[0], key = c[1];
      if (!key) return el('th', { scope: 'col', text: name });
      var sorted = state.ks === key;
      var b = el('button', { type: 'button', text: name + (sorted ? (state.kdesc ? ' ▼' : ' ▲') : '') });
      b.addEventListener('click', function () {
        if (state.ks === key) state.kdesc = !state.kdesc; else { state.ks = key; state.kdesc = key !== 'q_perm'; }
        renderKeyness(); sync();
      });
      return el('th', { scope: 'col', 'aria-sort': sorted ? (state.kdesc ? 'descending' : 'ascending') : 'none' }, [b]);
    }))]));
    var body = el('tbody');
    var shown = state.kall ? rows : rows.slice(0, KEYNESS_ROWS);
    shown.forEach(function (r) {
      var phrase = D.keyness.phrases[r[K.phrase]];
      var faded = r[K.q_perm] == null || r[K.q_perm] >= D.alpha;
      var link = el('button', { type: 'button', text: label(phrase), class: 'phrase' });
      link.addEventListener('click', function () {
        state.view = 'trend'; state.topic = state.kt; state.outlet = '';
        // Keyness compares years.
        state.period = 'year'; state.at = state.ky;
        state.phrases = [normalise(phrase)]; state.line_phrase = null; state.line_speaker = null; state.answer = null;
        $('phrases').value = state.phrases.join('，');
        show(); sync();
      });
      body.appendChild(el('tr', { class: faded ? 'faded' : '' }, [
        el('td', {}, [link]), el('td', { text: KIND_NAMES[r[K.kind]] }), el('td', { text: String(r[K.a]) }),
        el('td', { text: String(r[K.b]) }), el('td', { text: fmt(r[K.lrc]) }), el('td', { text: fmt(r[K.g2]) }),
        el('td', { text: fmt(r[K.logodds_z]) }), el('td', { text: fmt(r[K.q_perm]) })]));
    });
    table.appendChild(body);
    var more = $('k-more');
    more.hidden = shown.length === rows.length;
    more.textContent = t('show_all', { n: rows.length });
  }

  function option(value, text, selected) {
    var o = el('option', { value: String(value), text: text });
    if (selected) o.selected = true;
    return o;
  }

  function fillSelects() {
    var topic = $('topic'), outlet = $('outlet'), speaker = $('speaker');
    topic.textContent = ''; outlet.textContent = ''; speaker.textContent = '';
    D.topics.forEach(function (tp, i) { topic.appendChild(option(i, topicName(i), i === state.topic)); });
    outlet.appendChild(option('', t('all_outlets'), state.outlet === ''));
    var outlets = {};
    D.answers.rows.forEach(function (a) { if (a[A.outlet]) outlets[a[A.outlet]] = true; });
    Object.keys(outlets).sort().forEach(function (o) { outlet.appendChild(option(o, o, state.outlet === o)); });
    speaker.appendChild(option('', t('all_speakers'), state.speaker === ''));
    SPEAKERS.forEach(function (s) { if (s) speaker.appendChild(option(s, s, state.speaker === s)); });
    var period = $('period');
    period.textContent = '';
    PERIODS.forEach(function (p) {
      var o = option(p, t('p_' + p), state.period === p);
      // A corpus without dates has no quarters or months.
      if (p !== 'year' && !D.periods[p].periods.length) o.disabled = true;
      period.appendChild(o);
    });
    $('split').checked = state.split;
    var ky = $('k-year'), kt = $('k-topic'), kr = $('k-ref'), kk = $('k-kind');
    [ky, kt, kr, kk].forEach(function (s) { s.textContent = ''; });
    var kyears = {};
    D.keyness.rows.forEach(function (r) { kyears[r[K.year]] = true; });
    Object.keys(kyears).map(Number).sort().forEach(function (y) { ky.appendChild(option(y, String(y), y === state.ky)); });
    D.topics.forEach(function (tp, i) { kt.appendChild(option(i, topicName(i), i === state.kt)); });
    kr.appendChild(option(0, t('rest'), state.kr === 0));
    kr.appendChild(option(1, t('previous'), state.kr === 1));
    kk.appendChild(option(-1, '*', state.kk < 0));
    KIND_NAMES.forEach(function (k, i) { kk.appendChild(option(i, k, state.kk === i)); });
  }

  function translate() {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-Hans' : 'en';
    document.querySelectorAll('[data-t]').forEach(function (e) { e.textContent = t(e.getAttribute('data-t'), { alpha: D.alpha }); });
    $('lang').textContent = state.lang === 'zh' ? 'English' : '中文';
    $('lang').lang = state.lang === 'zh' ? 'en' : 'zh-Hans';
  }

  function show() {
    translate(); fillSelects();
    $('trend-view').hidden = state.view !== 'trend';
    $('keyness-view').hidden = state.view !== 'keyness';
    $('tab-trend').setAttribute('aria-pressed', String(state.view === 'trend'));
    $('tab-keyness').setAttribute('aria-pressed', String(state.view === 'keyness'));
    var notice = $('notice');
    notice.hidden = D.texts;
    if (!D.texts) notice.textContent = t('no_texts', { mb: D.max_text_mb, n: KEYNESS_ROWS });
    $('phrase-form').hidden = !D.texts;
    showStatus();
    if (state.view === 'trend' && D.texts) renderTrend(); else if (state.view === 'keyness') renderKeyness();
  }

  // The state in the URL fragment, so that a view can be sent as a link to the same file.
  function sync() {
    var f = ['v=' + state.view, 'l=' + state.lang];
    if (state.phrases.length) f.push('p=' + encodeURIComponent(state.phrases.join(',')));
    f.push('t=' + encodeURIComponent(D.topics[state.topic].id));
    if (state.outlet) f.push('o=' + encodeURIComponent(state.outlet));
    if (state.speaker) f.push('s=' + encodeURIComponent(state.speaker));
    f.push('pe=' + state.period);
    if (state.split) f.push('sp=1');
    var at = span().filter(function (pf) { return pf.key === state.at; })[0];
    if (at) f.push('y=' + at.label);
    if (state.line_phrase) f.push('lp=' + encodeURIComponent(state.line_phrase));
    if (state.line_speaker != null) f.push('ls=' + encodeURIComponent(state.line_speaker));
    if (state.answer) f.push('a=' + encodeURIComponent(state.answer));
    if (state.ky != null) f.push('ky=' + state.ky);
    f.push('kt=' + encodeURIComponent(D.topics[state.kt].id), 'kr=' + state.kr, 'kk=' + state.kk, 'ks=' + state.ks + (state.kdesc ? '-' : '+'));
    var hash = '#' + f.join('&');
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  function load() {
    var q = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) q[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
    });
    var topicOf = function (id) { for (var i = 0; i < D.topics.length; i++) if (D.topics[i].id === id) return i; return 0; };
    state.view = q.v === 'keyness' ? 'keyness' : 'trend';
    state.lang = q.l === 'en' ? 'en' : 'zh';
    state.phrases = q.p ? readPhrases(q.p).phrases : [];
    state.topic = q.t ? topicOf(q.t) : 0;
    state.outlet = q.o || '';
    state.speaker = q.s || '';
    var period = PERIODS.indexOf(q.pe) >= 0 ? q.pe : D.period;
    state.period = PERIODS.indexOf(period) >= 0 && (period === 'year' || D.periods[period].periods.length) ? period : 'year';
    state.split = q.sp === '1';
    var at = span().filter(function (pf) { return pf.label === q.y; })[0];
    state.at = at ? at.key : null;
    state.line_phrase = q.lp || null;
    state.line_speaker = q.ls != null ? q.ls : null;
    state.answer = q.a || null;
    // The first year of keyness.csv: a fold, as Math.min.apply would pass a
    // large corpus's rows as more arguments than a call takes.
    var first = D.keyness.rows.reduce(function (m, r) { return m == null || r[K.year] < m ? r[K.year] : m; }, null);
    state.ky = q.ky ? Number(q.ky) : first;
    state.kt = q.kt ? topicOf(q.kt) : 0;
    state.kr = q.kr === '1' ? 1 : 0;
    state.kk = q.kk != null ? Number(q.kk) : -1;
    if (q.ks) { state.ks = q.ks.replace(/[-+]$/, ''); state.kdesc = !/\+$/.test(q.ks); }
    $('phrases').value = state.phrases.join('，');
  }

  function download(name, type, text) {
    var a = el('a', { href: URL.createObjectURL(new Blob([text], { type: type })), download: name });
    document.body.appendChild(a); a.click(); a.remove();
  }

  function csvCell(v) {
    var s = v == null ? '' : String(v);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function csv(header, rows) {
    return '\ufeff' + [header].concat(rows).map(function (r) { return r.map(csvCell).join(','); }).join('\r\n') + '\r\n';
  }

  $('phrase-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var read = readPhrases($('phrases').value);
    state.phrases = read.phrases; state.at = null; state.line_phrase = null; state.line_speaker = null; state.answer = null;
    $('notice').hidden = !read.notes.length;
    $('notice').textContent = read.notes.join(' ');
    renderTrend(); sync();
    if (read.notes.length) $('notice').hidden = false;
  });
  $('topic').addEventListener('change', function (e) { state.topic = Number(e.target.value); renderTrend(); sync(); });
  $('outlet').addEventListener('change', function (e) { state.outlet = e.target.value; renderTrend(); sync(); });
  $('speaker').addEventListener('change', function (e) { state.speaker = e.target.value; renderTrend(); sync(); });
  $('period').addEventListener('change', function (e) {
    state.at = coarser(state.at, state.period, e.target.value);
    state.period = e.target.value; state.answer = null;
    renderTrend(); sync();
  });
  $('split').addEventListener('change', function (e) {
    state.split = e.target.checked; state.line_speaker = null; state.answer = null;
    renderTrend(); sync();
  });
  $('k-more').addEventListener('click', function () { state.kall = true; renderKeyness(); });
  $('k-year').addEventListener('change', function (e) { state.ky = Number(e.target.value); state.kall = false; renderKeyness(); sync(); });
  $('k-topic').addEventListener('change', function (e) { state.kt = Number(e.target.value); state.kall = false; renderKeyness(); sync(); });
  $('k-ref').addEventListener('change', function (e) { state.kr = Number(e.target.value); renderKeyness(); sync(); });
  $('k-kind').addEventListener('change', function (e) { state.kk = Number(e.target.value); renderKeyness(); sync(); });
  $('tab-trend').addEventListener('click', function () { state.view = 'trend'; show(); sync(); });
  $('tab-keyness').addEventListener('click', function () { state.view = 'keyness'; show(); sync(); });
  $('lang').addEventListener('click', function () { state.lang = state.lang === 'zh' ? 'en' : 'zh'; show(); sync(); });
  $('dl-csv').addEventListener('click', function () {
    var rows = [];
    series.forEach(function (s) {
      s.rows.forEach(function (r) {
        rows.push([s.phrase, r.year, r.label, r.gap ? '' : r.genre, D.topics[state.topic].id, state.outlet,
          s.speaker != null ? s.speaker : state.speaker,
          r.gap ? '' : r.n, r.gap ? '' : r.answers, r.gap ? '' : r.of, r.gap ? '' : r.chars,
          r.rate == null ? '' : r.rate, r.lo == null ? '' : r.lo, r.hi == null ? '' : r.hi]);
      });
    });
    download('explorer-phrases.csv', 'text/csv;charset=utf-8', csv(['phrase', 'year', 'period', 'genre', 'topic', 'outlet', 'speaker',
      'n', 'n_answers_with', 'n_answers', 'n_chars', 'per_10k_chars', 'ci_low', 'ci_high'], rows));
  });
  $('dl-svg').addEventListener('click', function () {
    var svg = $('chart').querySelector('svg');
    if (svg) download('explorer-chart.svg', 'image/svg+xml', new XMLSerializer().serializeToString(svg));
  });
  $('k-csv').addEventListener('click', function () {
    var rows = keynessRows().map(function (r) {
      return [r[K.year], D.topics[r[K.topic]].id, r[K.reference] ? 'previous' : 'rest', KIND_NAMES[r[K.kind]],
        D.keyness.phrases[r[K.phrase]], r[K.a], r[K.b], r[K.lrc], r[K.g2], r[K.logodds_z], r[K.q_perm]];
    });
    download('explorer-keyness.csv', 'text/csv;charset=utf-8', csv(['year', 'topic', 'reference', 'kind', 'phrase', 'a', 'b', 'lrc', 'g2', 'logodds_z', 'q_perm'], rows));
  });
  window.addEventListener('hashchange', function () { load(); show(); });

  var search = searchWorker();
  load();
  show();
  sync();
})();
