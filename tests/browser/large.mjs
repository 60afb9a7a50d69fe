// Drives explorer.html of a large corpus (tests/cli/explore.rs generates one
// of 60 MB of answer text) in headless Chromium (chromium.mjs): phrase search
// is on, each phrase's count in every year equals the tables' and `rhetoric-shift
// kwic`'s, a year's point lists kwic's lines of that year and leads to an
// answer, no request leaves the file and the console stays clean. Prints the
// page's load and query times (chromium.mjs, timings); checks none of them.
//
//   node tests/browser/large.mjs OUT/explorer.html EXPECTED_JSON [SCREENSHOT_DIR]
//
// EXPECTED_JSON: {"n": {phrase: {year: n}} (every year not listed: 0),
// "lines": {"phrase", "year", "n"}}. Exits 1 with the failures listed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checklist, idle, launch, timings } from './chromium.mjs';

const [html, expectedPath, shots] = process.argv.slice(2);
const want = JSON.parse(readFileSync(expectedPath, 'utf8'));
const { check, report } = checklist();
const phrases = Object.keys(want.n);

const { browser, close } = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  // A large page takes seconds to open and search on a slow machine.
  page.setDefaultTimeout(120000);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const requests = [];
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('blob:')) requests.push(r.url()); });
  await page.goto('file://' + html);
  await page.waitForSelector('#phrase-form[data-search="ready"], #phrase-form[data-search="failed"]', { state: 'attached' });
  check(await page.getAttribute('#phrase-form', 'data-search') === 'ready',
    `phrase search is not ready: ${await page.textContent('#search-status')}`);
  check(await page.isVisible('#phrases'), 'no phrase box');

  // Every year's count of each phrase, all at once.
  await page.fill('#phrases', phrases.join('，'));
  await page.press('#phrases', 'Enter');
  await idle(page);
  const rows = await page.$$eval('#trend-table tbody tr', (trs) => trs.map((r) => ({
    phrase: r.getAttribute('data-phrase'), year: r.getAttribute('data-year'), gap: r.classList.contains('gap'),
    n: r.querySelector('td.n').getAttribute('data-value'),
  })));
  for (const p of phrases) {
    const shown = rows.filter((r) => r.phrase === p && !r.gap);
    check(shown.length > 0, `${p}: no rows`);
    for (const r of shown) {
      const n = Number(r.n), table = want.n[p][r.year] || 0;
      check(n === table, `${p} ${r.year}: page ${n}, tables ${table}`);
    }
    for (const year of Object.keys(want.n[p])) {
      check(shown.some((r) => r.year === year), `${p}: no row of ${year}`);
    }
  }

  if (shots) await page.screenshot({ path: join(shots, 'explorer-large.png') });

  // A year's point: kwic's lines of that year, and on to an answer.
  const { phrase, year, n } = want.lines;
  await page.click(`#chart g.point[data-phrase="${phrase}"][data-year="${year}"]`);
  await idle(page);
  const lines = await page.locator('#kwic li').count();
  check(lines === n, `lines of ${phrase} in ${year}: page ${lines}, kwic ${n}`);
  await page.locator('#kwic li button').first().click();
  await idle(page);
  const marked = await page.locator('#answer-text mark').allTextContents();
  check(marked.length > 0 && marked.every((m) => m === phrase), `the answer's marks: ${marked.join('|')}`);

  check(errors.length === 0, `console errors: ${errors.join('; ')}`);
  check(requests.length === 0, `network requests: ${requests.join(', ')}`);
  await page.close();

  await timings(browser, html, phrases[0], 5, 'a large corpus');
} finally {
  await close();
}
report('explorer, large corpus');
