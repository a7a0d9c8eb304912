// End-to-end tests of the tuning view (run by `make e2e`): sweeps in web workers drawn as a
// line or a heatmap, a point opened as A or B, the scorecard (one policy, A/B, every
// library preset), bad input and Cancel. Screenshots in target/e2e/tuning/.
import fs from 'node:fs';
import path from 'node:path';
import { run, inked, assert, shots } from './harness.mjs';

const dir = path.join(shots, 'tuning');
fs.mkdirSync(dir, { recursive: true });
const num = (text) => parseFloat(text.replace(/,/g, ''));

async function shot(page, name, width, height) {
  await page.setViewportSize({ width, height });
  await page.waitForTimeout(400);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(wide <= 0, `${name}: the page is ${wide} px wider than the ${width} px screen`);
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

async function open(page, url) {
  await page.goto(url);
  await page.waitForSelector('main[data-status="done"] #summary', { timeout: 120000 });
  await page.click('#view-tuning');
  await page.waitForSelector('#tuning');
}

/** Set axis `n` to `path` from `lo` to `hi` in `steps` (log spacing if `log`). */
async function axis(page, n, path, lo, hi, steps, log = false) {
  await page.fill(`#vary-path-${n}`, path);
  await page.fill(`#vary-lo-${n}`, String(lo));
  await page.fill(`#vary-hi-${n}`, String(hi));
  await page.fill(`#vary-steps-${n}`, String(steps));
  if ((await page.isChecked(`#vary-log-${n}`)) !== log) await page.click(`#vary-log-${n}`);
}

/** Run the sweep and wait for its chart. */
async function sweep(page) {
  const before = await page.evaluate(() => document.querySelector('#chart-sweep')?.dataset.drawn ?? null);
  await page.click('#run-sweep');
  await page.waitForSelector('#tuning[data-busy="false"]', { timeout: 300000 });
  const err = await page.$('#tune-error');
  assert(!err, `the sweep ran: ${err && await err.textContent()}`);
  await page.waitForFunction((b) => {
    const c = document.querySelector('#chart-sweep');
    return c && c.dataset.drawn !== b && c.dataset.drawn !== '0';
  }, before, { timeout: 10000 });
}

/** The read-out with the mouse at fraction (fx, fy) of the sweep chart. */
async function hover(page, fx, fy) {
  const box = await page.locator('#chart-sweep').boundingBox();
  await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
  return page.textContent('#sweep-readout');
}

const failed = await run({
  'a 1-D sweep on web workers: a line with its spread; a point opens as A': async (page, url) => {
    await open(page, url);
    // the form starts on a field of the policy; choosing a known field fills in a range around its value
    await page.fill('#vary-path-0', 'policy.backoff.base_ms');
    assert(await page.inputValue('#vary-lo-0') !== '' && await page.isChecked('#vary-log-0'), 'a known field fills its range');
    await axis(page, 0, 'policy.max_attempts', 1, 4, 4);
    await page.fill('#sweep-seeds', '3');
    await page.click('#run-sweep');
    await page.waitForSelector('#tune-progress');
    const label = await page.textContent('#tune-progress label');
    assert(/of 12 runs on \d web workers?/.test(label), `progress: ${label}`);
    await page.waitForSelector('#tuning[data-busy="false"] #chart-sweep', { timeout: 120000 });
    await page.waitForTimeout(200);
    assert(await inked(page, '#chart-sweep') > 5000, 'the line is drawn');
    // without jitter and with 2,000 clients down for 10 s, every attempt allowed is used:
    // the amplification at max_attempts = k is k, the same for every seed
    const read = await hover(page, 0.62, 0.5);
    assert(read.startsWith('policy.max_attempts = 3: amplification mean 3,'), `read-out: ${read}`);
    await page.mouse.click(...await (async () => { const b = await page.locator('#chart-sweep').boundingBox(); return [b.x + b.width * 0.62, b.y + b.height * 0.5]; })());
    await page.waitForSelector('#sweep-picked');
    assert((await page.textContent('#sweep-picked')).includes('policy.max_attempts = 3'), 'picked the third point');
    await page.selectOption('#sweep-metric', 'availability');
    await page.waitForTimeout(200);
    assert((await hover(page, 0.62, 0.5)).includes('availability mean'), 'another metric, same sweep');
    await shot(page, 'sweep-line-1920', 1920, 1080);
    await shot(page, 'sweep-line-phone', 390, 844);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click('#open-a');
    await page.waitForSelector('main[data-status="done"] #summary', { timeout: 120000 });
    assert(await page.getAttribute('#view-results', 'aria-selected') === 'true', 'back on the results');
    const edited = await page.textContent('#edited-a');
    assert(/max attempts/.test(edited) && edited.includes('3'), `A is the point: ${edited}`);
    const amp = await page.textContent('td[data-field="amplification"]');
    assert(amp.trim() === '3×', `its run: amplification ${amp}`);
  },
  'a 2-D heatmap: each cell read on hover, a click opens it as B beside A': async (page, url) => {
    await open(page, url);
    await axis(page, 0, 'policy.max_attempts', 1, 3, 3);
    await axis(page, 1, 'policy.backoff.base_ms', 25, 400, 5, true);
    await page.fill('#sweep-seeds', '2');
    await sweep(page);
    const cells = await page.evaluate(() => document.querySelector('#chart-sweep').getAttribute('aria-label'));
    assert(cells.includes('amplification'), cells);
    // the top-right cell is the last point: 3 attempts, base 400 ms
    const read = await hover(page, 0.85, 0.3);
    assert(/^policy\.max_attempts = 3, policy\.backoff\.base_ms = 400: amplification mean/.test(read), `top right: ${read}`);
    const low = await hover(page, 0.1, 0.85);
    assert(/^policy\.max_attempts = 1, policy\.backoff\.base_ms = 25: amplification mean 1,/.test(low), `bottom left: ${low}`);
    await page.mouse.click(...await (async () => { const b = await page.locator('#chart-sweep').boundingBox(); return [b.x + b.width * 0.85, b.y + b.height * 0.3]; })());
    await page.waitForSelector('#sweep-picked');
    await shot(page, 'sweep-heatmap-1920', 1920, 1080);
    await shot(page, 'sweep-heatmap-phone', 390, 844);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click('#open-b');
    await page.waitForSelector('main[data-comparing="true"][data-status="done"] td[data-field="requests"][data-side="b"]', { timeout: 120000 });
    const differs = await page.textContent('#differs');
    assert(differs.includes('base') && differs.includes('400'), `B differs in the point's fields: ${differs}`);
    // the CSV of the table has a row per point
    const [dl] = await Promise.all([page.waitForEvent('download'), (async () => { await page.click('#view-tuning'); await page.click('#sweep-csv'); })()]);
    const csv = fs.readFileSync(await dl.path(), 'utf8').trim().split('\n');
    assert(csv.length === 1 + 15, `CSV: a header and 15 points, got ${csv.length} lines`);
    assert(csv[0].startsWith('policy.max_attempts,policy.backoff.base_ms,'), csv[0]);
  },
  'bad input is refused naming the field, the last sweep stays; Cancel stops a sweep': async (page, url) => {
    await open(page, url);
    await axis(page, 0, 'policy.max_attempts', 1, 2, 2);
    await page.fill('#sweep-seeds', '1');
    await sweep(page);
    const drawn = await page.getAttribute('#chart-sweep', 'data-drawn');
    await page.fill('#vary-lo-0', '0');
    await page.click('#run-sweep');
    let err = await page.textContent('#tune-error');
    assert(err.includes('policy.max_attempts') && /1/.test(err), `names the field and its range: ${err}`);
    await page.fill('#vary-lo-0', '1');
    await page.fill('#sweep-seeds', 'many');
    await page.click('#run-sweep');
    err = await page.textContent('#tune-error');
    assert(err.startsWith('seeds a point'), err);
    await page.fill('#vary-path-0', 'policy.nothing');
    await page.fill('#sweep-seeds', '2');
    await page.click('#run-sweep');
    err = await page.textContent('#tune-error');
    assert(err.includes('policy.nothing') && err.includes('not a numeric scenario field'), err);
    assert(await page.getAttribute('#chart-sweep', 'data-drawn') === drawn, 'the last sweep is still shown');
    // a long sweep, cancelled
    await axis(page, 0, 'policy.max_attempts', 1, 10, 10);
    await axis(page, 1, 'policy.backoff.base_ms', 10, 1000, 10, true);
    await page.fill('#sweep-seeds', '10');
    await page.click('#run-sweep');
    await page.waitForSelector('#tune-progress');
    await page.waitForTimeout(500);
    await page.click('#cancel-tune');
    await page.waitForSelector('#tuning[data-busy="false"]');
    assert(!(await page.$('#tune-progress')), 'no progress after Cancel');
    assert(await page.getAttribute('#chart-sweep', 'data-drawn') === drawn, 'the last sweep stays after Cancel');
    // and the workers take the next task
    await axis(page, 1, '', '', '', '');
    await axis(page, 0, 'policy.max_attempts', 1, 3, 3);
    await page.fill('#sweep-seeds', '1');
    await sweep(page);
  },
  'the scorecard: A, A vs B with deltas, and every library preset': async (page, url) => {
    await open(page, url);
    await page.click('#tab-scorecard');
    await page.fill('#suite-seeds', '1');
    await page.click('#run-score');
    await page.waitForSelector('#scorecard', { timeout: 120000 });
    const rows = await page.$$eval('#scorecard tbody tr th', (ths) => ths.map((t) => t.textContent));
    assert(rows.join() === 'short-outage,long-overload,brownout,slow-dependency,load-spike,black-hole', `rows: ${rows}`);
    const cells = await page.$$eval('#scorecard tbody tr:first-child td', (tds) => tds.map((t) => t.textContent));
    const heads = await page.$$eval('#scorecard thead th', (ths) => ths.slice(1).map((t) => t.textContent));
    const amplification = heads.indexOf('amplification');
    assert(cells.length === heads.length && cells[0].endsWith('%') && cells[amplification].endsWith('×'), `cells: ${heads} / ${cells}`);
    // B without retries: amplification 1× everywhere, which is better
    await page.click('#view-results');
    await page.click('#compare');
    await page.waitForSelector('main[data-comparing="true"]');
    await page.evaluate(() => {
      const el = document.querySelector('input[type=range][data-path="policy.max_attempts"]');
      el.value = '1';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.waitForFunction(() => document.querySelector('main').dataset.status === 'done'
      && document.querySelector('#differs')?.textContent.includes('max attempts'), null, { timeout: 120000 });
    await page.click('#view-tuning');
    await page.click('#tab-scorecard');
    await page.click('#run-score-ab');
    await page.waitForSelector('#scorecard-ab', { timeout: 120000 });
    // amplification: B never retries, 1×, better wherever A retried
    const amp = await page.$$eval('#scorecard-ab tbody tr', (trs, i) => trs.map((tr) => tr.querySelectorAll('td')[i]).map((t) => [t.className, t.textContent]), amplification);
    assert(amp.length === 6, `A/B rows: ${amp.length}`);
    assert(amp.every(([, t]) => t.includes('→ 1×')), `B's amplification is 1×: ${JSON.stringify(amp)}`);
    assert(amp.filter(([c]) => c === 'better').length >= 4, `better in words and colour: ${JSON.stringify(amp)}`);
    await shot(page, 'scorecard-ab-1920', 1920, 1080);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click('#run-libraries');
    await page.waitForSelector('#scorecard-libraries', { timeout: 300000 });
    const tables = await page.$$eval('#scorecard-libraries table', (ts) => ts.map((t) => t.querySelectorAll('tbody tr').length));
    assert(tables.length === 6 && tables.every((n) => n === 10), `a table per scenario, a row per library: ${tables}`);
    await shot(page, 'scorecard-libraries-1920', 1920, 1080);
    await shot(page, 'scorecard-libraries-phone', 390, 844);
  },
  'a recommendation meets its constraints in the scorecard it shows, beats the current policy, and applies': async (page, url) => {
    await open(page, url);
    await page.click('#view-results');
    await page.selectOption('#preset', 'aws-sdk-standard');
    await page.waitForFunction(() => document.querySelector('main').dataset.status === 'done'
      && document.querySelector('#description').textContent.includes('AWS SDK standard'), null, { timeout: 120000 });
    await page.click('#view-tuning');
    await page.click('#tab-recommend');
    // the analytic panel: 3 attempts, full jitter up to 1 s then 2 s, no deadline
    const rows = await page.$$eval('#schedule-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    assert(rows.length === 2 && rows[0][1] === '0 ms' && rows[0][2] === '500 ms' && rows[0][3] === '1 s' && rows[1][3] === '2 s', `schedule: ${JSON.stringify(rows)}`);
    const findings = await page.textContent('#findings');
    assert(findings.includes('worst-case amplification: 3 attempts per request'), findings);
    await page.fill('#search-layers', '2');
    await page.waitForFunction(() => document.querySelector('#findings').textContent.includes('through 2 layers retrying alike: 9'));
    assert(await page.$('[data-lint="retries-at-several-layers"]'), 'two layers: the lint applies');
    await page.fill('#search-layers', 'many');
    const bad = await page.textContent('#advice-error');
    assert(bad.startsWith('Layers:'), `layers that do not read are named: ${bad}`);
    await page.fill('#search-layers', '2');
    // a bad constraint is refused naming its line
    await page.fill('#search-require', 'amplification<=1.25\nspeed<=3');
    await page.click('#run-search');
    const err = await page.textContent('#tune-error');
    assert(err.startsWith('Require, line 2:'), err);
    await page.fill('#search-require', 'amplification<=1.25\nsuccess_p99_ms<=2000\ntime_to_recover_ms<=5000');
    await page.fill('#search-unlock', 'policy.max_attempts=1..4:4\npolicy.backoff.base_ms=10..1000:3:log');
    await page.click('#run-search');
    await page.waitForSelector('#tune-progress');
    assert((await page.textContent('#tune-progress label')).startsWith('Search, the grid:'), 'stage 1 in progress');
    await page.waitForSelector('#search-report', { timeout: 300000 });
    await page.waitForSelector('#tuning[data-busy="false"]');
    const best = await page.textContent('#search-best');
    assert(best.includes('policy.max_attempts = '), best);
    // every constraint holds in every row of the best policy's scorecard, as shown
    const card = await page.$$eval('#search-scorecard tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((c) => c.textContent)));
    const heads = await page.$$eval('#search-scorecard thead th', (ths) => ths.slice(1).map((t) => t.textContent));
    const col = (name) => heads.indexOf(name);
    const ms = (t) => t === '0 ms' ? 0 : t.endsWith(' ms') ? num(t) : t.endsWith(' s') ? 1000 * num(t) : NaN;
    assert(card.length === 6, `six scenarios: ${card.length}`);
    for (const r of card) {
      assert(num(r[col('amplification')]) <= 1.25, `amplification ≤ 1.25: ${r}`);
      assert(ms(r[col('success p99')]) <= 2000, `success p99 ≤ 2 s: ${r}`);
      assert(ms(r[col('recovery')]) <= 5000, `recovers within 5 s: ${r}`);
    }
    // it beats (or equals) the current policy on the objective, failed requests summed
    const failed = await page.$$eval('#search-beats tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)).find((r) => r[0] === 'failed'));
    assert(num(failed[3]) <= num(failed[2]), `failed: best ${failed[3]} ≤ current ${failed[2]}`);
    assert(await page.getAttribute('#chart-pareto', 'data-drawn') !== '0', 'the Pareto front is drawn');
    await shot(page, 'recommend-1920', 1920, 1080);
    await shot(page, 'recommend-phone', 390, 844);
    await page.setViewportSize({ width: 1280, height: 900 });
    const setting = best.replace('Best feasible: ', '').replace('Apply to A', '').replace('Apply and export', '').trim();
    const attempts = setting.match(/max_attempts = (\d+)/)[1];
    // Apply and export: A becomes the best policy and the Export tab writes it
    await page.click('#export-best');
    await page.waitForSelector('#tab-export[aria-selected="true"]');
    const exported = await page.textContent('#export-snippet');
    const retries = `WithMaxRetries(b, ${Number(attempts) - 1})`;
    assert(exported.includes(retries), `the best policy is exported (${setting}): ${exported}`);
    await page.click('#tab-recommend');
    await page.click('#apply-best');
    await page.waitForSelector('main[data-status="done"] #summary', { timeout: 120000 });
    const edited = await page.textContent('#edited-a');
    assert(edited.includes('max attempts') && edited.includes(attempts), `applied ${setting}: ${edited}`);
  },
  'run 20 seeds: each headline figure as its mean and spread over the seeds': async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('main[data-status="done"] #summary', { timeout: 120000 });
    await page.selectOption('#preset', 'herd-full-jitter');
    await page.waitForFunction(() => document.querySelector('main').dataset.status === 'done'
      && document.querySelector('#description').textContent.includes('jitter'), null, { timeout: 120000 });
    await page.click('#run-seeds');
    await page.waitForSelector('#seeds-table', { timeout: 120000 });
    const rows = await page.$$eval('#seeds-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.metric, ...[...tr.querySelectorAll('td')].map((c) => c.textContent)]));
    assert(rows.length === 6, `six metrics: ${rows.length}`);
    const avail = rows.find((r) => r[0] === 'availability');
    const [lo, hi] = avail[3].split(' – ').map(parseFloat);
    assert(avail[4] === '20' && lo <= parseFloat(avail[1]) && parseFloat(avail[1]) <= hi, `availability over 20 seeds: ${avail}`);
    assert((await page.textContent('#seeds-table caption')).includes('Over 20 seeds (1–20)'), 'names the seeds');
    // each time chart again over the seeds: medians with their bands, drawn
    for (const g of [0, 1, 2]) {
      await page.waitForSelector(`#chart-seeds-${g}:not([data-drawn="0"])`, { timeout: 10000 });
      const label = await page.getAttribute(`#chart-seeds-${g}`, 'aria-label');
      assert(label.includes('over 20 seeds: medians and p10–p90 bands'), label);
      const ink = await inked(page, `#chart-seeds-${g}`);
      assert(ink > 3000, `chart ${g} drawn: ${ink} inked pixels`);
    }
    await page.locator('#seeds-charts').scrollIntoViewIfNeeded();
    await shot(page, 'seeds-1920', 1920, 1080);
    await shot(page, 'seeds-390', 390, 844);
    // another scenario: the figures of the old one are not shown for it
    await page.selectOption('#preset', 'herd-no-jitter');
    await page.waitForFunction(() => !document.querySelector('#seeds-table'), null, { timeout: 10000 });
  },
  'export: every library snippet with its report, copy, download, and simulate as the library does': async (page, url) => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(url);
    await page.waitForSelector('main[data-status="done"] #summary', { timeout: 120000 });
    await page.selectOption('#preset', 'herd-full-jitter');
    await page.waitForFunction(() => document.querySelector('main').dataset.status === 'done'
      && document.querySelector('#description').textContent.includes('jitter'), null, { timeout: 120000 });
    await page.click('#view-tuning');
    await page.click('#tab-export');
    const libraries = await page.$$eval('#export-library option', (os) => os.map((o) => o.value));
    assert(libraries.length === 12, `twelve libraries: ${libraries}`);
    for (const lib of libraries) {
      await page.selectOption('#export-library', lib);
      await page.waitForFunction((l) => document.querySelector('#export-fidelity caption')?.textContent.length > 12
        && document.querySelector('#export-library').value === l, lib);
      const snippet = await page.textContent('#export-snippet');
      assert(snippet.includes('herdsim policy "herd-full-jitter"') || snippet.includes('"methodConfig"'), `${lib}: a snippet: ${snippet.slice(0, 80)}`);
      const rows = await page.$$eval('#export-fidelity tbody tr', (trs) => trs.map((tr) => [tr.className, tr.querySelector('.status').textContent]));
      assert(rows.length >= 4 && rows.every(([c, t]) => ({ exact: 'exact', approximated: 'approximated', missing: 'not expressible' })[c] === t), `${lib}: the report in words and colour: ${JSON.stringify(rows)}`);
    }
    // gRPC: no per-attempt timeout, fixed ±20% jitter, with warnings
    await page.selectOption('#export-library', 'grpc');
    const grpc = JSON.parse(await page.textContent('#export-snippet'));
    assert(grpc.methodConfig[0].retryPolicy.maxAttempts === 5, `maxAttempts clamped to 5: ${JSON.stringify(grpc)}`);
    assert((await page.textContent('#export-warnings')).includes('clamps maxAttempts to 5'), 'the clamp is a warning');
    const timeout = await page.$eval('#export-fidelity tbody', (tb) => [...tb.querySelectorAll('tr')].find((tr) => tr.querySelector('th').textContent === 'timeout')?.className);
    assert(timeout === 'missing', `no per-attempt timeout in gRPC: ${timeout}`);
    // copy and download give the snippet
    await page.click('#export-copy');
    await page.waitForSelector('#export-done');
    assert((await page.textContent('#export-done')) === 'Copied.', await page.textContent('#export-done'));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert(copied === await page.textContent('#export-snippet'), 'the clipboard holds the snippet');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-download')]);
    assert(download.suggestedFilename() === 'service_config.json', download.suggestedFilename());
    const saved = fs.readFileSync(await download.path(), 'utf8');
    assert(saved === copied, 'the download is the snippet');
    await shot(page, 'export-1920', 1920, 1080);
    await shot(page, 'export-390', 390, 844);
    await page.setViewportSize({ width: 1280, height: 900 });
    // tenacity writes full jitter exactly: nothing to simulate
    await page.selectOption('#export-library', 'tenacity');
    assert(await page.isDisabled('#export-simulate'), 'tenacity runs the same policy: no comparison');
    assert((await page.textContent('#export-same')).includes('runs exactly the policy simulated'), 'and says so');
    // gRPC does not: the scorecard shows A as simulated against B as gRPC runs it
    await page.selectOption('#export-library', 'grpc');
    await page.click('#export-simulate');
    await page.waitForSelector('#scorecard-ab', { timeout: 180000 });
    const ab = await page.textContent('#scorecard-ab caption');
    assert(ab.includes('herd-full-jitter as grpc runs it'), `B is the library's run: ${ab}`);
    const changed = await page.$$eval('#scorecard-ab td.better, #scorecard-ab td.worse', (tds) => tds.length);
    assert(changed > 0, 'the formulas differ, so the scorecard does');
    await shot(page, 'export-simulated-1920', 1920, 1080);
  },
}, { viewport: { width: 1280, height: 900 } });
process.exit(failed ? 1 : 0);
