// Test harness: serves dist/ on 127.0.0.1, drives Debian's /usr/bin/chromium through
// playwright-core (never a downloaded browser), collects console errors, runs named tests.
// Chromium also resolves `herdsim.test` to 127.0.0.1: the same page on a plain-HTTP address
// that is not localhost (as on a classroom LAN), where the browser offers no clipboard.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
export const dist = path.resolve(process.env.DIST ?? path.join(root, 'dist'));
export const shots = path.join(root, 'target', 'e2e');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };

function serve() {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const f = path.join(dist, p);
    if (!f.startsWith(dist) || !fs.existsSync(f) || !fs.statSync(f).isFile()) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'content-type': types[path.extname(f)] ?? 'application/octet-stream' });
    fs.createReadStream(f).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

/** The name Chromium maps to 127.0.0.1 (an insecure, non-localhost origin). */
export const LAN_HOST = 'herdsim.test';

/** Run `tests` ({name: async (page, url, lan) => …}) each in a fresh page; `url` is the page on
 * 127.0.0.1, `lan` the same server as http://herdsim.test:PORT/. The number that failed. */
export async function run(tests, { viewport = { width: 1280, height: 900 } } = {}) {
  fs.mkdirSync(shots, { recursive: true });
  for (const f of fs.readdirSync(shots)) if (f.startsWith('FAILED-')) fs.rmSync(path.join(shots, f));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herdsim-e2e-'));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: false,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`],
    viewport,
  });
  const only = process.env.ONLY;
  let failed = 0;
  try {
    for (const [name, test] of Object.entries(tests)) {
      if (only && !name.includes(only)) continue;
      // every test gets its own server port, so its own origin: an empty localStorage that
      // no page of an earlier test can still write to
      const server = await serve();
      const url = `http://127.0.0.1:${server.address().port}/`;
      const lan = `http://${LAN_HOST}:${server.address().port}/`;
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`); });
      page.on('request', (r) => { if (![url, lan, 'data:'].some((u) => r.url().startsWith(u))) errors.push(`external request ${r.url()}`); });
      const t0 = Date.now();
      try {
        await test(page, url, lan);
        if (errors.length) throw new Error(`console/page errors: ${errors.join(' | ')}`);
        console.log(`ok   ${name} (${Date.now() - t0} ms)`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${name}: ${e.stack ?? e}`);
        await page.screenshot({ path: path.join(shots, `FAILED-${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {});
      }
      await page.close();
      server.close();
    }
  } finally {
    await ctx.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  console.log(failed ? `${failed} browser test(s) failed` : 'all browser tests passed');
  return failed;
}

/** Pixels on a canvas that are not (near) white. */
export async function inked(page, selector) {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel);
    if (!c) return -1;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++;
    return n;
  }, selector);
}

export function assert(cond, msg) { if (!cond) throw new Error(msg); }

/** Screenshot the viewport at `width`×`height` as `name`.png, after checking that the page is
 * no wider than the screen (no sideways scrolling on a phone). */
export async function shotAt(page, name, width, height) {
  await page.setViewportSize({ width, height });
  await page.waitForTimeout(300); // charts redraw after a resize settles
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(wide <= 0, `${name}: the page is ${wide} px wider than the ${width} px screen`);
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}
