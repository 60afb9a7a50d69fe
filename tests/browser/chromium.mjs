// Headless Chromium (Debian's, through playwright-core) as the browser tests
// of explorer.html use it: $CHROMIUM, else /usr/bin/chromium.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The browser sees the system's fonts less every one for Chinese, Japanese or
// Korean (fontconfig's rejectfont), as on a machine without them: the page's
// Chinese can then only come from its own font. Not an empty font list:
// Chromium with no font at all fails to load web fonts now and then.
// Returns the browser and a scratch folder, which close() removes.
export async function launch() {
  const scratch = mkdtempSync(join(tmpdir(), 'explorer-'));
  const fontconfig = join(scratch, 'fonts.conf');
  writeFileSync(fontconfig, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont>
${['zh-cn', 'zh-tw', 'zh-hk', 'ja', 'ko'].map((l) => `    <pattern><patelt name="lang"><string>${l}</string></patelt></pattern>`).join('\n')}
  </rejectfont></selectfont>
</fontconfig>
`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, FONTCONFIG_FILE: fontconfig },
  });
  return {
    browser,
    scratch,
    close: async () => {
      await browser.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

// Until the page has drawn what it asked its phrase search for: explorer.js
// counts, resamples and finds lines in a Web Worker, and #trend-view is
// aria-busy until the answers are drawn. Call it after whatever redraws the
// phrase view (a phrase, a filter, a period, a point, a line, a reload).
export async function idle(page) {
  await page.waitForFunction(() => !document.getElementById('trend-view').hasAttribute('aria-busy'));
}

// The middle value of `xs` (the mean of the two middle ones for an even count).
function median(xs) {
  const s = [...xs].sort((a, b) => a - b), m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Opens the page `runs` times, each time in a fresh tab, and prints its load
// time (opened until phrase search is ready: #phrase-form's data-search,
// which explorer.js sets once the search worker has inflated the texts) and
// its query time (`phrase` submitted until its rows are in the table), each
// run's and the median. Printed, never checked: they are the machine's.
export async function timings(browser, html, phrase, runs, what) {
  const load = [], query = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.setDefaultTimeout(120000);
    const opened = performance.now();
    await page.goto('file://' + html);
    await page.waitForSelector('#phrase-form[data-search="ready"]', { state: 'attached' });
    load.push(performance.now() - opened);
    await page.fill('#phrases', phrase);
    const asked = performance.now();
    await page.press('#phrases', 'Enter');
    await page.waitForSelector(`#trend-table tr[data-phrase="${phrase}"]`, { state: 'attached' });
    query.push(performance.now() - asked);
    await page.close();
  }
  const ms = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
  const mb = (statSync(html).size / 1e6).toFixed(1);
  console.log(`timing: explorer.html of ${what}, ${mb} MB: load ${median(load).toFixed(0)} ms (median of ${ms(load)}), ` +
    `query ${phrase} ${median(query).toFixed(0)} ms (median of ${ms(query)})`);
}

// A test's checks: `check(ok, what)` notes `what` where `ok` is false, and
// `report(name)` prints every noted failure and exits 1, or says that all
// of `name`'s checks passed.
export function checklist() {
  const failures = [];
  return {
    check: (ok, what) => { if (!ok) failures.push(what); },
    report: (name) => {
      if (failures.length) {
        console.error(failures.join('\n'));
        process.exit(1);
      }
      console.log(`${name}: all checks passed`);
    },
  };
}
