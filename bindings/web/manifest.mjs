// Copies the shipped criteria sets (index files) and example assessments into dist/criteria/
// and writes dist/criteria-list.json, the list the form offers. Usage: node manifest.mjs <repo> <dist>
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
  } else if (p.endsWith('.assessment.json') && doc && doc.format === 'chiso.assessment/1') {
    assessments.push({ path: rel, index: doc.index, unit: doc.unit ?? null, year: doc.year ?? null });
    keep = true;
  }
  if (keep) {
    mkdirSync(dirname(join(dist, rel)), { recursive: true });
    copyFileSync(p, join(dist, rel));
  }
}
writeFileSync(join(dist, 'criteria-list.json'), `${JSON.stringify({ indexes, assessments }, null, 2)}\n`);
console.log(`criteria-list.json: ${indexes.length} criteria sets, ${assessments.length} example assessments`);
