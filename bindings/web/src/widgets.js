// Input widgets: one per rule type, producing the engine's value JSON ({"percent":"85"}, …)
// from what a person types, and showing a stored value again. No scoring happens here.
import { h, uid } from './dom.js';
import { t, tx } from './i18n.js';
import { readDecimal } from './decimal.js';

const DEFAULT_SURVEY = ['A', 'B', 'C', 'D'].map((key) => ({ key }));

/** The value kinds a person can enter for a rule, the first being the default. */
export function kindsFor(node) {
  const rule = node.rule || { type: 'score' };
  const accepts = node.accepts || [];
  switch (rule.type) {
    case 'yes_no':
      return rule.conditions && rule.conditions.length ? ['conditions', 'yes_no'] : ['yes_no'];
    case 'timeliness':
    case 'levels':
      return ['option'];
    case 'deductions':
      return ['counts'];
    case 'discretionary':
      return ['points'];
    default: {
      const ks = accepts.filter((k) => ['percent', 'ratio', 'number', 'points', 'answers'].includes(k));
      return ks.length ? ks : ['points'];
    }
  }
}

function numberInput(label, part, extra = {}) {
  const id = uid('n');
  const input = h('input', {
    id, type: 'text', inputmode: 'decimal', autocomplete: 'off', class: 'num', dataset: { part, ...extra },
  });
  return { input, wrap: h('span', { class: 'field' }, h('label', { for: id }, label), input) };
}

/**
 * A value widget for `node` (a row of `engine.nodes()`), in `lang`.
 * `onChange()` is called on every edit. Returns {el, read, set, focusTarget}.
 * read() → {ok:true, value:object|null} or {ok:false, error:string}.
 */
export function valueWidget(node, lang, onChange, labelPrefix) {
  const rule = node.rule || { type: 'score' };
  const kinds = kindsFor(node);
  const panels = {};
  const readers = {};
  const setters = {};
  const fire = () => onChange();

  for (const kind of kinds) {
    const panel = h('div', { class: `panel kind-${kind}`, dataset: { kind } });
    panels[kind] = panel;
    if (kind === 'yes_no') {
      const id = uid('yn');
      const sel = h('select', { id, dataset: { part: 'yes_no' }, onchange: fire },
        h('option', { value: '' }, t(lang, 'notSet')),
        h('option', { value: 'yes' }, `${t(lang, 'yes')}: ${tx(rule.yes && rule.yes.label, lang)}`),
        h('option', { value: 'no' }, `${t(lang, 'no')}: ${tx(rule.no && rule.no.label, lang)}`));
      panel.append(h('label', { for: id, class: 'sr-only' }, `${labelPrefix} — ${t(lang, 'value')}`), sel);
      readers[kind] = () => ({ ok: true, value: sel.value === '' ? null : { yes_no: sel.value === 'yes' } });
      setters[kind] = (v) => { sel.value = v ? (v.yes_no ? 'yes' : 'no') : ''; };
    } else if (kind === 'conditions') {
      let touched = false;
      const boxes = rule.conditions.map((c) => {
        const id = uid('c');
        const box = h('input', {
          id, type: 'checkbox', dataset: { part: 'cond', key: c.key },
          onchange: () => { touched = true; fire(); },
        });
        panel.append(h('span', { class: 'check' }, box, h('label', { for: id }, tx(c.label, lang))));
        return [c.key, box];
      });
      readers[kind] = () => {
        if (!touched) return { ok: true, value: null };
        const conditions = {};
        for (const [k, b] of boxes) conditions[k] = b.checked;
        return { ok: true, value: { conditions } };
      };
      setters[kind] = (v) => {
        touched = !!v;
        for (const [k, b] of boxes) b.checked = !!(v && v.conditions && v.conditions[k]);
      };
    } else if (kind === 'option') {
      const opts = rule.type === 'timeliness'
        ? ['on_time', 'late', 'not_done'].map((k) => [k, rule[k] && rule[k].label])
        : (rule.levels || []).map((l) => [l.key, l.label]);
      const id = uid('o');
      const sel = h('select', { id, dataset: { part: 'option' }, onchange: fire },
        h('option', { value: '' }, t(lang, 'notSet')),
        opts.map(([k, label]) => h('option', { value: k }, tx(label, lang) || k)));
      panel.append(h('label', { for: id, class: 'sr-only' }, `${labelPrefix} — ${t(lang, 'value')}`), sel);
      readers[kind] = () => ({ ok: true, value: sel.value === '' ? null : { option: sel.value } });
      setters[kind] = (v) => { sel.value = v && v.option ? v.option : ''; };
    } else if (kind === 'percent' || kind === 'number' || kind === 'points') {
      let label = t(lang, `kind_${kind}`);
      if (kind === 'points' && rule.type === 'discretionary' && rule.step) {
        label += ` (${t(lang, 'step')} ${lang === 'vi' ? rule.step.replace('.', ',') : rule.step})`;
      }
      const { input, wrap } = numberInput(`${label}`, 'num');
      input.addEventListener('input', fire);
      panel.append(wrap);
      if (kind === 'percent') panel.append(h('span', { class: 'suffix' }, '%'));
      readers[kind] = () => {
        const d = readDecimal(input.value);
        if (d === '') return { ok: true, value: null };
        if (d === null) return { ok: false, error: 'notDecimal' };
        return { ok: true, value: { [kind]: d } };
      };
      setters[kind] = (v) => { input.value = v && v[kind] !== undefined ? String(v[kind]) : ''; };
    } else if (kind === 'ratio') {
      const a = numberInput(tx(rule.numerator, lang) ? `${t(lang, 'numerator')} (${tx(rule.numerator, lang)})` : t(lang, 'numerator'), 'numerator');
      const b = numberInput(tx(rule.denominator, lang) ? `${t(lang, 'denominator')} (${tx(rule.denominator, lang)})` : t(lang, 'denominator'), 'denominator');
      a.input.addEventListener('input', fire);
      b.input.addEventListener('input', fire);
      panel.append(a.wrap, b.wrap);
      readers[kind] = () => {
        const n = readDecimal(a.input.value);
        const d = readDecimal(b.input.value);
        if (n === '' && d === '') return { ok: true, value: null };
        if (n === null || d === null) return { ok: false, error: 'notDecimal' };
        if (n === '' || d === '') return { ok: false, error: 'bothNeeded' };
        return { ok: true, value: { ratio: { numerator: n, denominator: d } } };
      };
      setters[kind] = (v) => {
        a.input.value = v && v.ratio ? String(v.ratio.numerator) : '';
        b.input.value = v && v.ratio ? String(v.ratio.denominator) : '';
      };
    } else if (kind === 'counts' || kind === 'answers') {
      const items = kind === 'counts' ? rule.severities || [] : (rule.options && rule.options.length ? rule.options : DEFAULT_SURVEY);
      let none = null;
      if (kind === 'counts') {
        const id = uid('none');
        none = h('input', { id, type: 'checkbox', dataset: { part: 'none' } });
        panel.append(h('span', { class: 'check' }, none, h('label', { for: id }, t(lang, 'noViolation'))));
      }
      const inputs = items.map((it) => {
        const name = tx(it.label, lang) || it.key;
        const label = kind === 'counts' ? `${name} (${t(lang, 'times')})` : `${t(lang, 'answersOf')} ${name}${it.percent !== undefined ? ` (${it.percent}%)` : ''}`;
        const { input, wrap } = numberInput(label, kind === 'counts' ? 'count' : 'answer', { key: it.key });
        input.addEventListener('input', fire);
        panel.append(wrap);
        return [it.key, input];
      });
      if (none) {
        none.addEventListener('change', () => {
          for (const [, i] of inputs) { i.disabled = none.checked; if (none.checked) i.value = ''; }
          fire();
        });
      }
      readers[kind] = () => {
        if (none && none.checked) return { ok: true, value: { counts: {} } };
        const m = {};
        for (const [k, i] of inputs) {
          const d = readDecimal(i.value);
          if (d === null) return { ok: false, error: 'notDecimal' };
          if (d !== '') m[k] = d;
        }
        return { ok: true, value: Object.keys(m).length ? { [kind]: m } : null };
      };
      setters[kind] = (v) => {
        const m = v && v[kind] ? v[kind] : null;
        if (none) none.checked = !!m && Object.keys(m).length === 0;
        for (const [k, i] of inputs) {
          i.value = m && m[k] !== undefined ? String(m[k]) : '';
          i.disabled = !!(none && none.checked);
        }
      };
    }
  }

  const el = h('div', { class: 'value' });
  let kindSel = null;
  const show = (kind) => {
    for (const [k, p] of Object.entries(panels)) p.hidden = k !== kind;
  };
  if (kinds.length > 1) {
    const id = uid('k');
    kindSel = h('select', {
      id, class: 'kind', dataset: { part: 'kind' },
      onchange: () => { show(kindSel.value); fire(); },
    }, kinds.map((k) => h('option', { value: k }, t(lang, `kind_${k}`))));
    el.append(h('span', { class: 'field' }, h('label', { for: id }, t(lang, 'kind')), kindSel));
  }
  el.append(...kinds.map((k) => panels[k]));
  show(kinds[0]);
  const current = () => (kindSel ? kindSel.value : kinds[0]);

  return {
    el,
    read: () => readers[current()](),
    set(value) {
      let kind = kinds[0];
      if (value) {
        const k = Object.keys(value)[0];
        if (kinds.includes(k)) kind = k;
      }
      for (const k of kinds) setters[k](k === kind ? value : null);
      if (kindSel) kindSel.value = kind;
      show(kind);
    },
  };
}
