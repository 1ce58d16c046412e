// The what-if and plan panels of the form in a real browser (system Chromium, headless).
// Every figure is compared with the native CLI: a what-if equals `chiso score` of the
// assessment file with the change written into it, and the plan equals `chiso plan`.
// Run: bash bindings/web/test.sh   (or, with dist/ built: node --test bindings/web/tests/)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  serve, launch, cliScore, roundHalfUp2, normalise, repo, artifacts,
} from './helpers.mjs';

const INDEX = 'criteria/examples/department-example.json';
const ASSESSMENT = 'criteria/examples/department-example.assessment.json';
const example = JSON.parse(readFileSync(join(repo, ASSESSMENT), 'utf8'));
const baseline = cliScore(INDEX, ASSESSMENT);

function cli(args) {
  const bin = process.env.CHISO_BIN || join(repo, 'target', 'release', 'chiso');
  return existsSync(bin)
    ? execFileSync(bin, args, { cwd: repo, encoding: 'utf8' })
    : execFileSync('cargo', ['run', '-q', '--release', '-p', 'chiso-cli', '--', ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** `chiso plan … --format json` (a plan, or with --available the headroom table). */
const cliPlan = (...flags) => JSON.parse(cli(['plan', INDEX, ASSESSMENT, '--format', 'json', ...flags]));

/** Exact difference of two decimal strings (test-side arithmetic, independent of the page). */
function sub(a, b) {
  const scale = Math.max((a.split('.')[1] || '').length, (b.split('.')[1] || '').length);
  const big = (s) => {
    const neg = s.startsWith('-');
    const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
    const v = BigInt(i + f.padEnd(scale, '0'));
    return neg ? -v : v;
  };
  const d = big(a) - big(b);
  const neg = d < 0n;
  const digits = (neg ? -d : d).toString().padStart(scale + 1, '0');
  const out = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return `${neg ? '-' : ''}${out}`;
}

/** Numeric comparison of decimal strings, for "≥ 90". */
function cmp(a, b) {
  const d = sub(a, b);
  return /^-/.test(d) ? -1 : (/[1-9]/.test(d) ? 1 : 0);
}

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  server = await serve();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => d.accept());
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The assessment text of the saved draft (its time stamp aside: a language switch re-saves it). */
const draft = () => page.evaluate(() => {
  const raw = localStorage.getItem(`chiso.draft/${window.chisoForm.def.id}@${window.chisoForm.def.version}`);
  return raw ? JSON.parse(raw).assessment : null;
});
const pageAssessment = () => page.evaluate(() => JSON.parse(window.chisoForm.session.assessment()));

/** The text and exact value of an analysis figure. */
async function fig(locator) {
  return { text: normalise(await locator.textContent()), exact: await locator.getAttribute('data-exact') };
}

async function assertFig(locator, want, what) {
  const f = await fig(locator);
  assert.equal(f.exact, want, `${what}: exact value`);
  assert.equal(f.text, roundHalfUp2(want), `${what}: displayed`);
}

/** Adds a what-if through the panel's controls. */
async function addOverride({ code, action = 'set', layer, kind, fill, reason }) {
  const form = page.locator('#whatif .wi-form');
  await form.locator('[data-part="wi-code"]').selectOption(code);
  await form.locator('[data-part="wi-action"]').selectOption(action);
  if (layer) await form.locator('[data-part="wi-layer"]').selectOption(layer);
  if (kind) await form.locator('[data-part="kind"]').selectOption(kind);
  if (fill) await fill(form.locator('.wi-value'));
  if (reason !== undefined) await form.locator('[data-part="wi-reason"]').fill(reason);
  await page.click('#wi-add');
}

/** The what-if panel shows exactly `chiso score` of `modified` against the baseline. */
async function checkWhatIf(modified, label) {
  const file = join(artifacts, `whatif-${label}.assessment.json`);
  writeFileSync(file, JSON.stringify(modified, null, 2));
  const want = cliScore(INDEX, file);
  const T = page.locator('#wi-totals');
  for (const field of ['achieved', 'applicable_max', 'percent']) {
    await assertFig(T.locator(`[data-an="baseline.${field}"]`), baseline.total[field], `baseline ${field}`);
    await assertFig(T.locator(`[data-an="scenario.${field}"]`), want.total[field], `what-if ${field} (${label})`);
  }
  await assertFig(T.locator('[data-an="delta"]'), sub(want.total.achieved, baseline.total.achieved), `delta (${label})`);
  const band = (b) => (b ? `${b.code} — ${b.label.vi}` : '—');
  assert.equal(await T.locator('[data-an="baseline.band"]').textContent(), band(baseline.total.band));
  assert.equal(await T.locator('[data-an="scenario.band"]').textContent(), band(want.total.band), `what-if band (${label})`);
  // Per-node deltas: exactly the nodes whose points or applicable maximum change.
  const changed = baseline.nodes.filter((n, i) => n.achieved !== want.nodes[i].achieved || n.applicable_max !== want.nodes[i].applicable_max)
    .map((n) => n.code);
  assert.ok(changed.length > 0);
  const rows = page.locator('#wi-nodes tbody tr');
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.dataset.code)), changed, `changed nodes (${label})`);
  for (const code of changed) {
    const b = baseline.nodes.find((n) => n.code === code).achieved;
    const a = want.nodes.find((n) => n.code === code).achieved;
    const row = page.locator(`#wi-nodes tr[data-code="${code}"]`);
    if (b === null) assert.equal((await row.locator('[data-an="before"]').textContent()).trim(), '—');
    else await assertFig(row.locator('[data-an="before"]'), b, `${code} before`);
    if (a === null) assert.equal((await row.locator('[data-an="after"]').textContent()).trim(), '—');
    else await assertFig(row.locator('[data-an="after"]'), a, `${code} after`);
    if (a !== null && b !== null) await assertFig(row.locator('[data-an="delta"]'), sub(a, b), `${code} delta`);
  }
  return want;
}

const clone = (x) => JSON.parse(JSON.stringify(x));

test('what-if: stacked and removed overrides equal `chiso score` of the modified assessment; the draft is untouched', async () => {
  await page.goto(`${server.url}?index=${INDEX}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.click('#load-example');
  await page.waitForFunction(() => document.querySelector('#saved').dataset.savedAt);
  await page.evaluate(() => window.chisoForm.flushSave());
  assert.deepEqual(await pageAssessment(), example);
  const savedDraft = await draft();
  assert.deepEqual(JSON.parse(savedDraft), example);

  await page.click('#whatif > summary');
  assert.equal(await page.locator('#wi-list').textContent(), 'Chưa có giả định nào.');
  // 1.1.4: the default column is the one the final score reads (appraisal round 1).
  await page.locator('#whatif [data-part="wi-code"]').selectOption('1.1.4');
  assert.equal(await page.locator('#whatif [data-part="wi-layer"]').inputValue(), 'appraisal_1');
  // …and the value editor shows that column's value (27/30).
  assert.equal(await page.locator('#whatif .wi-value [data-part="numerator"]').inputValue(), '27');
  await addOverride({ code: '1.1.4', layer: 'appraisal_1', kind: 'percent', fill: (v) => v.locator('.panel[data-kind="percent"] [data-part="num"]').fill('95') });
  const m1 = clone(example);
  m1.entries['1.1.4'].appraisal_1.value = { percent: '95' };
  await checkWhatIf(m1, 'one');

  await addOverride({ code: '1.3', layer: 'appraisal_2', fill: (v) => v.locator('[data-part="num"]').fill('3') });
  await addOverride({ code: '3.3', layer: 'appraisal_1', fill: (v) => v.locator('[data-part="none"]').check() });
  await addOverride({ code: '1.2', action: 'na', reason: 'thử' });
  const m4 = clone(m1);
  m4.entries['1.3'].appraisal_2.value = { points: '3' };
  m4.entries['3.3'].appraisal_1.value = { counts: {} };
  m4.entries['1.2'] = { not_applicable: { reason: 'thử' } };
  assert.equal(await page.locator('#wi-list li').count(), 4);
  await checkWhatIf(m4, 'four');
  await page.locator('#whatif').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'whatif-panel.png') });

  // Removing one (1.3) gives the other three.
  await page.locator('#wi-list li[data-code="1.3"] [data-part="wi-remove"]').click();
  assert.equal(await page.locator('#wi-list li').count(), 3);
  assert.ok(await page.evaluate(() => document.activeElement.dataset.part === 'wi-remove'), 'focus stays in the list');
  const m3 = clone(m4);
  m3.entries['1.3'] = clone(example.entries['1.3']);
  await checkWhatIf(m3, 'three');

  // An override that changes nothing is refused with the engine's message; the list stays.
  await addOverride({ code: '1.1.1', layer: 'appraisal_1', fill: (v) => v.locator('[data-part="option"]').selectOption('late') });
  assert.match(await page.locator('#wi-error').textContent(), /không thay đổi gì/);
  assert.equal(await page.locator('#wi-list li').count(), 3);
  await checkWhatIf(m3, 'three-after-refusal');

  // The form, the saved draft and the exported file are unchanged.
  assert.deepEqual(await pageAssessment(), example);
  await page.evaluate(() => window.chisoForm.flushSave());
  assert.ok(await draft() === savedDraft, 'the saved draft is unchanged');
  assert.deepEqual(JSON.parse(await draft()), example);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const exported = join(artifacts, 'whatif-exported.assessment.json');
  await download.saveAs(exported);
  assert.deepEqual(JSON.parse(readFileSync(exported, 'utf8')), example);
  const total = await page.locator('#totals [data-node="$total"][data-fig="achieved"]').getAttribute('data-exact');
  assert.equal(total, baseline.total.achieved, 'the form\'s own total is the baseline');
  // After a reload the draft is the example, and no what-if is left.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.deepEqual(await pageAssessment(), example);
  assert.equal(await page.locator('#wi-list li').count(), 0);
  await page.click('#whatif > summary');

  // In English, the value labels and headings switch; figures stay the engine's.
  await addOverride({ code: '1.1.4', layer: 'appraisal_1', kind: 'percent', fill: (v) => v.locator('.panel[data-kind="percent"] [data-part="num"]').fill('95') });
  await page.click('#lang-switch');
  assert.match(await page.locator('#whatif summary').textContent(), /What if/);
  assert.match(await page.locator('#wi-list li').textContent(), /1\.1\.4, Appraisal, round 1: 95 %/);
  assert.equal(await page.locator('#wi-totals [data-an="scenario.achieved"]').getAttribute('data-exact'), cliScore(INDEX, join(artifacts, 'whatif-one.assessment.json')).total.achieved);
  await page.click('#lang-switch');
  await page.locator('#wi-list [data-part="wi-remove"]').click();
  assert.deepEqual(pageErrors, []);
});

async function checkPlan(want, lang = 'vi') {
  const R = page.locator('#plan-result');
  const state = want.already_met ? 'met' : (want.reached ? 'reached' : 'unreachable');
  assert.equal(await R.locator('.plan-status').getAttribute('data-state'), state);
  for (const k of ['baseline', 'result']) {
    await assertFig(R.locator(`[data-an="${k}.total"]`), want[k].total, `${k} total`);
    await assertFig(R.locator(`[data-an="${k}.percent"]`), want[k].percent, `${k} percent`);
    const band = await R.locator(`[data-an="${k}.band"]`).textContent();
    assert.ok(band.startsWith(`${want[k].band} — `), `${k} band ${band} vs ${want[k].band}`);
  }
  await assertFig(R.locator('[data-an="required_total"]'), want.required_total, 'required total');
  await assertFig(R.locator('[data-an="cost"]'), want.cost, 'cost');
  if (want.shortfall !== null) await assertFig(R.locator('[data-an="shortfall"]'), want.shortfall, 'shortfall');
  const steps = await R.locator('#plan-steps > li').evaluateAll((els) => els.map((e) => [e.dataset.code, e.querySelector('a').textContent]));
  assert.deepEqual(steps, want.steps.map((s) => [s.code, s.text[lang]]));
}

test('plan to group A equals `chiso plan --target-band A`; percent and unreachable targets; headroom table', async () => {
  const before = await draft();
  await page.click('#plan > summary');
  await page.waitForSelector('#plan-result .plan-status');
  const wantA = cliPlan('--target-band', 'A');
  assert.equal(wantA.reached, true);
  assert.ok(wantA.steps.length > 0);
  assert.equal(wantA.result.band, 'A');
  await checkPlan(wantA);
  const shown = await page.locator('#plan-result [data-an="result.percent"]').getAttribute('data-exact');
  assert.ok(cmp(shown, '90') >= 0, `reached percent ${shown} ≥ 90`);
  // The headroom table: the CLI's rows in its order, with its figures.
  const hr = cliPlan('--available');
  const rows = page.locator('#headroom-table tbody tr');
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.dataset.code)), hr.rows.map((r) => r.code));
  for (const r of hr.rows) {
    const row = page.locator(`#headroom-table tr[data-code="${r.code}"]`);
    for (const k of ['points', 'max', 'available', 'total_available']) await assertFig(row.locator(`[data-an="${k}"]`), r[k], `${r.code} ${k}`);
    if (r.next) assert.equal(await row.locator('td.next').textContent(), r.next.action.vi);
  }

  // In English: the same plan in the criteria's English words.
  await page.click('#lang-switch');
  await page.waitForSelector('#plan[open] #plan-result .plan-status');
  await checkPlan(wantA, 'en');
  await page.click('#lang-switch');

  // A percent target, typed with a decimal comma.
  await page.locator('#plan [data-part="plan-target"]').selectOption('percent');
  await page.locator('#plan [data-part="plan-value"]').fill('85,5');
  await page.click('#plan-run');
  await checkPlan(cliPlan('--target', '85.5'));
  // Unreachable: the shortfall.
  await page.locator('#plan [data-part="plan-value"]').fill('99');
  await page.locator('#plan [data-part="plan-value"]').press('Enter');
  const want99 = cliPlan('--target', '99');
  assert.equal(want99.reached, false);
  await checkPlan(want99);
  assert.match(await page.locator('#plan-result .plan-status').textContent(), /Không thể đạt mục tiêu/);
  assert.doesNotMatch(await page.locator('#plan-result').textContent(), /null|undefined|NaN/);
  // Points, and the band already held.
  await page.locator('#plan [data-part="plan-target"]').selectOption('points');
  await page.locator('#plan [data-part="plan-value"]').fill('80');
  await page.click('#plan-run');
  await checkPlan(cliPlan('--target-points', '80'));
  await page.locator('#plan [data-part="plan-target"]').selectOption('band:C');
  await page.click('#plan-run');
  await checkPlan(cliPlan('--target-band', 'C'));
  assert.equal(await page.locator('#plan-result .plan-status').getAttribute('data-state'), 'met');
  assert.equal(await page.locator('#plan-steps').count(), 0);
  assert.doesNotMatch(await page.locator('#plan-result').textContent(), /null|undefined|NaN/);
  // A bad value is refused at entry.
  await page.locator('#plan [data-part="plan-target"]').selectOption('percent');
  await page.locator('#plan [data-part="plan-value"]').fill('abc');
  await page.click('#plan-run');
  assert.match(await page.locator('#plan-error').textContent(), /Không phải số hợp lệ/);

  assert.ok(await draft() === before, 'planning never touches the saved draft');
  assert.deepEqual(await pageAssessment(), example);
  await page.evaluate(() => document.querySelector('#analysis').scrollIntoView());
  await page.screenshot({ path: join(artifacts, 'analysis-panels.png') });
  assert.deepEqual(pageErrors, []);
});

test('the panels follow the form: an edit changes the plan\'s baseline; keyboard labels; hidden in print', async () => {
  // Every control in the panels has a label.
  const unlabeled = await page.$$eval('#analysis input, #analysis select', (els) => els
    .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(unlabeled, []);
  // Keyboard: open the what-if panel and add an override without the mouse.
  await page.locator('#whatif > summary').focus();
  if (!(await page.locator('#whatif').evaluate((d) => d.open))) await page.keyboard.press('Enter');
  await page.locator('#whatif [data-part="wi-code"]').focus();
  await page.locator('#whatif [data-part="wi-code"]').selectOption('1.4');
  assert.equal(await page.locator('#whatif [data-part="wi-layer"]').inputValue(), 'appraisal_1');
  await page.locator('#whatif [data-part="wi-code"]').focus();
  await page.keyboard.press('Tab'); // the change
  await page.keyboard.press('Tab'); // the column
  await page.keyboard.press('Tab'); // the value
  assert.equal(await page.evaluate(() => document.activeElement.closest('.wi-value') !== null), true);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('5');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'wi-add');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#wi-list li').count(), 1);
  const m = clone(example);
  m.entries['1.4'].appraisal_1.value = { number: '5' };
  await checkWhatIf(m, 'keyboard');
  // The user edits the form itself: the what-if baseline follows.
  await page.locator('.layer[data-code="1.3"][data-layer="appraisal_2"] [data-part="num"]').fill('3');
  await page.waitForFunction(() => !window.chisoForm.refreshPending);
  await page.evaluate(() => window.chisoForm.flushSave());
  const edited = await pageAssessment();
  const file = join(artifacts, 'whatif-edited.assessment.json');
  writeFileSync(file, JSON.stringify(edited));
  const now = cliScore(INDEX, file);
  assert.equal(await page.locator('#wi-totals [data-an="baseline.achieved"]').getAttribute('data-exact'), now.total.achieved);
  const mm = clone(edited);
  mm.entries['1.4'].appraisal_1.value = { number: '5' };
  writeFileSync(file, JSON.stringify(mm));
  assert.equal(await page.locator('#wi-totals [data-an="scenario.achieved"]').getAttribute('data-exact'), cliScore(INDEX, file).total.achieved);
  await page.waitForFunction(() => !window.chisoForm.analysis.planTimer); // the plan follows shortly after typing
  // (the planner writes decimals normalised: 69.82 for the score's 69.820)
  const planBase = await page.locator('#plan-result [data-an="baseline.total"]').getAttribute('data-exact');
  assert.equal(cmp(planBase, now.total.achieved), 0, `plan baseline ${planBase} = ${now.total.achieved}`);
  assert.notEqual(cmp(planBase, baseline.total.achieved), 0, 'the plan follows the edit');
  // Print: the panels are not part of the score sheet.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#analysis').isVisible(), false);
  assert.ok(await page.locator('#print-sheet').isVisible());
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(pageErrors, []);
});
