// Drives explorer.html in headless Chromium (Debian's, through playwright-core)
// and checks what a reader sees against the numbers the tables give.
//
//   node tests/browser/explorer.mjs OUT/explorer.html EXPECTED_JSON [SCREENSHOT_DIR]
//
// EXPECTED_JSON (written by tests/cli/explore.rs from phrase_freq.csv and
// `rhetoric-shift kwic`): {"phrase", "year", "n", "rate", "lines", "answers",
// "gap_year", "partial_year", "partial_label", "gloss", "gloss_zh",
// "keyness_year" (a year with rows both significant and not)}. Chromium is
// $CHROMIUM, else /usr/bin/chromium (chromium.mjs). Prints the page's load
// and query times (chromium.mjs, timings). Exits 1 with the failures listed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checklist, idle, launch, timings } from './chromium.mjs';

const [html, expectedPath, shots] = process.argv.slice(2);
const want = JSON.parse(readFileSync(expectedPath, 'utf8'));
const { check, report } = checklist();

const { browser, scratch, close } = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  // No request may leave the file: the page must work offline.
  const requests = [];
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('blob:')) requests.push(r.url()); });
  await page.goto('file://' + html);
  check(await page.getAttribute('#phrase-form', 'data-search') !== 'off', 'phrase search is off');

  // The page's own font loads and draws its Chinese: 中美 in it does not look
  // like two private-use characters, which no font here has (both would be
  // the font's empty box if 中美 were missing from it too).
  const font = await page.evaluate(async () => {
    await document.fonts.ready;
    const family = getComputedStyle(document.body).fontFamily.split(',')[0].trim();
    const unquoted = family.replace(/^"|"$/g, '');
    const face = [...document.fonts].find((f) => f.family.replace(/^"|"$/g, '') === unquoted);
    const ink = (text) => {
      const canvas = document.createElement('canvas');
      canvas.width = 80; canvas.height = 40;
      const g = canvas.getContext('2d');
      g.font = '24px ' + family;
      g.fillText(text, 4, 30);
      return g.getImageData(0, 0, 80, 40).data.join(',');
    };
    return {
      family,
      status: face ? face.status : 'no @font-face',
      check: document.fonts.check('16px ' + family, '中美'),
      own: ink('中美') !== ink('\uE000\uE001'),
    };
  });
  check(font.status === 'loaded', `the page's font ${font.family}: ${font.status}`);
  check(font.check, `document.fonts.check('16px ${font.family}', '中美') is false`);
  check(font.own, `中美 is not drawn with ${font.family}`);
  const data = await page.evaluate(() => JSON.parse(document.getElementById('data').textContent));

  // The phrase box offers the formulations of formulations.csv, in its order.
  const offered = await page.$$eval('#formulation-list option', (os) => os.map((o) => o.value));
  check(JSON.stringify(offered) === JSON.stringify(want.formulations),
    `the phrase box offers ${offered.length} formulations, formulations.csv has ${want.formulations.length}`);

  // A phrase typed into the box gives the table's numbers.
  await page.fill('#phrases', want.phrase);
  await page.press('#phrases', 'Enter');
  await idle(page);
  const row = `#trend-table tr[data-phrase="${want.phrase}"][data-year="${want.year}"]`;
  const rate = Number(await page.getAttribute(`${row} td.rate`, 'data-value'));
  const n = Number(await page.getAttribute(`${row} td:nth-child(4)`, 'data-value'));
  check(n === want.n, `n for ${want.phrase} ${want.year}: page ${n}, phrase_freq.csv ${want.n}`);
  check(Math.abs(rate - want.rate) <= 1e-5 * Math.max(1, want.rate),
    `rate for ${want.phrase} ${want.year}: page ${rate}, phrase_freq.csv ${want.rate}`);

  // The speaker filter offers the corpus's speakers; the seeds have one, so
  // filtering by them keeps the numbers, and the view's link names them.
  const speakers = await page.$$eval('#speaker option', (os) => os.map((o) => o.value));
  check(speakers[0] === '' && speakers.length === 2, `the speaker filter offers [${speakers.join(', ')}]`);
  await page.selectOption('#speaker', speakers[1]);
  await idle(page);
  const nSpeaker = Number(await page.getAttribute(`${row} td:nth-child(4)`, 'data-value'));
  check(nSpeaker === want.n, `n for ${want.phrase} ${want.year} of ${speakers[1]}: page ${nSpeaker}, all ${want.n}`);
  const link = decodeURIComponent(await page.evaluate(() => location.hash));
  check(link.includes('s=' + speakers[1]), `the view's link does not name the speaker: ${link}`);
  await page.selectOption('#speaker', '');
  await idle(page);

  // Gap and partial years are visible.
  check(await page.locator(`#trend-table tr.gap[data-year="${want.gap_year}"]`).count() === 1,
    `year ${want.gap_year} is not shown as a gap`);
  const labels = await page.locator('#chart g.yearlabel text').allTextContents();
  check(labels.includes(want.partial_label), `no "${want.partial_label}" under ${want.partial_year}: ${labels.join(' ')}`);

  // The y axis's ticks are round: 0, s, 2s, ... with s = 1, 2 or 5 × 10^n.
  const ticks = await page.locator('#chart text.tick').allTextContents();
  const tv = ticks.map(Number), step = tv[1] - tv[0];
  const lead = step / Math.pow(10, Math.floor(Math.log10(step)));
  check(ticks.length >= 3 && tv[0] === 0 && [1, 2, 5].some((d) => Math.abs(lead - d) < 1e-9) &&
    tv.every((v, i) => Math.abs(v - i * step) < 1e-9 * Math.max(1, v)) &&
    ticks.every((s) => /^\d+(\.\d{1,3})?$/.test(s)), `y axis ticks not round: ${ticks.join(' ')}`);
  if (shots) await page.screenshot({ path: join(shots, 'explorer-trend.png'), fullPage: true });

  // Every number leads to its sentences: the point -> KWIC lines -> the answer.
  await page.click(`#chart g.point[data-phrase="${want.phrase}"][data-year="${want.year}"]`);
  await idle(page);
  const lines = await page.locator('#kwic li').count();
  check(lines === want.lines, `KWIC lines for ${want.year}: page ${lines}, rhetoric-shift kwic ${want.lines}`);
  await page.locator('#kwic li button').first().click();
  await idle(page);
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
  await idle(page);
  check((await page.inputValue('#phrases')) === want.phrase, 'phrase not restored from the fragment');
  check(await page.isVisible('#answer'), 'answer not restored from the fragment');

  // English labels; a glossed phrase typed in English.
  await page.click('#lang');
  await idle(page);
  check((await page.textContent('h1')) === 'rhetoric-shift explorer', 'no English title');
  if (want.gloss) {
    await page.fill('#phrases', want.gloss);
    await page.press('#phrases', 'Enter');
    await idle(page);
    check(await page.locator(`#trend-table tr[data-phrase="${want.gloss_zh}"]`).count() > 0,
      `"${want.gloss}" did not find ${want.gloss_zh}`);
  }

  // Keyboard: Tab reaches the phrase box and the chart's points, Enter opens lines.
  await page.click('#lang');
  await idle(page);
  await page.focus(`#chart g.point[data-year="${want.year}"]`);
  await page.keyboard.press('Enter');
  await idle(page);
  check((await page.locator('#kwic li').count()) > 0, 'Enter on a point shows no lines');

  // Keyness view: sortable, non-significant rows faded, a phrase leads to its trend.
  await page.click('#tab-keyness');
  await page.selectOption('#k-year', String(want.keyness_year));
  const rows = await page.locator('#k-table tbody tr').count();
  check(rows > 0 && rows <= data.keyness_rows, `keyness table rows: ${rows}, at most ${data.keyness_rows}`);
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
  await idle(page);
  check(await page.isVisible('#trend-view'), 'a keyness phrase did not open its trend');
  check((await page.locator('#trend-table tbody tr').count()) > 0, 'no trend for the keyness phrase');

  // A phone-sized screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the page is ${overflow}px wider than a phone`);

  check(errors.length === 0, `console errors: ${errors.join('; ')}`);
  check(requests.length === 0, `network requests: ${requests.join(', ')}`);

  // Data that lacks a column the script reads stops the page with a message
  // (here the keyness table's q_perm, renamed).
  const source = readFileSync(html, 'utf8');
  const renamed = source.replace('"q_perm"', '"q_perm_renamed"');
  check(renamed !== source, 'no "q_perm" column in the page\'s data');
  const broken = join(scratch, 'explorer-broken.html');
  writeFileSync(broken, renamed);
  const errorsBefore = errors.length;
  await page.goto('file://' + broken);
  const alert = await page.locator('[role=alert]').allTextContents();
  check(alert.length === 1 && alert[0].includes('q_perm'), `a missing column is not reported: ${alert.join(' ')}`);
  check(errors.length > errorsBefore, 'a missing column raises no error');

  await timings(browser, html, want.phrase, 5, 'the seeds');
} finally {
  await close();
}
report('explorer');
