// Headless Chromium (Debian's, through playwright-core) as the browser tests
// of explorer.html use it: $CHROMIUM, else /usr/bin/chromium.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
