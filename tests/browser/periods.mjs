// Drives explorer.html's period switch and split by speaker in headless
// Chromium (chromium.mjs) and checks the counts worked out by hand.
//
//   node tests/browser/periods.mjs OUT/explorer.html EXPECTED_JSON [SCREENSHOT_DIR]
//
// EXPECTED_JSON (written by tests/cli/explore.rs): {"phrase", "period" (the
// run's), "peak" (the month of the burst), "gap" (a month without
// briefings), "partial" (a quarter that lacks it), "speakers", "n": {period:
// {label: n}} (every other period 0), "by_speaker": {"month" | "year":
// {speaker: {label: n}}}}. Exits 1 with the failures listed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checklist, idle, launch } from './chromium.mjs';

const [html, expectedPath, shots] = process.argv.slice(2);
const want = JSON.parse(readFileSync(expectedPath, 'utf8'));
const { check, report } = checklist();

const { browser, close } = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('file://' + html);
  check(await page.inputValue('#period') === want.period, `the page opens at ${await page.inputValue('#period')}, the run's period is ${want.period}`);
  await page.fill('#phrases', want.phrase);
  await page.press('#phrases', 'Enter');
  await idle(page);

  // The table's counts, by period label (and speaker, where split): those of
  // rows that are not gaps.
  const counts = () => page.$$eval('#trend-table tbody tr', (rows) => rows.map((r) => ({
    period: r.getAttribute('data-period'), speaker: r.getAttribute('data-speaker'), gap: r.classList.contains('gap'),
    n: r.querySelector('td.n').getAttribute('data-value'),
  })));
  // Every period not a gap has its hand-worked count (0 where none is given).
  const checkCounts = (rows, expected, what) => {
    const shown = rows.filter((r) => !r.gap);
    check(shown.length > 0, `${what}: no rows`);
    for (const r of shown) {
      const n = Number(r.n), hand = expected[r.period] || 0;
      check(n === hand, `${what} ${r.period}: page ${n}, by hand ${hand}`);
    }
    for (const label of Object.keys(expected)) {
      check(shown.some((r) => r.period === label), `${what}: no row of ${label}`);
    }
  };

  // Month: the peak is the burst's month, every other month as planted.
  let rows = await counts();
  checkCounts(rows, want.n.month, 'month');
  const peak = rows.filter((r) => !r.gap).reduce((a, b) => (Number(b.n) > Number(a.n) ? b : a));
  check(peak.period === want.peak, `the peak is ${peak.period}, not ${want.peak}`);
  check(rows.some((r) => r.gap && r.period === want.gap), `${want.gap} is not a gap row`);
  check(await page.locator(`#chart rect.gap[data-period="${want.gap}"]`).count() === 1, `${want.gap} is not grey in the chart`);
  check(await page.locator('#chart g.yearlabel text').count() < rows.length,
    'the month axis labels every month');
  // The axis labels stand apart.
  const boxes = await page.$$eval('#chart g.yearlabel text', (ts) => ts.map((t) => {
    const b = t.getBBox();
    return { left: b.x, right: b.x + b.width, text: t.textContent };
  }));
  check(boxes.every((b, i) => i === 0 || boxes[i - 1].right + 4 <= b.left),
    `axis labels overlap: ${boxes.map((b) => `${b.text} ${b.left.toFixed(0)}–${b.right.toFixed(0)}`).join(', ')}`);
  const viewBox = await page.getAttribute('#chart svg', 'viewBox');
  const width = Number(viewBox.split(' ')[2]);
  check(boxes[0].left >= 0 && boxes[boxes.length - 1].right <= width, 'an axis label leaves the chart');
  check(await page.locator('#period-note').isHidden(), 'every answer is dated, yet some are said to be left out');
  if (shots) await page.screenshot({ path: join(shots, 'explorer-month.png'), fullPage: true });

  // The burst's point leads to its lines, and the link keeps period and month.
  await page.click(`#chart g.point[data-phrase="${want.phrase}"][data-period="${want.peak}"]`);
  await idle(page);
  const peakN = want.n.month[want.peak];
  check(await page.locator('#kwic li').count() === peakN, `lines of ${want.peak}: ${await page.locator('#kwic li').count()}, by hand ${peakN}`);
  let hash = decodeURIComponent(await page.evaluate(() => location.hash));
  check(hash.includes('pe=month') && hash.includes('y=' + want.peak), `the link lacks the period: ${hash}`);

  // Quarter: the sums of the months; the selection becomes its quarter.
  await page.selectOption('#period', 'quarter');
  await idle(page);
  rows = await counts();
  checkCounts(rows, want.n.quarter, 'quarter');
  const quarter = Object.keys(want.n.quarter).find((q) => q.startsWith(want.peak.slice(0, 4)) && want.n.quarter[q] === peakN);
  check((await page.textContent('#lines-heading')).includes(quarter), `the lines are not of ${quarter}: ${await page.textContent('#lines-heading')}`);
  check(await page.locator('#kwic li').count() === peakN, `lines of ${quarter}: ${await page.locator('#kwic li').count()}`);
  check(await page.locator(`#chart rect.partial[data-period="${want.partial}"]`).count() === 1, `${want.partial} is not marked partial`);
  const partialGenre = await page.textContent(`#trend-table tr[data-period="${want.partial}"] td:nth-child(3)`);
  check(/%\)$/.test(partialGenre), `${want.partial}'s text is "${partialGenre}", not marked partial`);
  if (shots) await page.screenshot({ path: join(shots, 'explorer-quarter.png'), fullPage: true });

  // Year: the sums of the quarters, the year view's own marks.
  await page.selectOption('#period', 'year');
  await idle(page);
  rows = await counts();
  checkCounts(rows, want.n.year, 'year');
  const labels = await page.locator('#chart g.yearlabel text').allTextContents();
  check(JSON.stringify(labels) === JSON.stringify(Object.keys(want.n.year)), `year labels: ${labels.join(' ')}`);

  // Split by speaker, at year and at month: a series, a legend entry and
  // table rows of each speaker, each with the speaker's own counts.
  await page.check('#split');
  await idle(page);
  for (const period of ['year', 'month']) {
    await page.selectOption('#period', period);
    await idle(page);
    rows = await counts();
    for (const s of want.speakers) {
      checkCounts(rows.filter((r) => r.speaker === s), want.by_speaker[period][s] || {}, `${period}, ${s}`);
    }
    check(rows.every((r) => want.speakers.includes(r.speaker)), `${period}: rows of no speaker`);
    const legend = await page.locator('#chart g.key text').allTextContents();
    check(JSON.stringify(legend) === JSON.stringify(want.speakers), `${period} legend: ${legend.join(', ')}`);
    const colours = await page.$$eval('#chart g.key circle', (cs) => cs.map((c) => c.getAttribute('fill')));
    check(new Set(colours).size === want.speakers.length, `${period}: speakers share colours ${colours.join(' ')}`);
    check((await page.locator('#trend-table thead th').allTextContents()).includes('发言人'), `${period}: no speaker column`);
  }
  if (shots) await page.screenshot({ path: join(shots, 'explorer-month-speakers.png'), fullPage: true });

  // A speaker's point leads to that speaker's lines. Points of equal rates
  // lie on one another (here all three speakers say it in 2 answers of 3),
  // so the point is reached as a keyboard reaches it.
  const [who, months] = Object.entries(want.by_speaker.month).find(([, m]) => m[want.peak]);
  await page.focus(`#chart g.point[data-speaker="${who}"][data-period="${want.peak}"]`);
  await page.keyboard.press('Enter');
  await idle(page);
  check(await page.locator('#kwic li').count() === months[want.peak],
    `${who}'s lines of ${want.peak}: ${await page.locator('#kwic li').count()}, by hand ${months[want.peak]}`);

  // The link keeps period and split; the CSV has the period and the speakers.
  hash = decodeURIComponent(await page.evaluate(() => location.hash));
  check(hash.includes('pe=month') && hash.includes('sp=1'), `the link: ${hash}`);
  await page.reload();
  await idle(page);
  check(await page.inputValue('#period') === 'month' && await page.isChecked('#split'), 'period or split not restored');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dl-csv')]);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n').map((l) => l.split(','));
  const [head, ...body] = csv;
  const col = (name) => head.indexOf(name);
  check(col('period') === 2 && col('speaker') > 0, `CSV header: ${head.join(',')}`);
  for (const s of want.speakers) {
    const r = body.find((x) => x[col('speaker')] === s && x[col('period')] === want.peak);
    const hand = want.by_speaker.month[s][want.peak] || 0;
    check(r && Number(r[col('n')]) === hand, `CSV ${s} ${want.peak}: ${r && r[col('n')]}, by hand ${hand}`);
  }

  check(errors.length === 0, `console errors: ${errors.join('; ')}`);
} finally {
  await close();
}
report('explorer periods');
