// The plan panel never shows a plan beside a target it was not made for (issue 12): while
// the target fields hold another target — being typed, empty or not a number — the plan
// on screen is dimmed and a notice names the target it was made for; a valid run makes a
// fresh plan (equal to `chiso plan`) and removes the mark. System Chromium, headless.
// Run: bash bindings/web/test.sh   (or, with dist/ built: node --test bindings/web/tests/plan-stale.test.mjs)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { serve, launch, repo, artifacts } from './helpers.mjs';

const INDEX = 'criteria/examples/department-example.json';
const ASSESSMENT = 'criteria/examples/department-example.assessment.json';
const example = JSON.parse(readFileSync(join(repo, ASSESSMENT), 'utf8'));

function cli(args) {
  const bin = process.env.CHISO_BIN || join(repo, 'target', 'release', 'chiso');
  return existsSync(bin)
    ? execFileSync(bin, args, { cwd: repo, encoding: 'utf8' })
    : execFileSync('cargo', ['run', '-q', '--release', '-p', 'chiso-cli', '--', ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** The steps of `chiso plan … --format json` for `flags`, as [code, Vietnamese text]. */
const cliSteps = (...flags) => JSON.parse(cli(['plan', INDEX, ASSESSMENT, '--format', 'json', ...flags]))
  .steps.map((s) => [s.code, s.text.vi]);

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  server = await serve();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => d.accept());
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const result = () => page.locator('#plan-result');
const note = () => page.locator('#plan-stale');
const shownSteps = () => page.locator('#plan-steps > li')
  .evaluateAll((els) => els.map((e) => [e.dataset.code, e.querySelector('a').textContent]));

/** Whether the plan on screen is marked stale (the mark, the notice and the dimming agree). */
async function stale() {
  const marked = (await result().getAttribute('data-stale')) === 'true';
  const dimmed = await result().evaluate((e) => e.classList.contains('stale') && getComputedStyle(e).opacity < 1);
  const shown = await note().isVisible();
  assert.equal(dimmed, marked, 'dimmed exactly when marked');
  assert.equal(shown, marked, 'the notice shows exactly when marked');
  return marked;
}

test('an invalid or unrun target marks the plan on screen stale, naming its target; a valid run replaces it', async () => {
  await page.goto(`${server.url}?index=${INDEX}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.click('#load-example');
  await page.waitForFunction(() => document.querySelector('#saved').dataset.savedAt);

  // Opening the panel plans for the first band: the plan for group A, fresh.
  await page.click('#plan > summary');
  await page.waitForSelector('#plan-result .plan-status');
  const planA = cliSteps('--target-band', 'A');
  assert.ok(planA.length > 0);
  assert.deepEqual(await shownSteps(), planA);
  assert.equal(await stale(), false);

  // A value that is not a number: refused, and the group-A plan beside it is marked as
  // made for group A, not for the value entered (before the fix it stayed unmarked and
  // kept following the form as if it answered the new target).
  const target = page.locator('#plan [data-part="plan-target"]');
  const value = page.locator('#plan [data-part="plan-value"]');
  await target.selectOption('percent');
  await value.fill('abc');
  await page.click('#plan-run');
  assert.match(await page.locator('#plan-error').textContent(), /Không phải số hợp lệ/);
  assert.equal(await value.getAttribute('aria-invalid'), 'true');
  assert.equal(await stale(), true);
  const text = await note().textContent();
  assert.match(text, /mục tiêu trước: Xếp loại Nhóm A \(từ 90% trở lên\), không phải/);
  assert.match(text, /Lập kế hoạch/);
  assert.deepEqual(await shownSteps(), planA, 'the marked plan is still the group-A plan');
  await page.evaluate(() => document.querySelector('#plan').scrollIntoView());
  await page.screenshot({ path: join(artifacts, 'plan-stale-marked.png') });

  // An empty value: the other message, still marked.
  await value.fill('');
  await page.click('#plan-run');
  assert.match(await page.locator('#plan-error').textContent(), /Nhập mức cần đạt/);
  assert.equal(await stale(), true);

  // An edit of the form while marked: the plan (still for group A) follows the edit and
  // stays marked.
  await page.locator('.layer[data-code="1.3"][data-layer="appraisal_2"] [data-part="num"]').fill('3');
  await page.waitForFunction(() => !window.chisoForm.refreshPending);
  await page.waitForFunction(() => !window.chisoForm.analysis.planTimer);
  assert.equal(await stale(), true);
  await page.locator('.layer[data-code="1.3"][data-layer="appraisal_2"] [data-part="num"]').fill('2,75');
  await page.waitForFunction(() => !window.chisoForm.refreshPending);
  await page.waitForFunction(() => !window.chisoForm.analysis.planTimer);
  assert.deepEqual(await page.evaluate(() => JSON.parse(window.chisoForm.session.assessment())), example);

  // A language switch draws the panel again with the fields of the plan on screen: fresh.
  await page.click('#lang-switch');
  await page.waitForSelector('#plan[open] #plan-result .plan-status');
  assert.equal(await target.inputValue(), 'band:A');
  assert.equal(await stale(), false);
  // In English the notice is English.
  await target.selectOption('points');
  await value.fill('x');
  await page.click('#plan-run');
  assert.equal(await stale(), true);
  assert.match(await note().textContent(), /made for the previous target: Band Group A \(90% and above\), not/);
  await page.click('#lang-switch');
  await page.waitForSelector('#plan[open] #plan-result .plan-status');

  // A valid value typed but not yet run: still marked (the plan is not for 85,5 yet).
  await target.selectOption('percent');
  await value.fill('85,5');
  assert.equal(await stale(), true);
  // Run: a fresh plan for 85.5 %, equal to the CLI's, no mark, no error.
  await value.press('Enter');
  await page.waitForFunction(() => document.querySelector('#plan-result').dataset.stale === undefined);
  assert.deepEqual(await shownSteps(), cliSteps('--target', '85.5'));
  assert.equal(await stale(), false);
  assert.equal(await page.locator('#plan-error').isVisible(), false);
  assert.equal(await value.getAttribute('aria-invalid'), null);

  // Choosing another target in the list marks it again; choosing back the same one clears it.
  await target.selectOption('band:B');
  assert.equal(await stale(), true);
  await target.selectOption('percent');
  assert.equal(await stale(), false, '85,5 % is the target of the plan shown');

  await page.screenshot({ path: join(artifacts, 'plan-stale.png') });
  assert.deepEqual(pageErrors, []);
});
