// Shared helpers of the browser tests: a static server for dist/, the system Chromium
// (never downloaded), the native CLI's results, decimal rounding for comparisons and
// a synthetic index for the keystroke benchmark.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join, extname, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..', '..', '..');
export const dist = join(here, '..', 'dist');
export const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** Serves dist/ on a free port of 127.0.0.1; with `gzip`, compressible files (.html, .js,
 *  .css, .json, .wasm) are sent gzip-encoded to a client that accepts it, as a production
 *  server would. */
export async function serve(dir = dist, { gzip = false } = {}) {
  if (!existsSync(join(dir, 'index.html')) || !existsSync(join(dir, 'chiso_wasm_bg.wasm'))) {
    throw new Error(`${dir} is not built: run bash bindings/web/build.sh (or bindings/web/test.sh)`);
  }
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(dir, path));
      if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      let body = await readFile(file);
      const headers = { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' };
      if (gzip && /gzip/.test(req.headers['accept-encoding'] || '') && ['.html', '.js', '.mjs', '.css', '.json', '.wasm'].includes(extname(file))) {
        body = gzipSync(body, { level: 9 });
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The system Chromium, headless. */
export function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH); the tests never download a browser`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/** `chiso score <index> <assessment> --format json --layer <view>` from the native CLI. */
export function cliScore(index, assessment, view = 'final') {
  const args = ['score', index, assessment, '--format', 'json', '--layer', view];
  const bin = process.env.CHISO_BIN || join(repo, 'target', 'release', 'chiso');
  const out = existsSync(bin)
    ? execFileSync(bin, args, { cwd: repo, encoding: 'utf8' })
    : execFileSync('cargo', ['run', '-q', '--release', '-p', 'chiso-cli', '--', ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

/** The native CLI's path ($CHISO_BIN, else the release build test.sh makes). */
export function cliBin() {
  const bin = process.env.CHISO_BIN || join(repo, 'target', 'release', 'chiso');
  if (!existsSync(bin)) execFileSync('cargo', ['build', '-q', '--release', '-p', 'chiso-cli'], { cwd: repo, stdio: 'inherit' });
  return bin;
}

/** `chiso <args>` from the repository root: standard output (throws on a non-zero exit). */
export function cli(args) {
  return execFileSync(cliBin(), args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** `chiso <args> --format json`, parsed. */
export function cliJson(args) {
  return JSON.parse(cli([...args, '--format', 'json']));
}

/** `chiso <args>` expected to fail: its exit status and standard-error lines. */
export function cliFail(args) {
  const r = spawnSync(cliBin(), args, { cwd: repo, encoding: 'utf8' });
  return { status: r.status, lines: r.stderr.trim().split('\n') };
}

/** `100 × n / d` rounded half up to 2 places, with BigInt only (independent of the engine). */
export function ratio2(n, d) {
  const scaled = (BigInt(n) * 100n * 1000n) / BigInt(d); // 3 decimals, truncated
  const s = scaled.toString().padStart(4, '0');
  return roundHalfUp2(`${s.slice(0, -3)}.${s.slice(-3)}`);
}

/** A displayed figure in the page's Vietnamese form: "16.67" → "16,67". */
export function vi(s) {
  return s.replace('.', ',').replace('-', '−');
}

/** Rounds an exact decimal string to 2 places, half away from zero (independent of the page's code). */
export function roundHalfUp2(s) {
  if (s === null || s === undefined) return null;
  const neg = s.startsWith('-');
  const [ip, fp = ''] = (neg ? s.slice(1) : s).split('.');
  const scaled = BigInt(ip) * 1000n + BigInt((fp + '000').slice(0, 3));
  const r = (scaled + 5n) / 10n; // half up on the magnitude
  const whole = r / 100n;
  const frac = (r % 100n).toString().padStart(2, '0');
  return `${neg && r !== 0n ? '-' : ''}${whole}.${frac}`;
}

/** The text of a displayed figure, normalised: "−8,75" → "-8.75", "74,81 %" → "74.81". */
export function normalise(text) {
  return text.replace(/\s|%|\+/g, '').replace('−', '-').replace(',', '.');
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A SYNTHETIC index (not a real criteria set) with `areas` × `perArea` leaves and mixed
 * rules, for the keystroke benchmark only.
 */
export function syntheticIndex(areas = 10, perArea = 15) {
  const kinds = ['timeliness', 'yes_no', 'levels', 'tiers_percent', 'proportional', 'deductions', 'discretionary', 'tiers_count', 'conditions', 'survey'];
  const L = (s) => ({ vi: s, en: s });
  const nodes = [];
  let total = 0;
  let k = 0;
  for (let a = 1; a <= areas; a += 1) {
    const children = [];
    let sum = 0;
    for (let i = 1; i <= perArea; i += 1) {
      const kind = kinds[k % kinds.length];
      k += 1;
      const max = (k % 3) + 1;
      sum += max;
      const code = `${a}.${i}`;
      const node = { code, title: L(`Synthetic criterion ${code} (${kind})`), max_points: String(max),
        scoring_text: L(`synthetic ${kind}`) };
      const pts = (p) => String(p);
      switch (kind) {
        case 'timeliness':
          node.rule = { type: 'timeliness', on_time: { label: L('on time'), points: pts(max) }, late: { label: L('late'), percent_of_max: '50' }, not_done: { label: L('not done'), points: '0' } };
          break;
        case 'yes_no':
          node.rule = { type: 'yes_no', yes: { label: L('yes'), points: pts(max) }, no: { label: L('no'), points: '0' } };
          break;
        case 'conditions':
          node.rule = { type: 'yes_no', conditions: [{ key: 'a', label: L('a') }, { key: 'b', label: L('b') }], yes: { label: L('both'), points: pts(max) }, no: { label: L('not both'), points: '0' } };
          break;
        case 'levels':
          node.rule = { type: 'levels', levels: [{ key: 'good', label: L('good'), percent_of_max: '100' }, { key: 'fair', label: L('fair'), percent_of_max: '50' }, { key: 'poor', label: L('poor'), points: '0' }] };
          break;
        case 'tiers_percent':
          node.rule = { type: 'tiers', measure: 'percent', tiers: [
            { range: { from: { value: '90', inclusive: false } }, label: L('> 90%'), percent_of_max: '100' },
            { range: { from: { value: '50', inclusive: true }, to: { value: '90', inclusive: true } }, label: L('50–90%'), percent_of_max: '50' },
            { range: { to: { value: '50', inclusive: false } }, label: L('< 50%'), points: '0' }] };
          break;
        case 'tiers_count':
          node.rule = { type: 'tiers', measure: 'count', tiers: [
            { range: { from: { value: '2', inclusive: true } }, label: L('2+'), percent_of_max: '100' },
            { range: { to: { value: '2', inclusive: false } }, label: L('< 2'), points: '0' }] };
          break;
        case 'proportional':
          node.rule = { type: 'proportional', threshold_percent: '90', zero_denominator: 'zero', numerator: L('n'), denominator: L('d') };
          break;
        case 'deductions':
          node.rule = { type: 'deductions', severities: [{ key: 'minor', label: L('minor'), percent_of_max: '25' }, { key: 'major', label: L('major'), percent_of_max: '100' }] };
          break;
        case 'discretionary':
          node.rule = { type: 'discretionary', step: '0.25' };
          break;
        case 'survey':
          node.channel = 'survey';
          node.rule = { type: 'survey', options: [{ key: 'A', percent: '100' }, { key: 'B', percent: '60' }, { key: 'C', percent: '20' }, { key: 'D', percent: '0' }] };
          break;
        default:
          throw new Error(kind);
      }
      children.push(node);
    }
    total += sum;
    nodes.push({ code: String(a), title: L(`Synthetic area ${a}`), max_points: String(sum), children });
  }
  return {
    format: 'chiso.index/1',
    id: 'synthetic-150-leaves',
    title: L('SYNTHETIC 150-leaf index (generated by the browser test; not a real criteria set)'),
    version: 'synthetic-1',
    legal_basis: [{ decision: 'SYNTHETIC — none (generated test data)', date: null, issuer: 'chiso browser tests', url: 'https://example.invalid/synthetic' }],
    unit_levels: ['department'],
    years: { from: 2024, to: null },
    completeness: 'example',
    notes: [L('SYNTHETIC test index generated by bindings/web/tests/helpers.mjs for the keystroke benchmark.')],
    max_points: String(total),
    aggregation: { method: 'sum' },
    policies: { missing_value: 'zero', missing_evidence: 'flag' },
    bands: [{ code: 'A', label: L('A'), range: { from: { value: '90', inclusive: true } } }],
    nodes,
  };
}
