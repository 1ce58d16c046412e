// Test-only instrumentation of the keystroke benchmark (form.test.mjs), injected into the
// page by the test (page.addInitScript): never part of dist/. It times from a keydown to
// the figures the form announces (`chiso:figures`, app.js), style and layout included:
//   samples      keydown → the edit's total and points (kind `quick`)
//   full         keydown → every figure, on the next frame (kind `full`)
//   refreshWork  the full refresh itself (from its `start`), layout included
window.__chisoPerf = { t0: null, samples: [], full: [], refreshWork: [] };
document.addEventListener('keydown', () => { window.__chisoPerf.t0 = performance.now(); }, true);
document.addEventListener('chiso:figures', (ev) => {
  const p = window.__chisoPerf;
  void document.body.offsetHeight; // style and layout of the update, as the user sees it
  const now = performance.now();
  if (ev.detail.kind === 'full') p.refreshWork.push(now - ev.detail.start);
  if (p.t0 === null || p.t0 === undefined) return;
  if (ev.detail.kind === 'full') {
    p.full.push(now - p.t0);
    p.t0 = null;
  } else {
    p.samples.push(now - p.t0);
  }
});
