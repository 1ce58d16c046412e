// The form's first paint on a slow 3G profile in Chromium (CDP network throttling:
// 400 kbit/s down and up, 400 ms round trip; cache disabled). Prints, in ms from navigation:
//   fcp         first contentful paint (the page's static header and toolbar)
//   form        the criteria tree and its figures drawn (body[data-painted]): the form's
//               WASM module loaded, the index opened, scored and rendered
//   ready       the analysis panels' module loaded as well (body[data-ready])
// and the bytes transferred until each, with the files sent as they are and gzip-encoded (as
// a production server sends them). Not a test (no limit): run after bindings/web/build.sh,
//   node bindings/web/tests/first-paint.mjs [runs] [dist folder]
// Chromium's "Slow 3G" preset is the same profile (400 kbit/s, 400 ms).
import { serve, launch } from './helpers.mjs';

import { resolve } from 'node:path';

function med(xs) {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
}

const runs = Number(process.argv[2] || 3);
const folder = process.argv[3] ? resolve(process.argv[3]) : undefined;
const KBIT = 1000 / 8; // bytes per second per kbit/s
const browser = await launch();
const report = [];
for (const gzip of [false, true]) {
const server = await serve(folder, { gzip });
const results = [];
try {
  for (let i = 0; i < runs; i += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 400, downloadThroughput: 400 * KBIT, uploadThroughput: 400 * KBIT,
    });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
    const mark = {};
    // When app.js sets body[data-painted] and body[data-ready] (ms from navigation start).
    await page.addInitScript(() => {
      new MutationObserver(() => {
        const b = document.body;
        if (!b) return;
        // (A page without data-painted, as before the analysis module, paints when ready.)
        if ((b.dataset.painted || b.dataset.ready) && window.__painted === undefined) window.__painted = Math.round(performance.now());
        if (b.dataset.ready && window.__ready === undefined) window.__ready = Math.round(performance.now());
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-painted', 'data-ready'] });
    });
    await page.goto(server.url, { waitUntil: 'commit' });
    await page.waitForSelector('body[data-painted="true"], body[data-ready="true"]', { timeout: 300000 });
    mark.formBytes = bytes;
    await page.waitForSelector('body[data-ready="true"]', { timeout: 300000 });
    mark.readyBytes = bytes;
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const res = performance.getEntriesByType('resource').map((r) => ({ name: r.name.split('/').pop(), end: Math.round(r.responseEnd) }));
      return { fcp: fcp ? Math.round(fcp.startTime) : null, nav: Math.round(nav.duration), res };
    });
    const when = await page.evaluate(() => ({ form: window.__painted, ready: window.__ready }));
    results.push({ fcp_ms: t.fcp, ...when, form_bytes: mark.formBytes, ready_bytes: mark.readyBytes, resources: t.res });
    await context.close();
  }
} finally {
  await server.close();
}
report.push({
  encoding: gzip ? 'gzip -9' : 'none',
  first_contentful_paint_ms: med(results.map((r) => r.fcp_ms)),
  form_painted_ms: med(results.map((r) => r.form)),
  analysis_ready_ms: med(results.map((r) => r.ready)),
  bytes_until_form_painted: med(results.map((r) => r.form_bytes)),
  bytes_until_ready: med(results.map((r) => r.ready_bytes)),
  runs_ms: results.map((r) => ({ fcp: r.fcp_ms, form: r.form, ready: r.ready })),
  resources_first_run: results[0] && results[0].resources.filter((r) => /wasm|json|app\.js/.test(r.name)),
});
}
await browser.close();
console.log(JSON.stringify({
  profile: 'slow 3G: 400 kbit/s down/up, 400 ms latency, cache disabled (Chromium, CDP Network.emulateNetworkConditions)',
  dist: folder || 'bindings/web/dist',
  runs,
  report,
}, null, 1));
