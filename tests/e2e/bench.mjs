// `make bench`, browser half: the built page in headless Chromium. Prints and writes
// target/bench/browser.json: time to re-simulate + redraw the default preset (the page's own
// measure, from the run's start to after the charts are drawn), time for 1,000,000 clients,
// a sweep of 10 × 10 points × 10 seeds in web workers (wall time, the main thread's longest
// task) and the size of the .wasm and .js (raw and gzip). Figures only, never a pass/fail.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { run, dist } from './harness.mjs';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const out = {};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function timedRun(page, trigger) {
  // the page times each run from its start to after its charts are drawn, and says which
  // run it timed: wait for a newer one
  const before = await page.getAttribute('main', 'data-timed-run-a');
  await trigger();
  await page.waitForFunction((b) => {
    const m = document.querySelector('main');
    return m.dataset.status === 'done' && m.dataset.timedRunA !== b;
  }, before, { timeout: 120000 });
  return Number(await page.getAttribute('main', 'data-last-ms-a'));
}

// the main thread's longest task: Chromium's long-task entries (50 ms and more) and the
// longest gap between ticks of a 10 ms timer
const watchMainThread = (page) => page.evaluate(() => {
  window.__long = 0;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long = Math.max(window.__long, e.duration); }).observe({ entryTypes: ['longtask'] });
  window.__gap = 0;
  let last = performance.now();
  window.__tick = setInterval(() => { const t = performance.now(); window.__gap = Math.max(window.__gap, t - last); last = t; }, 10);
});
const mainThread = (page) => page.evaluate(() => { clearInterval(window.__tick); return [+window.__long.toFixed(1), +window.__gap.toFixed(1)]; });
const longest = (ms) => (ms ? ms + ' ms' : 'under 50 ms (no long task)');

const failed = await run({
  'bench: re-simulate + redraw the default preset': async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('main[data-status="done"] #summary', { timeout: 60000 });
    const times = [];
    for (let i = 0; i < 15; i++) {
      times.push(await timedRun(page, () => page.click('#run')));
    }
    out.default_preset_rerun_ms = { median: median(times), min: Math.min(...times), max: Math.max(...times), runs: times.length };
  },
  'bench: playback of the default preset at 1920×1080': async (page, url) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(url);
    await page.waitForSelector('main[data-status="done"] #summary', { timeout: 60000 });
    await page.waitForTimeout(500);
    const frames = () => page.getAttribute('#playback', 'data-frames').then(Number);
    await page.keyboard.press('p');
    await page.waitForTimeout(300);
    const f0 = await frames(), t0 = Date.now();
    await page.waitForTimeout(3000);
    const f1 = await frames(), t1 = Date.now();
    out.playback_fps = +((f1 - f0) / ((t1 - t0) / 1000)).toFixed(1);
  },
  'bench: 1,000,000 clients': async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('main[data-status="done"] #summary', { timeout: 60000 });
    const ms = await timedRun(page, async () => {
      await page.fill('#f-clients-count', '1000000');
      await page.dispatchEvent('#f-clients-count', 'change');
    });
    out.million_clients_ms = ms;
    out.million_clients_events = Number((await page.textContent('td[data-field="events"]')).replace(/\D/g, ''));
  },
  'bench: 1,000,000 clients of retry-storm, the main thread meanwhile': async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('main[data-status="done"] #summary', { timeout: 60000 });
    await page.selectOption('#preset', 'retry-storm');
    await page.waitForSelector('main[data-status="done"] #summary', { timeout: 60000 });
    await watchMainThread(page);
    const ms = await timedRun(page, async () => {
      await page.fill('#f-clients-count', '1000000');
      await page.dispatchEvent('#f-clients-count', 'change');
    });
    const [long, gap] = await mainThread(page);
    out.million_storm = { ms, longest_task_ms: long, longest_timer_gap_ms: gap, events: Number((await page.textContent('td[data-field="events"]')).replace(/\D/g, '')) };
  },
  'bench: a sweep of the default preset, 10 × 10 points × 10 seeds, in web workers': async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('main[data-status="done"] #summary', { timeout: 60000 });
    await page.click('#view-tuning');
    const set = async (id, v) => page.fill(id, v);
    await set('#vary-path-0', 'policy.max_attempts');
    await set('#vary-lo-0', '1'); await set('#vary-hi-0', '10'); await set('#vary-steps-0', '10');
    await set('#vary-path-1', 'policy.backoff.base_ms');
    await set('#vary-lo-1', '10'); await set('#vary-hi-1', '1000'); await set('#vary-steps-1', '10');
    if (!(await page.isChecked('#vary-log-1'))) await page.click('#vary-log-1');
    await set('#sweep-seeds', '10');
    await watchMainThread(page);
    const t0 = Date.now();
    await page.click('#run-sweep');
    await page.waitForSelector('#tune-progress');
    await page.waitForSelector('#tuning[data-busy="false"] #chart-sweep', { timeout: 600000 });
    const wall = Date.now() - t0;
    const [long, gap] = await mainThread(page);
    const workers = await page.evaluate(() => navigator.hardwareConcurrency);
    out.page_sweep = { runs: 1000, wall_s: +(wall / 1000).toFixed(2), longest_task_ms: long, longest_timer_gap_ms: gap, workers: Math.min(8, workers) };
  },
});

if (failed) process.exit(1);
for (const f of fs.readdirSync(dist)) {
  const ext = path.extname(f);
  // the page's own .js and .wasm (not the service worker's or the web worker's script)
  if ((ext !== '.wasm' && ext !== '.js') || !f.startsWith('herdsim-web')) continue;
  const data = fs.readFileSync(path.join(dist, f));
  out[ext.slice(1)] = { raw_kb: +(data.length / 1024).toFixed(1), gzip_kb: +(zlib.gzipSync(data, { level: 9 }).length / 1024).toFixed(1) };
}
out.total_gzip_kb = +((out.wasm?.gzip_kb ?? 0) + (out.js?.gzip_kb ?? 0)).toFixed(1);

const r = out.default_preset_rerun_ms;
// (ONLY=… runs a part: print what was measured)
if (r) console.log(`default preset, re-simulate + redraw: median ${r.median.toFixed(1)} ms (min ${r.min.toFixed(1)}, max ${r.max.toFixed(1)}, ${r.runs} runs)`);
if (out.million_clients_ms) console.log(`1,000,000 clients (herd-no-jitter, ${out.million_clients_events.toLocaleString('en')} events): ${(out.million_clients_ms / 1000).toFixed(2)} s`);
console.log(`playback of the default preset at 1920×1080: ${out.playback_fps} frames/s (each frame moves the cursor and re-renders the playback bar)`);
if (out.million_storm) { const m = out.million_storm; console.log(`1,000,000 clients of retry-storm (${m.events.toLocaleString('en')} events, in a web worker): ${(m.ms / 1000).toFixed(2)} s; longest main-thread task ${longest(m.longest_task_ms)}, longest gap of a 10 ms timer ${m.longest_timer_gap_ms} ms`); }
if (out.page_sweep) { const w = out.page_sweep; console.log(`page sweep of the default preset, 10 × 10 points × 10 seeds on ${w.workers} web workers: ${w.wall_s} s; longest main-thread task ${longest(w.longest_task_ms)}, longest gap of a 10 ms timer ${w.longest_timer_gap_ms} ms`); }
console.log(`wasm ${out.wasm.raw_kb} KB (${out.wasm.gzip_kb} KB gzip), js ${out.js.raw_kb} KB (${out.js.gzip_kb} KB gzip); total gzip ${out.total_gzip_kb} KB`);
fs.mkdirSync(path.join(root, 'target', 'bench'), { recursive: true });
fs.writeFileSync(path.join(root, 'target', 'bench', 'browser.json'), JSON.stringify(out, null, 2) + '\n');
