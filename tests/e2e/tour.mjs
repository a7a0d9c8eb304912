// The presenter in headless Chromium: the whole shipped tour walked with the keyboard at
// 1920×1080 (every step's narration and charts, no console error, no chart whose SVG export
// has clipped or overlapping text; a screenshot of every step under target/e2e/tour/),
// an intervention at the cursor checked against the CLI's run of the same fault written in
// the scenario, step links, and the phone layout.
import { run, assert, shots, shotAt } from './harness.mjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const tourShots = path.join(shots, 'tour');
fs.mkdirSync(tourShots, { recursive: true });
const tour = JSON.parse(fs.readFileSync(path.join(root, 'static/tours/handling-failures.json'), 'utf8'));

// ---- the text layout of an SVG chart (as tests/integration/charts.rs checks it natively)
const PAGE_FONT = 1.24; // the SVG backend writes the size plotters asked for / 1.24
const GLYPH = 0.64; // a conservative glyph width (em)
const attr = (tag, name) => (tag.match(new RegExp(` ${name}="([^"]*)"`)) ?? [])[1];
const numAttr = (tag, name) => Number(attr(tag, name) ?? 0);
function texts(svg) {
  const out = [];
  for (const part of svg.split('<text').slice(1)) {
    const i = part.indexOf('>');
    const tag = part.slice(0, i);
    const text = part.slice(i + 1, part.indexOf('</text>')).trim()
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    if (!text) continue;
    const size = numAttr(tag, 'font-size') * PAGE_FONT;
    const x = numAttr(tag, 'x'), y = numAttr(tag, 'y');
    const w = [...text].length * GLYPH * size;
    const anchor = attr(tag, 'text-anchor');
    const x0 = anchor === 'middle' ? x - w / 2 : anchor === 'end' ? x - w : x;
    const dy = attr(tag, 'dy');
    const y0 = dy === '0.76em' ? y : dy === '0.5ex' ? y - size / 2 : y - size;
    let b = [x0, y0, x0 + w, y0 + size];
    const t = attr(tag, 'transform') ?? '';
    if (t.startsWith('rotate(270') || t.startsWith('rotate(90')) {
      const [a0, a1, a2, a3] = [b[0] - x, b[1] - y, b[2] - x, b[3] - y];
      b = t.startsWith('rotate(270') ? [x + a1, y - a2, x + a3, y - a0] : [x - a3, y + a0, x - a1, y + a2];
    }
    out.push({ text, size, b });
  }
  return out;
}
function layoutProblems(svg) {
  const tag = svg.slice(svg.indexOf('<svg'));
  const W = numAttr(tag, 'width'), H = numAttr(tag, 'height');
  const t = texts(svg);
  const out = [];
  t.forEach((a, i) => {
    if (a.b[0] < -0.5 || a.b[1] < -0.5 || a.b[2] > W + 0.5 || a.b[3] > H + 0.5) out.push(`“${a.text}” runs off the ${W}×${H} chart`);
    for (const c of t.slice(i + 1)) {
      if (a.b[0] < c.b[2] && c.b[0] < a.b[2] && a.b[1] < c.b[3] && c.b[1] < a.b[3]) out.push(`“${a.text}” overlaps “${c.text}”`);
    }
  });
  return { out, texts: t };
}

async function svgOf(page, canvasId) {
  const [d] = await Promise.all([
    page.waitForEvent('download'),
    // the slide hides the figure's buttons: press the one that is there anyway
    page.evaluate((id) => document.querySelector(`#${id} + figcaption button:last-child`).click(), canvasId),
  ]);
  return fs.readFileSync(await d.path(), 'utf8');
}

async function ready(page, step) {
  await page.waitForSelector(`#presenter[data-step="${step}"][data-ready="true"]`, { timeout: 120000 });
  await page.waitForFunction(() => {
    const cs = [...document.querySelectorAll('.slide-charts canvas')];
    return cs.length > 0 && cs.every((c) => c.dataset.drawn && c.dataset.drawn !== '0');
  }, null, { timeout: 60000 });
}

const failed = await run({
  'the whole tour, walked with the keyboard at 1920×1080': async (page, url) => {
    await page.goto(`${url}#tour=handling-failures&step=1`);
    for (let n = 1; n <= tour.steps.length; n++) {
      const step = tour.steps[n - 1];
      await page.waitForSelector(`#presenter[data-step="${n}"]`, { timeout: 60000 });
      assert((await page.textContent('#slide-title')) === step.title, `step ${n}: its title`);
      if (step.question) {
        assert((await page.textContent('#slide-question')).includes(step.question), `step ${n}: asks its question first`);
        assert(!(await page.$('#slide-narration')), `step ${n}: the narration (the answer) waits for the question`);
        await page.screenshot({ path: path.join(tourShots, `step-${String(n).padStart(2, '0')}-question.png`) });
        await page.keyboard.press(n % 2 ? ' ' : 'PageDown'); // reveal: Space, or a remote's Page Down
      }
      await ready(page, n);
      assert((await page.textContent('#slide-narration')) === step.narration, `step ${n}: its narration`);
      const px = (sel) => page.$eval(sel, (el) => parseFloat(getComputedStyle(el).fontSize));
      assert(await px('#slide-narration') >= 28, `step ${n}: narration ≥ 28 px (${await px('#slide-narration')})`);
      assert(await px('#slide-title') >= 40, `step ${n}: title ≥ 40 px`);
      assert(await page.evaluate(() => location.hash) === `#tour=handling-failures&step=${n}`, `step ${n}: the address is its link`);
      // its charts: one canvas per chart, two (A and B) for a pair's per-run charts
      const ids = await page.$$eval('.slide-charts canvas', (cs) => cs.map((c) => c.id));
      // the clients' raster is shown live, as the grid of sampled clients
      const charts = step.charts.filter((k) => k !== 'raster');
      const want = charts.map((k) => (step.b && !k.includes('overlay') ? 2 : 1)).reduce((a, b) => a + b, 0);
      assert(ids.length === want, `step ${n}: ${want} charts, got ${ids.join(' ')}`);
      for (const k of charts) assert(ids.some((id) => id.startsWith(`chart-${k}-`)), `step ${n}: shows ${k}`);
      const grids = await page.locator('.slide-body .client-grid').count();
      assert(grids === (step.charts.includes('raster') ? (step.b ? 2 : 1) : 0), `step ${n}: ${grids} client grids`);
      // it plays from the start
      await page.waitForFunction(() => document.querySelector('#playback').dataset.cursorMs !== undefined);
      for (const id of ids) {
        const svg = await svgOf(page, id);
        const { out, texts: t } = layoutProblems(svg);
        assert(out.length === 0, `step ${n}, ${id}: ${out.join('; ')}`);
        const sizes = t.map((x) => x.size);
        assert(Math.max(...sizes) >= 28, `step ${n}, ${id}: a title ≥ 28 px (${Math.max(...sizes)})`);
      }
      await page.waitForTimeout(1500); // a moment into the playback
      await page.screenshot({ path: path.join(tourShots, `step-${String(n).padStart(2, '0')}.png`) });
      if (n < tour.steps.length) {
        // whatever was clicked last: the speed menu, the scrub slider
        await page.locator(n % 2 ? '#play-speed' : '#play-scrub').focus();
        await page.keyboard.press(['ArrowRight', 'PageDown', '.', ' '][n % 4]);
      }
    }
    // back and forth
    await page.keyboard.press('PageUp');
    await page.waitForSelector(`#presenter[data-step="${tour.steps.length - 1}"]`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`#presenter[data-step="${tour.steps.length - 2}"]`);
    // `b` blacks the screen and back; `?` lists the presenter's keys; Esc explores the step
    await page.keyboard.press('b');
    await page.waitForSelector('#slide-blank');
    await page.keyboard.press('b');
    await page.waitForSelector('#slide-blank', { state: 'detached' });
    await page.keyboard.press('?');
    const rows = await page.$$eval('#key-list tr', (rs) => rs.map((r) => r.textContent));
    for (const k of ['→', 'Page Down', 'Space', '.', '←', 'Page Up', 'p', '-', '+', '1', '4', 'u', 'f', 'b', 'Esc', '?']) {
      assert(rows.some((r) => r.includes(k)), `the presenter's keys name ${k}: ${rows.join(' | ')}`);
    }
    assert(!rows.some((r) => r.includes('Compare')), 'no workbench key in the presenter’s list');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#key-list', { state: 'detached' });
    await page.keyboard.press('Escape');
    await page.waitForSelector('main[data-mode="workbench"] #summary');
    const name = await page.$eval('#preset', (s) => s.value);
    assert(name === tour.steps[tour.steps.length - 3].scenario.preset, `explore from here: ${name}`);
    // the workbench's playback takes the keys over from the presenter's
    await page.keyboard.press('p');
    await page.waitForSelector('#playback[data-playing="true"]', { timeout: 5000 });
  },

  'an intervention at the cursor is the run of the same fault written in the scenario': async (page, url) => {
    await page.goto(`${url}#tour=handling-failures&step=4`);
    await page.waitForSelector('#slide-question');
    await page.keyboard.press('ArrowRight');
    await ready(page, 4);
    await page.keyboard.press('p'); // pause
    await page.evaluate(() => {
      const el = document.querySelector('#play-scrub');
      el.value = '30000';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.waitForSelector('#playback[data-cursor-ms="30000"]');
    await page.keyboard.press('1'); // down, from the cursor to the end
    await page.waitForSelector('#presenter[data-pulls="1"]');
    assert((await page.textContent('#slide-said')) === 'service down at 30 s', await page.textContent('#slide-said'));
    assert(await page.evaluate(() => location.hash) === '#tour=handling-failures&step=4&do=down@30000', 'the link holds it');
    await page.waitForSelector('main[data-status="done"]');
    await page.waitForFunction(() => document.querySelector('#playback').dataset.cursorMs === '30000', null, { timeout: 30000 });
    await page.screenshot({ path: path.join(tourShots, 'intervention-down-at-30s.png') });
    // Esc: the workbench holds the intervention as a fault of the scenario
    await page.keyboard.press('Escape');
    await page.waitForSelector('main[data-mode="workbench"][data-status="done"] #summary');
    const [d] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const page_ = JSON.parse(fs.readFileSync(await d.path(), 'utf8'));
    const f = page_.scenario.faults.at(-1);
    assert(f.type === 'down' && f.start_ms === 30000 && f.end_ms === 60000, `the export lists it: ${JSON.stringify(page_.scenario.faults)}`);
    const cli = path.join(root, 'target', 'debug', 'herdsim');
    // the preset's faults and, written by hand, the same outage
    const faults = JSON.parse(execFileSync(cli, ['show', 'herd-no-jitter']).toString()).faults;
    faults.push({ type: 'down', start_ms: 30000, end_ms: 60000 });
    const out = JSON.parse(execFileSync(cli, ['run', '--preset', 'herd-no-jitter', '--format', 'json',
      '--set', `faults=${JSON.stringify(faults)}`]).toString());
    for (const k of ['requests', 'succeeded', 'attempts', 'downtime_ms', 'availability']) {
      assert(JSON.stringify(page_.summary[k]) === JSON.stringify(out[k]), `${k}: page ${page_.summary[k]}, CLI ${out[k]}`);
    }
    const plain = JSON.parse(execFileSync(cli, ['run', '--preset', 'herd-no-jitter', '--format', 'json']).toString());
    assert(plain.succeeded > out.succeeded, `the intervention changed the run (${plain.succeeded} → ${out.succeeded})`);
    // undo and rewind in the presenter, from the link
    await page.goto(`${url}#tour=handling-failures&step=4&do=down@30000,down@40000`);
    await page.waitForSelector('#presenter[data-pulls="2"]');
    assert((await page.textContent('#slide-said')) === 'service back at 40 s', 'the link replays both');
    await page.keyboard.press('ArrowRight');
    await ready(page, 4);
    await page.keyboard.press('u');
    await page.waitForSelector('#presenter[data-pulls="1"]');
    await page.keyboard.press('r');
    await page.waitForSelector('#presenter[data-pulls="0"]');
    assert(await page.evaluate(() => location.hash) === '#tour=handling-failures&step=4', 'rewound');
  },

  'bad tour links say what is wrong and open the workbench': async (page, url) => {
    for (const [link, want] of [
      ['#tour=handling-failures&step=99', 'step = 99'],
      ['#tour=nope&step=1', 'There is no tour “nope”'],
      ['#tour=handling-failures&step=4&do=up@5', 'do = "up@5"'],
    ]) {
      await page.goto(`${url}${link}`);
      await page.waitForSelector('main[data-mode="workbench"] #notice');
      const text = await page.textContent('#notice');
      assert(text.includes(want), `${link}: ${text}`);
      await page.goto('about:blank');
    }
  },

  'a step on a phone and the Present button': async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('main[data-status="done"] #summary', { timeout: 120000 });
    await page.click('#present');
    await page.waitForSelector('#presenter[data-step="1"]');
    await page.keyboard.press('ArrowRight');
    await ready(page, 1);
    await page.waitForTimeout(1000);
    await shotAt(page, 'tour/step-01-phone', 390, 844);
    await page.screenshot({ path: path.join(tourShots, 'step-01-phone-full.png'), fullPage: true });
  },
}, { viewport: { width: 1920, height: 1080 } });
process.exit(failed ? 1 : 0);
