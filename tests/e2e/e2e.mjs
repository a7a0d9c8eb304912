// End-to-end tests of the workbench (run by `make test`; screenshots in target/e2e/).
import fs from 'node:fs';
import path from 'node:path';
import { run, inked, assert, shots, shotAt } from './harness.mjs';

const CHARTS = ['arrivals', 'outcomes', 'gauges', 'latency', 'raster', 'schedule'];
const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const field = (page, name, side = 'a') =>
  page.textContent(`td[data-field="${name}"]${side === 'a' ? ':not([data-side="b"]):not([data-side="delta"]):not([data-side="ratio"])' : `[data-side="${side}"]`}`);

const root = path.resolve(new URL('../..', import.meta.url).pathname);
/** A duration in human units, as `units::duration_ms` writes it (optionally signed): below
 * a second in ms, below a minute in s (three figures), then two whole units. Raw
 * milliseconds (`31326.2 ms`, `31,326 ms`) do not match. */
const HUMAN = /^[+−]?(\d{1,3}(\.\d+)? ms|\d{1,2}(\.\d+)? s|\d+ min( \d+ s)?|\d+ h( \d+ min)?|\d+ days?( \d+ h)?)$/;
/** A `v1` link (no checksum) as the page made it before: retry-storm, dark theme. */
const OLD_LINK = '#v1.XVTBbtswDP0VQsCADfAMt0PWwrdhQIGddtixKAxGphM1tqRJclKvyL-PtK00rS-BSPHxvUcqrwpV_aosDqRqFSiF6WtMLgyqUC1FHYxPxlnO_YBI4Wg0ASa4v_sEvcMWYu9OEVp3stC5ABuIJfzsDdkUYUaDZAZyIx_Rthx6Ji2AUVCc1VTA6CE5rsSUaPApFvPNh18Pvy8dA6HeUwT5yfe4up_gtCcLhtH13BQMA2-5nUDuzJEYvYadc63nWEw4RbCEAf5RcKzA7gC7RAHSnmYtoqSEP5TAu97oqRzwpcnMBPSmANa5Eiv_jjRSo9GjNmmS_G1VwWeEObGgrhragIZln0zaGztnVme-LIJNYpnaHSnEks2PRK2qb3gKY0BxrBmiqr9X_JVVobajPlCaY3bs-0IJTzqK76q-rfJXqJMLB5kUT3BlwuCLWVEmr91o01JSKAzBHLGXeJq8bIR3Jkaef6GYBTWeQsNlVbk5M8WEITXR83TamcnMbGn2-CQX1oYMJzRYmarvC_XetNx7jnLHznROXWobMemKD714Z5m7YZYsmnDx5a6szkvrpkPN-7uSsZSkc9NSj9MVjOYNTMjCGUMMm8txy3NgdPHqQOQVxzocezHq8VIqW6Ky-CG7Lc3ILjbcbtbAwLXGs9dM5xu3eCrUslUzk2X6GULut2xkbyx9GGteP1VviuWJNvIiXxWFIEpTGKnIePm4vDTRks_dGN-OWx4aD6Rxnhiqwz4Sq92iPriuuzLKsh9KEpHeRnyt60YCPMucZZRnw4TDR5DzWRpkXdSaZOyOk8jw_Brm_58Ww0Gd_wM';
/** A figure as the page shows it (`1,234`) as a number. */
const num = (text) => Number(text.replace(/,/g, ''));
/** Width and height of a PNG file (its IHDR chunk). */
const pngSize = (buf) => [buf.readUInt32BE(16), buf.readUInt32BE(20)];
const saved = (page) => page.evaluate(() => localStorage.getItem('herdsim.state'));
const notice = (page) => page.textContent('#notice');
/** Screenshots of what is on screen now, on a 1920×1080 screen and on a phone. */
async function shots2(page, name) {
  await shotAt(page, `${name}-1920`, 1920, 1080);
  await shotAt(page, `${name}-phone`, 390, 844);
  await page.setViewportSize({ width: 1280, height: 900 });
}
/** One character of `link` (past its version tag) changed. */
function flip(link, at) {
  const c = link[at] === 'A' ? 'B' : 'A';
  return link.slice(0, at) + c + link.slice(at + 1);
}

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
    assert((await page.locator('#preset option').count()) === 28, '28 presets in the menu');
    assert((await page.locator('#preset optgroup').count()) === 5, 'in five groups');
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
    assert((await field(page, 'requests')) === '2,000', 'herd-no-jitter has 2,000 requests');
    const box = await page.locator('#chart-arrivals-a').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const readout = await page.locator('#chart-arrivals-a + figcaption .readout').textContent();
    assert(/^(A )?\d[\d.]* s: first attempts/.test(readout), `hover read-out shows the time in human units: "${readout}"`);
    await shot(page, 'workbench-light');
  },

  'presets switch from the menu and from the keyboard': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.selectOption('#preset', 'retry-storm');
    await changed(page, 'requests', '2,000');
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
    assert((await field(page, 'amplification')) === '1×', 'one attempt per request');
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
    assert((await field(page, 'requests')) === '2,000', 'the previous result stays after cancel');
    // run it to the end, measuring the longest main-thread gap meanwhile
    await page.evaluate(() => {
      window.__gaps = [];
      let last = performance.now();
      window.__tick = setInterval(() => { const t = performance.now(); window.__gaps.push(t - last); last = t; }, 10);
    });
    const t0 = Date.now();
    await page.click('#run');
    await page.waitForSelector('#progress-a', { timeout: 10000 });
    await changed(page, 'requests', '2,000');
    const secs = (Date.now() - t0) / 1000;
    const worst = await page.evaluate(() => { clearInterval(window.__tick); return Math.max(...window.__gaps); });
    assert((await field(page, 'requests')) === '1,000,000', 'a million requests');
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

  'a bad link keeps the saved state and the address bar, and offers to restore': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.selectOption('#preset', 'retry-storm');
    await changed(page, 'requests', '2,000');
    const good = await page.evaluate(() => location.hash);
    assert(good.startsWith('#v2.'), `new links are v2: ${good.slice(0, 10)}`);
    const kept = await saved(page);
    assert(kept === good.slice(1), 'the state is saved');
    const bad = [
      ['#v2.not*base64!', 'damaged'],
      [good.slice(0, -9), 'cut short'],
      [flip(good, 200), 'damaged'],
      ['#v0.abc', 'another version'],
      ['#' + 'x'.repeat(70000), 'too long'],
    ];
    for (const [hash, word] of bad) {
      const p = await page.context().newPage();
      await p.goto(url + hash);
      await p.waitForSelector('#notice');
      const text = await notice(p);
      assert(text.includes(word), `${word}: ${text}`);
      assert(text.includes('default scenario is open') && text.includes('saved state is kept'), `says what is open and kept: ${text}`);
      await done(p);
      assert((await p.inputValue('#preset')) === 'herd-no-jitter', 'the defaults are open');
      await allDrawn(p);
      await p.waitForTimeout(200);
      assert((await saved(p)) === kept, `${word}: the saved state is not overwritten`);
      assert((await p.evaluate(() => location.hash)) === hash, `${word}: the address bar keeps the pasted link`);
      assert((await p.getAttribute('main', 'data-held')) === 'true', 'held');
      if (word === 'cut short') await shots2(p, 'bad-link');
      if (hash === bad[2][0]) {
        // restore: the saved state opens, and the address bar follows it again
        await p.click('#restore-saved');
        await p.waitForFunction(() => document.querySelector('#preset').value === 'retry-storm');
        await done(p);
        assert((await p.evaluate(() => location.hash)) === good, 'the address bar shows the restored state');
        assert(!(await p.$('#notice')), 'the notice is gone');
      }
      if (word === 'too long') {
        // or start editing: from then on the link and saved state follow the page
        await p.selectOption('#preset', 'metastable');
        await p.waitForFunction(() => location.hash.startsWith('#v2.'));
        await p.waitForFunction((k) => localStorage.getItem('herdsim.state') !== k, kept);
        assert(!(await p.$('#restore-saved')), 'the offer to restore is withdrawn once editing');
      }
      await p.close();
    }
    // a bad link pasted into the open page's address bar changes nothing shown (the other
    // pages of this origin have saved their state meanwhile: compare with that)
    const before = await saved(page);
    await page.evaluate(() => { location.hash = 'v2.AAAAAAAA'; });
    await page.waitForSelector('#notice');
    assert((await notice(page)).includes('Nothing was changed'), await notice(page));
    assert((await page.inputValue('#preset')) === 'retry-storm', 'the view stays');
    await page.waitForTimeout(200);
    assert((await page.evaluate(() => location.hash)) === '#v2.AAAAAAAA', 'the pasted link stays');
    assert((await saved(page)) === before, 'the saved state stays');
    // a link from before the checksum still opens
    const old = await page.context().newPage();
    await old.goto(url + OLD_LINK);
    await done(old);
    assert((await old.inputValue('#preset')) === 'retry-storm' && (await old.getAttribute('main', 'data-theme')) === 'dark', 'the v1 link opens');
    assert(!(await old.$('#notice')), 'without a notice');
    assert((await old.evaluate(() => location.hash)).startsWith('#v2.'), 'and is rewritten as v2');
    await old.close();
  },

  'copy link without a clipboard (plain HTTP on a LAN address) or when refused: a selected field': async (page, url, lan) => {
    await page.goto(lan);
    await done(page);
    assert((await page.evaluate(() => typeof navigator.clipboard)) === 'undefined', 'no Clipboard API on this origin');
    await page.click('#copy-link');
    await page.waitForSelector('#copy-field');
    const value = await page.inputValue('#copy-field');
    const hash = await page.evaluate(() => location.hash);
    assert(value === `${lan}${hash}`, `the field holds the link: ${value.slice(0, 60)}`);
    const sel = await page.evaluate(() => {
      const el = document.activeElement;
      return { id: el.id, all: el.selectionStart === 0 && el.selectionEnd === el.value.length };
    });
    assert(sel.id === 'copy-field' && sel.all, `the link is focused and selected: ${JSON.stringify(sel)}`);
    assert((await notice(page)).includes('Ctrl+C'), await notice(page));
    await shots2(page, 'copy-by-hand');
    // Ctrl+C copies the selection; shortcuts typed in the field do nothing
    await page.keyboard.press('c');
    assert((await page.getAttribute('main', 'data-comparing')) === 'false', 'c in the field is not Compare');
    // where the browser has a clipboard but refuses the write, the same field
    const other = await page.context().newPage();
    await other.addInitScript(() => {
      if (navigator.clipboard) navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    });
    await other.goto(url);
    await done(other);
    await other.click('#copy-link');
    await other.waitForSelector('#copy-field');
    assert((await notice(other)).includes('did not let'), await notice(other));
    await other.close();
  },

  'Close B (button or c) offers Undo, which brings B back exactly': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.click('#compare');
    await page.selectOption('#preset', 'herd-full-jitter');
    await page.fill('#f-clients-count', '1500');
    await page.dispatchEvent('#f-clients-count', 'change');
    await page.waitForFunction(() => document.querySelector('td[data-field="requests"][data-side="b"]')?.textContent === '1,500', null, { timeout: 30000 });
    await done(page);
    const summary = await page.textContent('#summary');
    const link = await page.evaluate(() => location.hash);
    let first = true;
    for (const close of [() => page.click('#compare'), () => page.keyboard.press('c')]) {
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await close();
      await page.waitForSelector('main[data-comparing="false"] #undo-close');
      assert((await notice(page)).includes('B is closed'), await notice(page));
      if (first) await shots2(page, 'close-b-undo');
      first = false;
      await page.click('#undo-close');
      await page.waitForSelector('main[data-comparing="true"]');
      assert((await page.inputValue('#preset')) === 'herd-full-jitter', 'editing B again');
      assert((await page.inputValue('#f-clients-count')) === '1500', "B's edit is back");
      await done(page);
      await page.waitForFunction((s) => document.querySelector('#summary')?.textContent === s, summary, { timeout: 30000 });
      assert((await page.evaluate(() => location.hash)) === link, 'the link is as before');
      assert(!(await page.$('#notice')), 'the notice is gone');
    }
  },

  'a scenario file opens from Open… and by dropping it; a bad file changes nothing': async (page, url) => {
    await page.goto(url);
    await done(page);
    const preset = JSON.parse(fs.readFileSync(path.join(root, 'static/presets/herd-full-jitter.json'), 'utf8'));
    const scenario = (count, name) => Buffer.from(JSON.stringify({ ...preset, name, clients: { ...preset.clients, count } }));
    await page.setInputFiles('#open-file', { name: 'mine.json', mimeType: 'application/json', buffer: scenario(1234, 'mine') });
    await page.waitForFunction(() => document.querySelector('td[data-field="requests"]')?.textContent === '1,234', null, { timeout: 30000 });
    assert((await notice(page)).includes('Opened “mine.json” as scenario A'), await notice(page));
    const menu = await page.$eval('#preset', (s) => s.selectedOptions[0].textContent);
    assert(menu === 'mine (not a preset)', `the menu names the file's scenario: ${menu}`);
    await done(page);
    const kept = await saved(page);
    const bad = [
      [{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') }, 'not JSON'],
      [{ name: 'zero.json', mimeType: 'application/json', buffer: scenario(0, 'zero') }, 'clients.count'],
      [{ name: 'typo.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...preset, clinets: {} })) }, 'clinets'],
      [{ name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(2 * 1024 * 1024, 32) }, 'at most 1 MB'],
    ];
    for (const [file, word] of bad) {
      await page.setInputFiles('#open-file', file);
      await page.waitForFunction((n) => document.querySelector('#notice')?.textContent.includes(n), file.name);
      const text = await notice(page);
      assert(text.includes(word) && text.includes('Nothing was changed'), `${file.name}: ${text}`);
      assert((await page.getAttribute('#notice', 'role')) === 'alert', 'a problem is an alert');
      assert((await field(page, 'requests')) === '1,234' && (await saved(page)) === kept, `${file.name}: the scenario stays`);
      if (word === 'clients.count') await shots2(page, 'bad-file');
    }
    // dropped onto the page (the hint shows while dragging)
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      document.querySelector('.results').dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      document.querySelector('.results').dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      window.__dt = dt;
    }, scenario(777, 'dropped').toString());
    await page.waitForSelector('.drop-hint');
    await shotAt(page, 'drop-hint-1920', 1920, 1080);
    await page.setViewportSize({ width: 1280, height: 900 });
    const prevented = await page.evaluate(() => {
      const e = new DragEvent('drop', { dataTransfer: window.__dt, bubbles: true, cancelable: true });
      document.querySelector('.results').dispatchEvent(e);
      return e.defaultPrevented;
    });
    assert(prevented, 'the browser does not navigate to the dropped file');
    await page.waitForFunction(() => document.querySelector('td[data-field="requests"]')?.textContent === '777', null, { timeout: 30000 });
    assert(!(await page.$('.drop-hint')), 'the hint is gone');
    assert((await notice(page)).includes('dropped.json'), await notice(page));
    // the page's own JSON export ({scenario, summary}) opens as it is
    const exported = Buffer.from(JSON.stringify({ scenario: { ...preset, name: 'exported', clients: { ...preset.clients, count: 555 } }, summary: { requests: 1 } }));
    await page.setInputFiles('#open-file', { name: 'herdsim-exported.json', mimeType: 'application/json', buffer: exported });
    await page.waitForFunction(() => document.querySelector('td[data-field="requests"]')?.textContent === '555', null, { timeout: 30000 });
    // a runaway warns, stops at its memory budget and says its results are partial
    const runaway = Buffer.from(JSON.stringify({ name: 'runaway', max_memory_mb: 16, clients: { count: 1000, arrival: { type: 'interval', every_ms: 0.001 } } }));
    await page.setInputFiles('#open-file', { name: 'runaway.json', mimeType: 'application/json', buffer: runaway });
    await page.waitForFunction(() => document.querySelector('#notes-a')?.textContent.includes('memory budget (max_memory_mb)'), null, { timeout: 60000 });
    const notes = await page.textContent('#notes-a');
    assert(notes.includes('could be in flight') && notes.includes('results are partial'), notes);
    await shotAt(page, 'memory-budget-1920', 1920, 1080);
    await shotAt(page, 'memory-budget-phone', 390, 844);
  },

  'breakers: a global breaker rejects calls to healthy services, per-service breakers do not (A/B)': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.selectOption('#preset', 'breaker-per-service-vs-global');
    await changed(page, 'requests', '2,000');
    await allDrawn(page, 'a', ['services', 'breakers']);
    const collateral = async (svc, side) => num(await page.textContent(`#services tr[data-service="${svc}"][data-side="${side}"] td[data-field="collateral_rejections"]`));
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
    await changed(page, 'requests', '2,000');
    await allDrawn(page, 'a', ['budget']);
    assert(num(await field(page, 'budget_denied_retries')) > 1000, 'the budget denies retries');
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

  'failover: the RPO/RTO strip and marked timeline, figures as the CLI gives them, sync loses nothing; the uptime budget panel': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.selectOption('#preset', 'failover-async-replica');
    await changed(page, 'requests', '2,000');
    await allDrawn(page, 'a', ['failover']);
    // the same figures as the native run of the same scenario and seed (the golden summary)
    const golden = JSON.parse(fs.readFileSync(path.join(root, 'tests/golden/failover-async-replica.json'), 'utf8'));
    assert(num(await field(page, 'lost_writes')) === golden.lost_writes && golden.lost_writes > 0, `lost writes as the CLI: ${golden.lost_writes}`);
    assert(num(await field(page, 'stale_reads')) === golden.stale_reads, `stale reads as the CLI: ${golden.stale_reads}`);
    assert((await field(page, 'rto_ms')) === '8.01 s', `RTO: detection 3 s + promotion 5 s + the first write: ${await field(page, 'rto_ms')}`);
    assert(HUMAN.test(await field(page, 'rpo_ms')), 'RPO in human units');
    // the strip says both figures over the crash, and its read-out the phase under the cursor
    const strip = page.locator('#chart-failover-a');
    const box = await strip.boundingBox();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6);
    const readout = await page.locator('#chart-failover-a + figcaption .readout').textContent();
    assert(/RPO .* writes lost, RTO 8\.01 s: (detected|crashed|primary back)/.test(readout), `strip read-out: ${readout}`);
    await page.evaluate(() => document.querySelector('.charts').scrollIntoView());
    await shots2(page, 'failover-async');

    // the uptime budget: the lecture's table, this run's 8 s against it, the reverse, composition
    const allowed = (p) => page.textContent(`#uptime-table tr[data-period="${p}"] td[data-field="allowed"]`);
    assert((await allowed('month')) === '43 min 28.2 s' && (await allowed('week')) === '10 min 4.8 s', 'the lecture: 99.9%');
    const incident = await page.textContent('.uptime-incident');
    assert(incident.includes('8 s') && incident.includes('0.31% of a month') && incident.includes('326 such incidents a month'), incident);
    await page.selectOption('#uptime-target', '99.99');
    await page.waitForFunction(() => document.querySelector('#uptime-table tr[data-period="day"] td[data-field="allowed"]').textContent === '8.64 s');
    assert((await allowed('week')) === '1 min 0.48 s', '99.99%: 1 min 0.48 s a week');
    await page.fill('#uptime-custom', '99.5');
    await page.waitForFunction(() => document.querySelector('#uptime-table tr[data-period="day"] td[data-field="allowed"]').textContent === '7 min 12 s');
    await page.fill('#uptime-custom', 'lots');
    await page.waitForSelector('#uptime-error');
    assert((await page.textContent('#uptime-error')).includes('target'), 'a bad target names the field');
    assert((await allowed('week')) === '50 min 24 s', 'and the last good target (99.5%) stays');
    await page.fill('#uptime-custom', '99.9');
    await page.fill('#uptime-reverse', '43.47');
    await page.waitForFunction(() => document.querySelector('#uptime-reverse-result').textContent.includes('99.9'));
    await page.fill('#uptime-correlated', '0');
    await page.waitForFunction(() => document.querySelector('#uptime-composition [data-field="correlated"]').textContent.includes('99.9975%'));
    await page.fill('#uptime-correlated', '10');
    await page.waitForFunction(() => document.querySelector('#uptime-composition [data-field="correlated"]').textContent.includes('99.948%'));
    await page.locator('#uptime').scrollIntoViewIfNeeded();
    await shots2(page, 'uptime-panel');

    // synchronous replication from the controls: nothing answered is lost
    await page.selectOption('#f-service-replication-mode', 'sync');
    await page.waitForFunction(() => document.querySelector('td[data-field="lost_writes"]')?.textContent === '0' && document.querySelector('main').dataset.status === 'done', null, { timeout: 60000 });
    assert((await field(page, 'rpo_ms')) === '0 ms', 'RPO 0');

    // a restore from backup: hours of RPO
    await page.selectOption('#preset', 'restore-from-backup');
    await page.waitForFunction(() => document.querySelector('#preset').value === 'restore-from-backup' && document.querySelector('main').dataset.status === 'done' && /h/.test(document.querySelector('td[data-field="rpo_ms"]')?.textContent ?? ''), null, { timeout: 120000 });
    assert((await field(page, 'rpo_ms')).startsWith('3 h'), `RPO about 3 h: ${await field(page, 'rpo_ms')}`);
  },

  'every preset at 1920×1080 and 1280×720: charts drawn, screenshots saved': async (page, url) => {
    await page.goto(url);
    await done(page);
    const names = await page.$$eval('#preset option', (os) => os.map((o) => o.value));
    assert(names.length === 28, `28 presets: ${names.length}`);
    for (const name of names) {
      if ((await page.inputValue('#preset')) !== name) {
        const before = await page.textContent('#summary');
        await page.selectOption('#preset', name);
        // this preset's run is done when the summary shows its results
        await page.waitForFunction((b) => document.querySelector('main').dataset.status === 'done' && document.querySelector('#summary')?.textContent !== b, before, { timeout: 120000 });
      }
      await done(page);
      const ids = await page.$$eval('canvas.chart', (cs) => cs.map((c) => c.id));
      for (const id of ids) await page.waitForSelector(`#${id}[data-drawn]:not([data-drawn="0"])`, { timeout: 30000 });
      // the charts, not the controls: scroll them to the top of the screen
      await page.evaluate(() => document.querySelector('.charts').scrollIntoView());
      await shotAt(page, `preset-${name}-1920`, 1920, 1080);
      await shotAt(page, `preset-${name}-1280`, 1280, 720);
      await page.setViewportSize({ width: 1280, height: 900 });
    }
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
      return fs.readFileSync(await d.path(), ext === '.png' ? null : 'utf8');
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

  'numbers read in human units; A/B differences coloured by what is better for each metric': async (page, url) => {
    await page.goto(url);
    await done(page);
    // one run: durations in their largest readable unit, shares as percentages, counts grouped
    for (const f of ['latency_ms.p99', 'success_latency_ms.p50', 'completion_ms', 'downtime_ms', 'time_to_recover_ms']) {
      assert(HUMAN.test(await field(page, f)), `${f} in human units: ${await field(page, f)}`);
    }
    assert(!HUMAN.test('31326.2 ms') && !HUMAN.test('31,326 ms') && HUMAN.test('31.3 s') && HUMAN.test('45 h 14 min'), 'HUMAN tells them apart');
    assert(/^\d+\.\d\d%$/.test(await field(page, 'availability')), `availability as a percentage: ${await field(page, 'availability')}`);
    assert(/^\d{1,3}(,\d{3})+$/.test(await field(page, 'events')), `events grouped: ${await field(page, 'events')}`);
    const ttr = await field(page, 'time_to_recover_ms');
    assert(ttr !== '—' && ttr !== 'no fault', `herd-no-jitter has a fault: ${ttr}`);
    // the health figures: downtime in time units, the herd after the outage against capacity
    assert(/^\d[\d.]* s$/.test(await field(page, 'downtime_ms')), `downtime: ${await field(page, 'downtime_ms')}`);
    assert(/^\d[\d.,]*×$/.test(await field(page, 'peak_after_fault_capacity')), `peak after fault / capacity: ${await field(page, 'peak_after_fault_capacity')}`);
    assert(await field(page, 'capacity_per_s') === '800 /s', `capacity: ${await field(page, 'capacity_per_s')}`);
    assert(await field(page, 'oldest_in_flight_ms') === 'none in flight', 'drained: none in flight');
    // A/B: B with full jitter recovers; its differences read in their units and colours
    await page.click('#compare');
    await page.selectOption('#preset', 'herd-full-jitter');
    await page.waitForFunction(() => document.querySelector('td[data-field="availability"][data-side="b"]')?.textContent.startsWith('9'), null, { timeout: 30000 });
    await done(page);
    const cell = async (f, side) => {
      const el = page.locator(`td[data-field="${f}"][data-side="${side}"]`);
      return { text: await el.textContent(), cls: (await el.getAttribute('class')) ?? '' };
    };
    const avail = await cell('availability', 'delta');
    assert(/^\+\d+\.\d\d pp$/.test(avail.text) && avail.cls.includes('better'), `availability up in pp, better: ${JSON.stringify(avail)}`);
    const failedD = await cell('failed', 'delta');
    assert(failedD.text.startsWith('−') && failedD.cls.includes('better'), `fewer failed is better: ${JSON.stringify(failedD)}`);
    const peak = await cell('peak_arrivals_per_s', 'delta');
    // (here full jitter's peak is the higher one: coloured worse)
    assert(peak.text.endsWith(' /s') && peak.cls.includes(peak.text.startsWith('+') ? 'worse' : 'better'), `a higher peak is worse: ${JSON.stringify(peak)}`);
    // the herd meeting the returning service is far smaller with full jitter
    const after = await cell('peak_after_fault_per_s', 'delta');
    assert(after.text.startsWith('−') && after.cls.includes('better'), `a smaller herd after the fault is better: ${JSON.stringify(after)}`);
    const p99 = await cell('latency_ms.p99', 'delta');
    assert(HUMAN.test(p99.text), `latency difference in human units: ${p99.text}`);
    const requests = await cell('requests', 'delta');
    assert(requests.text === '0' && requests.cls === '', `an unchanged neutral count: ${JSON.stringify(requests)}`);
    const colours = await page.evaluate(() => ['better', 'worse'].map((c) => getComputedStyle(document.querySelector(`#delta-legend .${c}`)).color));
    const betterCell = await page.$eval('td[data-field="availability"][data-side="delta"]', (e) => getComputedStyle(e).color);
    assert(colours[0] !== colours[1] && betterCell === colours[0], `the legend's words have the cells' colours: ${colours} / ${betterCell}`);
    const differs = await page.textContent('#differs');
    assert(differs.includes('jitter') && differs.includes('none → ') && differs.includes('scenario herd-no-jitter → herd-full-jitter'), `what differs: ${differs}`);
    // an edited preset says so, with what was changed
    await page.fill('#f-clients-count', '4000');
    await page.dispatchEvent('#f-clients-count', 'change');
    await page.waitForFunction(() => document.querySelector('td[data-field="requests"][data-side="b"]')?.textContent === '4,000', null, { timeout: 30000 });
    await done(page);
    const edited = await page.textContent('#edited-b');
    assert(edited.includes('herd-full-jitter · edited: clients 4,000'), `edited mark: ${edited}`);
    assert(!(await page.$('#edited-a')), 'A is the preset as it comes');
    assert((await page.textContent('#differs')).includes('clients 2,000 → 4,000'), await page.textContent('#differs'));
    await shot(page, 'numbers-ab');
    await shots2(page, 'numbers-ab');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#differs').scrollIntoViewIfNeeded();
    await shotAt(page, 'numbers-ab-table-phone', 390, 844);
    await page.setViewportSize({ width: 1280, height: 900 });
    // no fault at all: the recovery says "no fault", not a dash
    await page.click('#compare'); // close B
    const preset = JSON.parse(fs.readFileSync(path.join(root, 'static/presets/herd-no-jitter.json'), 'utf8'));
    const calm = Buffer.from(JSON.stringify({ ...preset, name: 'calm', faults: [] }));
    await page.setInputFiles('#open-file', { name: 'calm.json', mimeType: 'application/json', buffer: calm });
    await page.waitForFunction(() => document.querySelector('td[data-field="time_to_recover_ms"]')?.textContent === 'no fault', null, { timeout: 30000 });
    assert(await field(page, 'peak_after_fault_per_s') === 'no fault', `no fault, no herd after it: ${await field(page, 'peak_after_fault_per_s')}`);
    // a hang: its downtime and the age of the oldest stuck request
    await page.selectOption('#preset', 'no-timeout-hang');
    await page.waitForFunction(() => / s$/.test(document.querySelector('td[data-field="oldest_in_flight_ms"]')?.textContent ?? ''), null, { timeout: 30000 });
    assert(/^\d[\d.]* s$/.test(await field(page, 'downtime_ms')), `the hang is downtime: ${await field(page, 'downtime_ms')}`);
    assert(!(await page.$('#notice')), '"Opened calm.json" no longer describes the page: gone');
    assert(await field(page, 'time_to_recover_ms') === 'never recovered', await field(page, 'time_to_recover_ms'));
    await shots2(page, 'no-timeout-hang');
  },

  'Run with nothing changed says so and offers the next seed': async (page, url) => {
    await page.goto(url);
    await done(page);
    const seed = await page.inputValue('#f-seed');
    await page.click('#run');
    await page.waitForSelector('#next-seed');
    const text = await notice(page);
    assert(text.includes('same result') && text.includes(`seed ${seed}`), text);
    assert((await page.getAttribute('#notice', 'role')) === 'status', 'a status, not an alert');
    await shots2(page, 'same-seed');
    await page.click('#next-seed');
    await page.waitForFunction((s) => document.querySelector('#f-seed').value === String(Number(s) + 1), seed);
    await done(page);
    assert(!(await page.$('#notice')), 'the notice is gone');
    assert((await page.textContent('#edited-a')).includes(`seed ${Number(seed) + 1}`), await page.textContent('#edited-a'));
    // after an edit, Run just runs
    await page.fill('#f-clients-count', '1999');
    await page.dispatchEvent('#f-clients-count', 'change');
    await page.waitForFunction(() => document.querySelector('td[data-field="requests"]')?.textContent === '1,999', null, { timeout: 30000 });
    await done(page);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('r'); // unchanged again: the key says so as the button does
    await page.waitForSelector('#next-seed');
    await done(page);
    // and the notice goes once something changes
    await page.fill('#f-clients-count', '1998');
    await page.dispatchEvent('#f-clients-count', 'change');
    await page.waitForFunction(() => !document.querySelector('#notice'));
  },

  'exports are named after the scenario and side; in A/B they hold both; PNG at 2×–4× the screen': async (page, url) => {
    await page.goto(url);
    await done(page);
    await allDrawn(page);
    const save = async (selector) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      return [d.suggestedFilename(), fs.readFileSync(await d.path())];
    };
    let [name, data] = await save('#export-csv');
    assert(name === 'herd-no-jitter-A.csv' && data.toString().startsWith('t_ms,'), name);
    [name, data] = await save('#export-json');
    assert(name === 'herd-no-jitter-A.json' && JSON.parse(data).summary.requests === 2000, name);
    const css = await page.$eval('#chart-arrivals-a', (c) => [c.clientWidth, c.width, c.height]);
    const pngBtn = '#chart-arrivals-a + figcaption button:has-text("PNG")';
    [name, data] = await save(pngBtn);
    let [w, h] = pngSize(data);
    assert(name === 'herd-no-jitter-A-arrivals.png', name);
    assert(w === css[0] * 2, `PNG at 2× by default: ${w} px for ${css[0]} CSS px`);
    await page.selectOption('#png-scale', '4');
    [name, data] = await save(pngBtn);
    [w, h] = pngSize(data);
    assert(w === css[0] * 4 && h > css[2] * 3, `PNG at 4×: ${w}×${h} for a ${css[1]}×${css[2]} canvas`);
    console.log(`     PNG export: ${w}×${h} px for a chart ${css[0]} CSS px wide`);
    fs.writeFileSync(path.join(shots, 'export-arrivals-4x.png'), data);
    // A/B: one CSV with a side column, one JSON with both
    await page.click('#compare');
    await page.fill('#f-clients-count', '3000');
    await page.dispatchEvent('#f-clients-count', 'change');
    await page.waitForFunction(() => document.querySelector('td[data-field="requests"][data-side="b"]')?.textContent === '3,000', null, { timeout: 30000 });
    await done(page);
    [name, data] = await save('#export-csv');
    const lines = data.toString().trim().split('\n');
    assert(name === 'herd-no-jitter-AB.csv' && lines[0].startsWith('side,t_ms,'), `${name}: ${lines[0]}`);
    assert(lines.some((l) => l.startsWith('A,')) && lines.some((l) => l.startsWith('B,')), 'rows of A and B');
    [name, data] = await save('#export-json');
    const both = JSON.parse(data);
    assert(name === 'herd-no-jitter-AB.json' && both.a.summary.requests === 2000 && both.b.summary.requests === 3000 && both.b.scenario.clients.count === 3000, `${name}: ${Object.keys(both)}`);
    // the A/B file opens again as A and B (here after closing B)
    await page.click('#compare');
    await page.waitForSelector('main[data-comparing="false"]');
    await page.setInputFiles('#open-file', { name, mimeType: 'application/json', buffer: data });
    await page.waitForFunction(() => document.querySelector('td[data-field="requests"][data-side="b"]')?.textContent === '3,000', null, { timeout: 30000 });
    assert((await notice(page)).includes('as scenarios A and B'), await notice(page));
    await done(page);
    await allDrawn(page, 'b');
    [name] = await save('#chart-latency-b + figcaption button:has-text("PNG")');
    assert(name === 'herd-no-jitter-B-latency.png', name);
    [name] = await save('#chart-overlay-ab + figcaption button:has-text("SVG")');
    assert(name === 'herd-no-jitter-AB-overlay.svg', name);
  },
  'keys work whatever was clicked last: a preset chosen with the mouse, a slider; fields still type': async (page, url) => {
    await page.goto(url);
    await done(page);
    const runs = () => page.getAttribute('main', 'data-timed-run-a').then(Number);
    // the preset menu keeps focus after a choice with the mouse; `r` used to retype it
    await page.locator('#preset').focus();
    await page.selectOption('#preset', 'metastable');
    await page.waitForFunction(() => document.querySelector('td[data-field="requests"]') && document.querySelector('main').dataset.status === 'done' && document.querySelector('#description').textContent.length > 0);
    await done(page);
    assert(await page.evaluate(() => document.activeElement.id === 'preset'), 'the menu has focus');
    let before = await runs();
    await page.keyboard.press('r');
    await page.waitForSelector('#next-seed'); // Run with nothing changed: it ran and says so
    await page.waitForFunction((b) => Number(document.querySelector('main').dataset.timedRunA) > b, before);
    assert((await page.inputValue('#preset')) === 'metastable', `the menu is unchanged: ${await page.inputValue('#preset')}`);
    // its own arrow keys still move it
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('#preset').value !== 'metastable');
    await done(page);
    // a slider clicked with the mouse: `c` compares
    const slider = page.locator('input[type=range][data-path="policy.max_attempts"]');
    await slider.click();
    await done(page);
    assert(await page.evaluate(() => document.activeElement.type === 'range'), 'the slider has focus');
    await page.keyboard.press('c');
    await page.waitForSelector('main[data-comparing="true"]');
    await done(page);
    // and its arrow keys still move it
    const value = await slider.inputValue();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((v) => document.activeElement.value !== v, value);
    await done(page);
    // a number field types: `r` and `[` are no shortcuts there
    const preset = await page.inputValue('#preset');
    before = await runs();
    await page.evaluate(() => {
      window.__prevented = [];
      window.addEventListener('keydown', (e) => window.__prevented.push(e.defaultPrevented));
    });
    await page.click('#f-clients-count');
    await page.keyboard.press('r');
    await page.keyboard.press('[');
    await page.waitForTimeout(300);
    assert((await page.evaluate(() => window.__prevented)).every((p) => !p), 'the field got its keys');
    assert((await runs()) === before && (await page.getAttribute('main', 'data-status')) === 'done', 'no run from r in a number field');
    assert((await page.inputValue('#preset')) === preset, 'no preset step from [ in a number field');
    // a text field (the seed) takes the letter
    await page.click('#f-seed');
    await page.keyboard.press('End');
    await page.keyboard.press('r');
    assert((await page.inputValue('#f-seed')).endsWith('r'), `r typed into the seed: ${await page.inputValue('#f-seed')}`);
    assert((await runs()) === before, 'no run from r in a text field');
  },

  'a presentation remote (PageDown, PageUp) steps through presets and never scrolls the page': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    assert(await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight + 100), 'the page is long enough to scroll');
    const names = await page.$$eval('#preset option', (os) => os.map((o) => o.value));
    const at = async () => names.indexOf(await page.inputValue('#preset'));
    const i = await at();
    await page.keyboard.press('PageDown');
    await page.waitForFunction((n) => document.querySelector('#preset').value === n, names[(i + 1) % names.length]);
    await done(page);
    assert((await page.evaluate(() => window.scrollY)) === 0, 'PageDown did not scroll');
    // from a slider too (it would move the slider by a page)
    await page.locator('input[type=range][data-path="policy.max_attempts"]').focus();
    await page.keyboard.press('PageUp');
    await page.waitForFunction((n) => document.querySelector('#preset').value === n, names[i]);
    await done(page);
    assert((await page.evaluate(() => window.scrollY)) === 0, 'PageUp did not scroll');
    // a key the page does not use is left to the browser: Space still scrolls
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.scrollY > 0);
  },

  '? lists every key, Esc closes the list': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.locator('#preset').focus(); // from the menu too
    await page.keyboard.press('?');
    await page.waitForSelector('#key-list');
    const rows = await page.$$eval('#key-list tr', (rs) => rs.map((r) => r.textContent));
    for (const k of ['r', 'c', '[', 'Page Up', ']', 'Page Down', 't', 'p', '-', '+', 'n', '?', 'Esc']) {
      assert(rows.some((r) => r.includes(k)), `the list names ${k}: ${rows.join(' | ')}`);
    }
    assert(rows.length === 11, `one row per entry of the table: ${rows.length}`);
    assert(await page.evaluate(() => document.activeElement.id === 'key-list-close'), 'focus moves into the list');
    await shotAt(page, 'key-list-1920', 1920, 1080);
    await shotAt(page, 'key-list-phone', 390, 844);
    const box = await page.locator('#key-list').boundingBox();
    assert(box.x >= 0 && box.x + box.width <= 390, `the list fits the phone: ${box.x}+${box.width}`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.keyboard.press('Escape');
    await page.waitForSelector('#key-list', { state: 'detached' });
    // the toolbar's Keys button opens it, a click beside it closes it
    await page.click('#keys');
    await page.waitForSelector('#key-list');
    await page.mouse.click(5, 890);
    await page.waitForSelector('#key-list', { state: 'detached' });
  },

  'offline after the first visit: the page reloads without a network and runs': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
    const ctx = page.context();
    // what the service worker itself asks of the network while offline
    const fromWorker = { failed: 0, fetched: [] };
    const failed = (r) => { if (r.serviceWorker()) fromWorker.failed++; };
    const fetched = (r) => { if (r.serviceWorker()) fromWorker.fetched.push(r.url()); };
    ctx.on('requestfailed', failed);
    ctx.on('requestfinished', fetched);
    await ctx.setOffline(true);
    try {
      const response = await page.reload();
      assert(fromWorker.failed > 0 && fromWorker.fetched.length === 0, `the worker found no network: ${JSON.stringify(fromWorker)}`);
      assert(await page.evaluate(() => !navigator.onLine), 'the browser is offline');
      assert(response.fromServiceWorker(), 'the page came from the service worker');
      await done(page);
      await allDrawn(page);
      await page.selectOption('#preset', 'retry-storm');
      await changed(page, 'requests', '2,000');
      await allDrawn(page);
      await shot(page, 'offline-retry-storm');
      assert(fromWorker.fetched.length === 0, `nothing came from the network: ${fromWorker.fetched}`);
    } finally {
      await ctx.setOffline(false);
      ctx.off('requestfailed', failed);
      ctx.off('requestfinished', fetched);
    }
  },

  'no service worker on a plain-HTTP LAN address, and no console error for it': async (page, url, lan) => {
    await page.goto(lan);
    await done(page);
    await allDrawn(page);
    assert(await page.evaluate(() => !window.isSecureContext && !('serviceWorker' in navigator)), 'no service worker here');
  },
  'phone and 1280×720: results before controls, nothing wider than the screen, the lecture charts first': async (page, url) => {
    await page.goto(url);
    await done(page);
    // each preset's first chart: what its lecture is about
    const first = { 'herd-no-jitter': 'chart-arrivals-a', 'budget-vs-storm': 'chart-budget-a' };
    for (const [preset, chart] of Object.entries(first)) {
      if ((await page.inputValue('#preset')) !== preset) {
        const before = await page.textContent('#summary');
        await page.selectOption('#preset', preset);
        await page.waitForFunction((b) => document.querySelector('main').dataset.status === 'done' && document.querySelector('#summary')?.textContent !== b, before, { timeout: 120000 });
      }
      await done(page);
      await allDrawn(page, 'a', preset === 'budget-vs-storm' ? ['budget'] : []);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(300);
      const phone = await page.evaluate(() => {
        const top = (sel) => document.querySelector(sel).getBoundingClientRect().top;
        const wide = [...document.querySelectorAll('main *')].filter((e) => !e.closest('.summary:not(.single)'))
          .map((e) => [e.tagName + (e.id ? `#${e.id}` : ''), e.getBoundingClientRect().right]).filter((x) => x[1] > 390.5);
        return { scroll: document.documentElement.scrollWidth, results: top('section.results'), controls: top('aside.panel'), chart: top('canvas.chart'), wide };
      });
      assert(phone.scroll <= 390, `${preset}: the page is ${phone.scroll} px wide on a 390 px phone`);
      assert(phone.wide.length === 0, `${preset}: wider than the phone: ${JSON.stringify(phone.wide.slice(0, 5))}`);
      assert(phone.results < phone.controls && phone.chart < phone.controls, `${preset}: results and charts before the controls: ${JSON.stringify(phone)}`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await shotAt(page, `layout-${preset}-phone`, 390, 844);
      await page.evaluate(() => document.querySelector('.charts').scrollIntoView());
      await shotAt(page, `layout-${preset}-phone-charts`, 390, 844);
      // 1280×720: controls on the left, and the preset's chart the first one
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.waitForTimeout(300);
      await page.evaluate(() => window.scrollTo(0, 0));
      const ids = await page.$$eval('.charts canvas.chart', (cs) => cs.map((c) => c.id));
      assert(ids[0] === chart, `${preset}: the first chart is ${chart}: ${ids}`);
      const side = await page.evaluate(() => [document.querySelector('aside.panel').getBoundingClientRect().left, document.querySelector('section.results').getBoundingClientRect().left]);
      assert(side[0] < side[1], `controls left of the results at 1280 px: ${side}`);
      await shotAt(page, `layout-${preset}-1280`, 1280, 720);
    }
    // A/B on a phone: the table fits, its numbers at a readable size
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click('#compare');
    await page.waitForSelector('main[data-comparing="true"][data-status="done"] td[data-field="requests"][data-side="b"]', { timeout: 120000 });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const table = await page.evaluate(() => {
      const t = document.querySelector('#summary');
      const td = t.querySelector('td[data-side="b"]');
      return { right: t.getBoundingClientRect().right, scroll: t.scrollWidth, client: t.clientWidth, font: parseFloat(getComputedStyle(td).fontSize), page: document.documentElement.scrollWidth };
    });
    assert(table.page <= 390 && table.right <= 390.5, `the A/B table fits the phone: ${JSON.stringify(table)}`);
    assert(table.scroll <= table.client + 1, `A, B and B − A read without scrolling sideways: ${JSON.stringify(table)}`);
    assert(table.font >= 12, `the table's numbers are readable: ${table.font} px`);
    await page.locator('#summary').scrollIntoViewIfNeeded();
    await shotAt(page, 'layout-ab-table-phone', 390, 844);
  },
  'playback: p plays the run, counters follow the cursor, scrub, next moment, speed': async (page, url) => {
    await page.goto(url);
    await done(page);
    await page.selectOption('#preset', 'herd-no-jitter');
    await allDrawn(page);
    const cursor = async () => Number(await page.getAttribute('#playback', 'data-cursor-ms'));
    const counter = (name) => page.evaluate((n) => {
      const dt = [...document.querySelectorAll('#play-counters-a dt')].find((d) => d.textContent === n);
      return dt ? dt.nextElementSibling.textContent : null;
    }, name);
    // paused at the end: the whole result shows, nothing is covered
    assert(await page.getAttribute('#results', 'data-play') === 'end', 'starts at the end');
    assert(await cursor() === 60000, `cursor at the end: ${await cursor()}`);
    assert(await page.locator('.play-cover').count() === 4, 'the four time charts have a cover (latency and backoff do not)');
    assert(!(await page.locator('.play-cover').first().isVisible()), 'no cover at the end');
    // p plays from 0 at 4×
    await page.keyboard.press('p');
    await page.waitForTimeout(500);
    const t1 = await cursor();
    const c1 = await counter('in flight');
    await page.waitForTimeout(1500);
    const t2 = await cursor();
    const c2 = await counter('in flight');
    assert(t1 > 0 && t2 > t1 + 3000 && t2 < 20000, `the cursor moves at about 4×: ${t1} → ${t2}`);
    assert(c1 !== null && c2 !== null, 'counters show');
    assert(await page.getAttribute('#playback', 'data-playing') === 'true', 'playing');
    // the cover starts at the cursor: left of the plot's right edge, right of its left
    const box = await page.evaluate(() => {
      const canvas = document.querySelector('#chart-arrivals-a');
      const c = canvas.parentElement.querySelector('.play-cover').getBoundingClientRect(), w = canvas.getBoundingClientRect();
      return { left: (c.left - w.left) / w.width, width: c.width / w.width, top: (c.top - w.top) / w.height, bottom: (c.bottom - w.top) / w.height };
    });
    assert(box.left > 0.05 && box.left < 0.5 && box.width > 0.3 && box.top > 0.05 && box.bottom < 0.95,
      `the cover hides what is to come, over the plot only: ${JSON.stringify(box)}`);
    await page.keyboard.press('p');
    const paused = await cursor();
    await page.waitForTimeout(300);
    assert(await cursor() === paused, 'p pauses');
    // scrub to the middle of the outage (down 0–10 s): the whole herd waits
    await page.fill('#play-scrub', '5000');
    assert(await cursor() === 5000, `scrubbed: ${await cursor()}`);
    assert(await counter('in flight') === '2,000', `in flight at 5 s: ${await counter('in flight')}`);
    assert(await counter('busy workers') === '0', 'no worker busy while down');
    await page.click('#clients-toggle'); // behind a button: the charts come first
    assert(await page.locator('#clients-a .cg-cells .cg-cell').count() === 100, '100 sampled clients');
    assert(await page.getAttribute('#clients-a', 'data-backing-off') === '100', 'the sampled herd sleeps between waves');
    // the next moment after the outage: the first retry wave
    await page.keyboard.press('n');
    const wave = await cursor();
    assert(wave >= 10000 && wave < 20000, `first wave after the outage: ${wave}`);
    assert((await page.textContent('#play-moment')).includes('retry wave'), 'names the moment');
    await shotAt(page, 'playback-wave-1920', 1920, 1080);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => document.querySelector('#playback').scrollIntoView());
    await shotAt(page, 'playback-wave-phone', 390, 844);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.keyboard.press('+');
    assert(await page.getAttribute('#playback', 'data-speed') === '8', 'faster');
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    assert(await page.getAttribute('#playback', 'data-speed') === '2', 'slower');
    // restart plays from 0; playing to the end uncovers everything again
    await page.click('#play-restart');
    assert(await page.getAttribute('#playback', 'data-playing') === 'true', 'restart plays');
    await page.fill('#play-scrub', '59900');
    await page.waitForFunction(() => document.querySelector('#results').dataset.play === 'end', null, { timeout: 5000 });
    assert(await page.getAttribute('#playback', 'data-playing') === 'false', 'stops at the end');
  },
});
process.exit(failed ? 1 : 0);
