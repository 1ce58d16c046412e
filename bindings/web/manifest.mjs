// Copies the shipped criteria sets (index files), example assessments and survey definitions
// into dist/criteria/, the example record files (dossier export, SIPAS answer sheet) into
// dist/examples/, and writes dist/criteria-list.json, the lists the form offers.
// Usage: node manifest.mjs <repo> <dist>
import { readdirSync, readFileSync, mkdirSync, copyFileSync, writeFileSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';

const [repo, dist] = process.argv.slice(2);
const root = join(repo, 'criteria');
const files = [];
const walk = (d) => {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.json')) files.push(p);
  }
};
walk(root);

const indexes = [];
const assessments = [];
const surveys = [];
for (const p of files) {
  let doc;
  try { doc = JSON.parse(readFileSync(p, 'utf8')); } catch { continue; }
  const rel = relative(repo, p).split('\\').join('/');
  let keep = false;
  if (doc && doc.format === 'chiso.index/1') {
    indexes.push({
      path: rel, id: doc.id, version: doc.version, title: doc.title,
      years: doc.years ?? null, unit_levels: doc.unit_levels ?? [], completeness: doc.completeness ?? null,
    });
    keep = true;
  } else if (doc && doc.format === 'chiso.survey/1') {
    surveys.push({ path: rel, id: doc.id, version: doc.version, title: doc.title });
    keep = true;
  } else if (p.endsWith('.assessment.json') && doc && doc.format === 'chiso.assessment/1') {
    assessments.push({ path: rel, index: doc.index, unit: doc.unit ?? null, year: doc.year ?? null });
    keep = true;
  }
  if (keep) {
    mkdirSync(dirname(join(dist, rel)), { recursive: true });
    copyFileSync(p, join(dist, rel));
  }
}
// The example record files the records and SIPAS panels offer (synthetic, see examples-data/README.md).
const examples = [
  { kind: 'dossiers', path: 'examples/dossiers-sample.csv', period: '2026-02..2026-05' },
  { kind: 'answers', path: 'examples/sipas-sample.csv', survey: 'sipas-1001-2023-q9' },
];
mkdirSync(join(dist, 'examples'), { recursive: true });
for (const e of examples) copyFileSync(join(repo, 'examples-data', e.path.split('/').pop()), join(dist, e.path));
writeFileSync(join(dist, 'criteria-list.json'), `${JSON.stringify({ indexes, assessments, surveys, examples }, null, 2)}\n`);
console.log(`criteria-list.json: ${indexes.length} criteria sets, ${assessments.length} example assessments, ${surveys.length} survey definitions, ${examples.length} example record files`);
