// End-to-end tests of the built page (run by `make test`; screenshots in target/e2e/).
import path from 'node:path';
import { run, inked, assert, shots } from './harness.mjs';

async function runPreset(page, name) {
  await page.selectOption('#preset', name);
  await page.click('#run');
  await page.waitForSelector('main[data-status="done"]', { timeout: 60000 });
}

await run({
  'page runs a preset and draws the herd chart': async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('#run');
    assert((await page.locator('#preset option').count()) === 10, 'ten presets in the menu');
    await runPreset(page, 'herd-no-jitter');
    const ink = await inked(page, '#chart');
    assert(ink > 5000, `chart canvas looks blank (${ink} inked pixels)`);
    const requests = await page.textContent('td[data-field="requests"]');
    assert(requests === '2000', `summary shows 2000 requests, got ${requests}`);
    await page.screenshot({ path: path.join(shots, 'first-page-herd-no-jitter.png'), fullPage: true });
  },

  'the largest preset runs in chunks and the page stays responsive': async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('#run');
    // measure the longest gap between timer ticks while the run goes on
    await page.evaluate(() => {
      window.__statuses = [];
      new MutationObserver(() => window.__statuses.push(document.querySelector('main').dataset.status))
        .observe(document.querySelector('main'), { attributes: true, attributeFilter: ['data-status'] });
      window.__progress = 0;
      new MutationObserver(() => { if (document.querySelector('#progress')) window.__progress++; })
        .observe(document.body, { subtree: true, childList: true, attributes: true });
      window.__gaps = [];
      let last = performance.now();
      window.__tick = setInterval(() => { const t = performance.now(); window.__gaps.push(t - last); last = t; }, 10);
    });
    await page.selectOption('#preset', 'retry-storm');
    await page.click('#run');
    await page.waitForSelector('main[data-status="done"]', { timeout: 60000 });
    const statuses = await page.evaluate(() => window.__statuses);
    assert(statuses[0] === 'running' && statuses.at(-1) === 'done', `status went ${statuses}`);
    assert((await page.evaluate(() => window.__progress)) > 1, 'a progress bar was shown and updated');
    const worst = await page.evaluate(() => { clearInterval(window.__tick); return Math.max(...window.__gaps); });
    assert(worst < 500, `page froze for ${worst.toFixed(0)} ms during the run`);
    assert((await inked(page, '#chart')) > 5000, 'chart drawn');
    await page.screenshot({ path: path.join(shots, 'first-page-retry-storm.png'), fullPage: true });
    console.log(`     longest main-thread gap during retry-storm: ${worst.toFixed(0)} ms`);
  },
});
