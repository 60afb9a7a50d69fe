// Drives explorer.html in headless Chromium (Debian's, through playwright-core)
// and checks what a reader sees against the numbers the tables give.
//
//   node tests/browser/explorer.mjs OUT/explorer.html EXPECTED_JSON [SCREENSHOT_DIR]
//
// EXPECTED_JSON (written by tests/cli/explore.rs from phrase_freq.csv and
// `rhetoric-shift kwic`): {"phrase", "year", "n", "rate", "lines", "answers",
// "gap_year", "partial_year", "partial_label", "gloss", "gloss_zh",
// "keyness_year" (a year with rows both significant and not)}. Exits 1 with
// the failures listed.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [html, expectedPath, shots] = process.argv.slice(2);
const want = JSON.parse(readFileSync(expectedPath, 'utf8'));
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  // No request may leave the file: the page must work offline.
  const requests = [];
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('blob:')) requests.push(r.url()); });
  await page.goto('file://' + html);

  // A phrase typed into the box gives the table's numbers.
  await page.fill('#phrases', want.phrase);
  await page.press('#phrases', 'Enter');
  const row = `#trend-table tr[data-phrase="${want.phrase}"][data-year="${want.year}"]`;
  const rate = Number(await page.getAttribute(`${row} td.rate`, 'data-value'));
  const n = Number(await page.getAttribute(`${row} td:nth-child(4)`, 'data-value'));
  check(n === want.n, `n for ${want.phrase} ${want.year}: page ${n}, phrase_freq.csv ${want.n}`);
  check(Math.abs(rate - want.rate) <= 1e-5 * Math.max(1, want.rate),
    `rate for ${want.phrase} ${want.year}: page ${rate}, phrase_freq.csv ${want.rate}`);

  // Gap and partial years are visible.
  check(await page.locator(`#trend-table tr.gap[data-year="${want.gap_year}"]`).count() === 1,
    `year ${want.gap_year} is not shown as a gap`);
  const labels = await page.locator('#chart g.yearlabel text').allTextContents();
  check(labels.includes(want.partial_label), `no "${want.partial_label}" under ${want.partial_year}: ${labels.join(' ')}`);
  if (shots) await page.screenshot({ path: join(shots, 'explorer-trend.png'), fullPage: true });

  // Every number leads to its sentences: the point -> KWIC lines -> the answer.
  await page.click(`#chart g.point[data-phrase="${want.phrase}"][data-year="${want.year}"]`);
  const lines = await page.locator('#kwic li').count();
  check(lines === want.lines, `KWIC lines for ${want.year}: page ${lines}, rhetoric-shift kwic ${want.lines}`);
  await page.locator('#kwic li button').first().click();
  check(await page.isVisible('#answer'), 'the answer did not open');
  const id = await page.getAttribute('#kwic li button', 'data-answer');
  check(want.answers.includes(id), `answer ${id} is not one kwic lists`);
  const marked = await page.locator('#answer-text mark').allTextContents();
  check(marked.length > 0 && marked.every((m) => m === want.phrase), `highlight: ${marked.join('|')}`);
  check((await page.textContent('#answer-facts')).includes('.txt:'), 'no source line in the answer');
  if (shots) await page.screenshot({ path: join(shots, 'explorer-answer.png'), fullPage: true });

  // The fragment keeps the view: a reload shows the same phrase, year and answer.
  const hash = await page.evaluate(() => location.hash);
  check(hash.includes('p=' + encodeURIComponent(want.phrase)) && hash.includes('y=' + want.year),
    `fragment ${hash}`);
  await page.reload();
  check((await page.inputValue('#phrases')) === want.phrase, 'phrase not restored from the fragment');
  check(await page.isVisible('#answer'), 'answer not restored from the fragment');

  // English labels; a glossed phrase typed in English.
  await page.click('#lang');
  check((await page.textContent('h1')) === 'rhetoric-shift explorer', 'no English title');
  if (want.gloss) {
    await page.fill('#phrases', want.gloss);
    await page.press('#phrases', 'Enter');
    check(await page.locator(`#trend-table tr[data-phrase="${want.gloss_zh}"]`).count() > 0,
      `"${want.gloss}" did not find ${want.gloss_zh}`);
  }

  // Keyboard: Tab reaches the phrase box and the chart's points, Enter opens lines.
  await page.click('#lang');
  await page.focus(`#chart g.point[data-year="${want.year}"]`);
  await page.keyboard.press('Enter');
  check((await page.locator('#kwic li').count()) > 0, 'Enter on a point shows no lines');

  // Keyness view: sortable, non-significant rows faded, a phrase leads to its trend.
  await page.click('#tab-keyness');
  await page.selectOption('#k-year', String(want.keyness_year));
  const rows = await page.locator('#k-table tbody tr').count();
  check(rows > 0 && rows <= 100, `keyness table rows: ${rows}`);
  const lrc = (await page.locator('#k-table tbody tr td:nth-child(5)').allTextContents()).map(Number);
  check(lrc.every((v, i) => i === 0 || lrc[i - 1] >= v), 'keyness not sorted by LRC');
  await page.click('#k-table th:nth-child(8) button');
  const q = (await page.locator('#k-table tbody tr td:nth-child(8)').allTextContents())
    .filter((s) => s !== '').map(Number);
  check(q.every((v, i) => i === 0 || q[i - 1] <= v), 'keyness not sorted by q_perm');
  const faded = await page.locator('#k-table tbody tr.faded').count();
  check(faded > 0 && faded < rows, `faded rows: ${faded} of ${rows}`);
  if (shots) await page.screenshot({ path: join(shots, 'explorer-keyness.png') });
  await page.locator('#k-table tbody tr button.phrase').first().click();
  check(await page.isVisible('#trend-view'), 'a keyness phrase did not open its trend');
  check((await page.locator('#trend-table tbody tr').count()) > 0, 'no trend for the keyness phrase');

  // A phone-sized screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the page is ${overflow}px wider than a phone`);

  check(errors.length === 0, `console errors: ${errors.join('; ')}`);
  check(requests.length === 0, `network requests: ${requests.join(', ')}`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('explorer: all checks passed');
