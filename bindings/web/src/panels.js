// The records (QĐ 766) and SIPAS panels of the page, beside the self-assessment form.
// Their engine (chiso_records) is a second WASM module, loaded on first use.
import { createRecordsPanel } from './records-panel.js';
import { createSurveyPanel } from './survey-panel.js';

async function start() {
  let manifest = {};
  try {
    const r = await fetch('criteria-list.json');
    if (r.ok) manifest = await r.json();
  } catch (_) { /* opened without a manifest: the file inputs still work */ }
  window.chisoPanels = { records: createRecordsPanel(manifest), survey: createSurveyPanel(manifest) };
  document.body.dataset.panels = 'ready';
}

start();
