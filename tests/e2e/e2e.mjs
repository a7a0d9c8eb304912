// End-to-end tests of the workbench (run by `make test`; screenshots in target/e2e/).
import fs from 'node:fs';
import path from 'node:path';
import { run, inked, assert, shots } from './harness.mjs';

const CHARTS = ['arrivals', 'outcomes', 'gauges', 'latency', 'raster', 'schedule'];
const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const field = (page, name, side = 'a') =>
  page.textContent(`td[data-field="${name}"]${side === 'a' ? ':not([data-side="b"]):not([data-side="delta"]):not([data-side="ratio"])' : `[data-side="${side}"]`}`);

async function done(page) {
  await page.waitForSelector('main[data-status="done"] #summary', { timeout: 120000 });
}

async function allDrawn(page, side = 'a', extra = []) {
  for (const c of [...CHARTS, ...extra]) {
    const sel = `#chart-${c}-${side}`;
    await page.waitForSelector(`${sel}[data-drawn]:not([data-drawn="0"])`, { timeout: 30000 });
    const ink = await inked(page, sel);
    assert(ink > 2000, `${sel} looks blank (${ink} inked pixels)`);
  }
}

/** Set a slider as a drag does: value, then an input event. */
async function slide(page, dataPath, value) {
  await page.evaluate(([p, v]) => {
    const el = document.querySelector(`input[type=range][data-path="${p}"]`);
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, [dataPath, String(value)]);
}

async function changed(page, name, before) {
  await page.waitForFunction(([n, b]) => {
    const td = document.querySelector(`td[data-field="${n}"]`);
    return td && td.textContent !== b && document.querySelector('main').dataset.status === 'done';
  }, [name, before], { timeout: 60000 });
}

const failed = await run({
  'the default preset draws all six charts, with a hover read-out': async (page, url) => {
    await page.goto(url);
    await done(page);
    await allDrawn(page);
    assert((await page.locator('#preset option').count()) === 23, '23 presets in the menu');
    assert((await page.locator('#preset optgroup').count()) === 4, 'in four groups');
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    const scripts = csp.split(';').find((d) => d.trim().startsWith('script-src'));
    assert(csp.includes("default-src 'self'") && !/'unsafe-(inline|eval)'/.test(scripts), `a strict CSP: ${csp}`);
    // the policy is enforced: an injected inline script does not run (in another page, whose
    // console error about the violation is expected)
    const other = await page.context().newPage();
    await other.goto(url);
    await other.evaluate(() => { const s = document.createElement('script'); s.textContent = 'window.__injected = 1'; document.body.append(s); });
    assert((await other.evaluate(() => window.__injected)) === undefined, 'inline script blocked by the CSP');
    await other.close();
    assert((await field(page, 'requests')) === '2000', 'herd-no-jitter has 2000 requests');
    const box = await page.locator('#chart-arrivals-a').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const readout = await page.locator('#chart-arrivals-a + figcaption .readout').textContent();
    assert(/\d+\.\d\d s: /.test(readout), `hover read-out shows the time: "${readout}"`);
    await shot(page, 'workbench-light');
  },

  'presets switch from the menu and from the keyboard': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.selectOption('#preset', 'retry-storm');
    await changed(page, 'requests', '2000');
    await allDrawn(page);
    assert((await page.textContent('#description')).includes('87%'), 'retry-storm description shown');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press(']');
    await page.waitForFunction(() => document.querySelector('#preset').value === 'metastable');
    await done(page);
    await allDrawn(page);
    await shot(page, 'workbench-metastable');
  },

  'dragging a control re-runs; a bad value is refused with its range': async (page, url) => {
    await page.goto(url);
    await done(page);
    const before = await field(page, 'attempts');
    await slide(page, 'policy.max_attempts', 1);
    await changed(page, 'attempts', before);
    assert((await field(page, 'amplification')) === '1.00×', 'one attempt per request');
    const attempts = await field(page, 'attempts');
    await page.fill('#f-clients-count', '0');
    await page.dispatchEvent('#f-clients-count', 'change');
    const err = await page.textContent('#edit-error');
    assert(err.includes('clients.count') && err.includes('1') && err.includes('1000000'), `error names field and range: ${err}`);
    assert((await field(page, 'attempts')) === attempts, 'the last valid scenario stays');
  },

  '1,000,000 clients: progress, cancel, then a full run': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.fill('#f-clients-count', '1000000');
    await page.dispatchEvent('#f-clients-count', 'change');
    await page.waitForSelector('#progress-a', { timeout: 10000 });
    await page.click('#cancel-a');
    await page.waitForSelector('#cancelled-a');
    assert((await field(page, 'requests')) === '2000', 'the previous result stays after cancel');
    // run it to the end, measuring the longest main-thread gap meanwhile
    await page.evaluate(() => {
      window.__gaps = [];
      let last = performance.now();
      window.__tick = setInterval(() => { const t = performance.now(); window.__gaps.push(t - last); last = t; }, 10);
    });
    const t0 = Date.now();
    await page.click('#run');
    await page.waitForSelector('#progress-a', { timeout: 10000 });
    await changed(page, 'requests', '2000');
    const secs = (Date.now() - t0) / 1000;
    const worst = await page.evaluate(() => { clearInterval(window.__tick); return Math.max(...window.__gaps); });
    assert((await field(page, 'requests')) === '1000000', 'a million requests');
    assert(worst < 500, `page froze for ${worst.toFixed(0)} ms`);
    await allDrawn(page);
    console.log(`     1,000,000 clients in ${secs.toFixed(1)} s; longest main-thread gap ${worst.toFixed(0)} ms`);
    await shot(page, 'workbench-million');
  },

  'compare A and B, and a share link restores exactly that view': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.click('#compare');
    await page.selectOption('#preset', 'herd-full-jitter');
    await page.waitForFunction(() => document.querySelector('td[data-field="availability"][data-side="b"]')?.textContent.startsWith('9'), null, { timeout: 30000 });
    await done(page);
    await allDrawn(page, 'b');
    await page.waitForSelector('#chart-overlay-ab[data-drawn]:not([data-drawn="0"])');
    assert((await inked(page, '#chart-overlay-ab')) > 2000, 'overlay drawn');
    const delta = await page.textContent('td[data-field="availability"][data-side="delta"]');
    assert(delta.startsWith('+'), `B − A availability is positive: ${delta}`);
    await shot(page, 'workbench-ab');
    const link = await page.evaluate(() => location.href);
    const summary = await page.textContent('#summary');
    const other = await page.context().newPage();
    await other.goto(link);
    await done(other);
    assert((await other.getAttribute('main', 'data-comparing')) === 'true', 'the link reopens the comparison');
    assert((await other.inputValue('#preset')) === 'herd-full-jitter', 'editing B, as when the link was made');
    await other.waitForFunction((s) => document.querySelector('#summary')?.textContent === s, summary, { timeout: 30000 });
    await other.close();
    // the last state is kept: the bare address (no link) reopens it from localStorage
    await page.goto(url);
    await done(page);
    assert((await page.getAttribute('main', 'data-comparing')) === 'true', 'localStorage keeps the comparison');
    assert((await page.inputValue('#preset')) === 'herd-full-jitter', 'localStorage keeps the edited side');
  },

  'corrupted, truncated and old links show a message and open the defaults': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.selectOption('#preset', 'retry-storm');
    await changed(page, 'requests', '2000');
    const good = await page.evaluate(() => location.hash);
    for (const [hash, word] of [['#v1.not*base64!', 'damaged'], [good.slice(0, -9), 'cut short'], ['#v0.abc', 'another version'], ['#' + 'x'.repeat(70000), 'too long']]) {
      const p = await page.context().newPage();
      await p.goto(url + hash);
      await p.waitForSelector('#notice');
      const text = await p.textContent('#notice');
      assert(text.includes(word), `${word}: ${text}`);
      await done(p);
      assert((await p.inputValue('#preset')) === 'herd-no-jitter', 'defaults opened');
      await allDrawn(p);
      if (word === 'damaged') await shot(p, 'workbench-bad-link');
      await p.close();
    }
  },

  'breakers: a global breaker rejects calls to healthy services, per-service breakers do not (A/B)': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.selectOption('#preset', 'breaker-per-service-vs-global');
    await changed(page, 'requests', '2000');
    await allDrawn(page, 'a', ['services', 'breakers']);
    const collateral = async (svc, side) => Number(await page.textContent(`#services tr[data-service="${svc}"][data-side="${side}"] td[data-field="collateral_rejections"]`));
    assert((await collateral('users', 'a')) > 1000, 'global breakers reject calls to users');
    await page.click('#compare');
    await page.selectOption('#f-breaker-scope', 'per_service');
    await page.waitForFunction(() => document.querySelector('#services tr[data-service="users"][data-side="b"] td[data-field="collateral_rejections"]')?.textContent === '0', null, { timeout: 30000 });
    await done(page);
    assert((await collateral('search', 'b')) === 0, 'nor to search');
    assert((await collateral('users', 'a')) > 1000, 'A is unchanged');
    await allDrawn(page, 'b', ['services', 'breakers']);
    await shot(page, 'workbench-breakers-ab');
  },

  'budgets and library presets: the budget chart, retries denied, and B without the budget storms': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.selectOption('#preset', 'budget-vs-storm');
    await changed(page, 'requests', '2000');
    await allDrawn(page, 'a', ['budget']);
    assert(Number(await field(page, 'budget_denied_retries')) > 1000, 'the budget denies retries');
    await page.click('#compare');
    await page.selectOption('#f-budget', 'none');
    await page.waitForFunction(() => parseFloat(document.querySelector('td[data-field="amplification"][data-side="b"]')?.textContent) > 3, null, { timeout: 30000 });
    await done(page);
    await shot(page, 'workbench-budget-ab');
    await page.click('#compare'); // close B
    for (const preset of ['swamped-cant-recover', 'polly-v8', 'aws-sdk-2026']) {
      await page.selectOption('#preset', preset);
      await page.waitForFunction((p) => document.querySelector('#description').textContent.length > 50 && document.querySelector('#preset').value === p, preset);
      await done(page);
      await allDrawn(page, 'a', preset === 'aws-sdk-2026' ? ['budget'] : ['breakers']);
    }
    assert((await page.textContent('#description')).includes('botocore'), 'a library preset cites its source');
    await shot(page, 'workbench-aws-sdk-2026');
  },

  'dark theme, keyboard shortcuts and exports': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('t');
    await page.waitForSelector('main[data-theme="dark"]');
    await page.waitForTimeout(200);
    const corner = await page.evaluate(() => Array.from(document.querySelector('#chart-arrivals-a').getContext('2d').getImageData(3, 3, 1, 1).data));
    assert(corner[0] < 40 && corner[1] < 40 && corner[2] < 40, `dark chart background: ${corner}`);
    await shot(page, 'workbench-dark');
    const save = async (selector, ext) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      assert(d.suggestedFilename().endsWith(ext), d.suggestedFilename());
      return fs.readFileSync(await d.path(), 'utf8');
    };
    assert((await save('#export-csv', '.csv')).startsWith('t_ms,width_ms,first_attempts'), 'CSV header');
    const json = JSON.parse(await save('#export-json', '.json'));
    assert(json.summary.requests === 2000 && json.scenario.name === 'herd-no-jitter', 'JSON has scenario and summary');
    assert((await save('#chart-raster-a + figcaption button:has-text("SVG")', '.svg')).includes('<svg'), 'SVG export');
    const png = await save('#chart-raster-a + figcaption button:has-text("PNG")', '.png');
    assert(png.length > 1000, 'PNG export');
    await page.keyboard.press('c');
    await page.waitForSelector('main[data-comparing="true"]');
  },
});
process.exit(failed ? 1 : 0);
