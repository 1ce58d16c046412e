// The what-if panel and the "plan to reach a target" panel. Both read the assessment the
// form holds (session.assessment()) and ask the analysis module's engine (whatIf / plan /
// headroom; chiso_analysis*, loaded after the form's first paint, analysis-engine.js);
// neither ever writes to the session or the saved draft. Every figure shown is an exact
// decimal string from the engine, rounded only for display (decimal.js).
import { h, uid } from './dom.js';
import { t, tx } from './i18n.js';
import { fmt, readDecimal } from './decimal.js';
import { valueWidget } from './widgets.js';
import { analysisReady, fullEngine, loadAnalysis } from './analysis-engine.js';

const VIEW = 'final';

/** A displayed figure: 2 decimals, the exact value in data-exact and on hover. */
function num(value, lang, { sign = false, suffix = '', key = null } = {}) {
  const has = value !== null && value !== undefined;
  const el = h('span', { class: 'fig', dataset: key ? { an: key } : {} }, fmt(has ? value : null, lang, { sign }) + (has ? suffix : ''));
  if (has) {
    el.dataset.exact = value;
    el.title = value;
  }
  return el;
}

function errText(e, lang) {
  if (e && (e.messageVi || e.messageEn)) return lang === 'en' ? e.messageEn : e.messageVi;
  return String(e && e.message ? e.message : e);
}

function bandText(band, lang, def) {
  if (!band) return '—';
  if (typeof band === 'string') {
    const b = (def.bands || []).find((x) => x.code === band);
    return b ? `${b.code} — ${tx(b.label, lang)}` : band;
  }
  return `${band.code} — ${tx(band.label, lang)}`;
}

function leafLayers(node) {
  return node.channel === 'survey' ? ['survey'] : ['self', 'appraisal_1', 'appraisal_2'];
}

/** The analysis panels of the form, bound to the form's state (app.js). */
export function createAnalysis(state) {
  const $ = (sel) => document.querySelector(sel);
  const an = {
    key: null, // index id@version the overrides belong to
    overrides: [], // [{override, label}]
    widget: null,
    planOpen: false,
    planTarget: null, // the target JSON last asked for
    shownTarget: null, // the target of the plan on screen (null: none shown)
    formTarget: () => null, // the target the plan form holds now (null: not a valid one)
  };
  state.analysis = an; // for the browser tests

  const L = () => state.lang;
  const assessmentText = () => state.session.assessment();
  /** The analysis module's engine for the open index (render() waits for the module). */
  const full = () => fullEngine(state.engine);

  /** A target in words: "Xếp loại Nhóm A (…)", "Tỷ lệ (%) tối thiểu 85,5". */
  function targetWords(tg) {
    const value = tg.kind === 'band' ? `band:${tg.code}` : tg.kind;
    const label = (targets().find((x) => x.value === value) || { label: value }).label;
    return tg.value === undefined ? label : `${label} ${L() === 'vi' ? tg.value.replace('.', ',') : tg.value}`;
  }

  /**
   * Marks the plan on screen stale while the form asks for another target (being edited,
   * or not a valid one): the plan is dimmed and a notice names the target it was made for.
   */
  function syncStale() {
    const out = $('#plan-result');
    const note = $('#plan-stale');
    if (!out || !note) return;
    const shown = an.shownTarget && out.childElementCount > 0 ? an.shownTarget : null;
    const stale = shown !== null && JSON.stringify(an.formTarget()) !== JSON.stringify(shown);
    out.classList.toggle('stale', stale);
    if (stale) out.dataset.stale = 'true';
    else delete out.dataset.stale;
    note.hidden = !stale;
    note.textContent = stale ? t(L(), 'planStale', { target: targetWords(shown) }) : '';
  }

  function targets() {
    return [...(state.def.bands || []).map((b) => ({ value: `band:${b.code}`, label: `${t(L(), 'targetBand')} ${tx(b.label, L())}` })),
      { value: 'percent', label: t(L(), 'targetPercent') },
      { value: 'points', label: t(L(), 'targetPoints') }];
  }

  // The criteria and bonus/penalty blocks an override can address.
  function choices() {
    const out = state.nodes.map((n) => ({ code: n.code, node: n, leaf: n.leaf, label: `${n.code}. ${tx(n.title, L())}`, depth: n.depth }));
    for (const a of state.def.adjustments || []) {
      out.push({ code: a.code, node: { code: a.code, rule: { type: 'discretionary' }, accepts: ['points'], channel: 'appraised' }, leaf: true, adjustment: true, label: `${tx(a.title, L())}`, depth: 1 });
    }
    return out;
  }

  function entryOf(code) {
    const a = JSON.parse(assessmentText());
    return (a.entries || {})[code] || (a.adjustments || {})[code] || {};
  }

  /** The layer the final view reads for a leaf now (the latest one filled), else the first. */
  function defaultLayer(node) {
    const layers = leafLayers(node);
    const e = entryOf(node.code);
    for (const l of [...layers].reverse()) if (e[l]) return l;
    return layers[0];
  }

  function valueLabel(node, v) {
    const lang = L();
    const rule = node.rule || {};
    const d = (s) => (lang === 'vi' ? String(s).replace('.', ',') : String(s));
    const k = Object.keys(v)[0];
    const x = v[k];
    switch (k) {
      case 'percent': return `${d(x)} %`;
      case 'number': case 'points': return d(x);
      case 'ratio': return `${d(x.numerator)}/${d(x.denominator)}`;
      case 'yes_no': return t(lang, x ? 'yes' : 'no');
      case 'option': {
        const opts = rule.type === 'timeliness' ? { on_time: rule.on_time, late: rule.late, not_done: rule.not_done }
          : Object.fromEntries((rule.levels || []).map((l) => [l.key, l]));
        return tx(opts[x] && opts[x].label, lang) || x;
      }
      case 'conditions': {
        const met = (rule.conditions || []).filter((c) => x[c.key]).map((c) => tx(c.label, lang));
        return met.length ? met.join('; ') : t(lang, 'noConditionMet');
      }
      case 'counts': case 'answers': {
        const items = Object.entries(x);
        if (!items.length) return t(lang, 'noViolation');
        return items.map(([key, n]) => `${key}: ${d(n)}`).join(', ');
      }
      default: return JSON.stringify(v);
    }
  }

  function describe(o, node) {
    const lang = L();
    if (o.value) return t(lang, 'wiSet', { code: o.code, layer: t(lang, `layer_${o.layer}`), value: valueLabel(node, o.value) });
    if (o.clear) return t(lang, 'wiClear', { code: o.code, layer: t(lang, `layer_${o.layer}`) });
    if (o.not_applicable !== undefined) return t(lang, 'wiNA', { code: o.code, reason: o.not_applicable || '…' });
    return t(lang, 'wiApplicable', { code: o.code });
  }

  // ---------- rendering ----------

  function render() {
    const lang = L();
    if (!analysisReady()) {
      // The form is usable at once; these panels follow when their module has loaded.
      $('#analysis').replaceChildren(h('p', { id: 'analysis-loading', class: 'hint-text' }, t(lang, 'analysisLoading')));
      loadAnalysis().then(() => { if (state.def) render(); }, (e) => {
        $('#analysis').replaceChildren(h('p', { class: 'error', role: 'alert' }, errText(e, L())));
      });
      return;
    }
    const key = `${state.def.id}@${state.def.version}`;
    if (an.key !== key) {
      an.key = key;
      an.overrides = [];
      an.planTarget = null;
    }
    const root = $('#analysis');
    const cs = choices();
    const codeId = uid('wi');
    const actionId = uid('wi');
    const layerId = uid('wi');
    const reasonId = uid('wi');
    const codeSel = h('select', { id: codeId, 'data-part': 'wi-code' },
      cs.map((c) => h('option', { value: c.code }, `${'\u00a0'.repeat((c.depth - 1) * 2)}${c.label}`)));
    const actionSel = h('select', { id: actionId, 'data-part': 'wi-action' });
    const layerSel = h('select', { id: layerId, 'data-part': 'wi-layer' });
    const reason = h('input', { id: reasonId, type: 'text', autocomplete: 'off', 'data-part': 'wi-reason' });
    const valueBox = h('div', { class: 'wi-value', 'data-part': 'wi-value' });
    const error = h('p', { class: 'error', id: 'wi-error', role: 'alert', hidden: true });
    const layerField = h('span', { class: 'field' }, h('label', { for: layerId }, t(lang, 'wiLayer')), layerSel);
    const reasonField = h('span', { class: 'field' }, h('label', { for: reasonId }, t(lang, 'naReason')), reason);

    const current = () => cs.find((c) => c.code === codeSel.value) || cs[0];
    const showValue = () => {
      const c = current();
      const action = actionSel.value;
      layerField.hidden = !(action === 'set' || action === 'clear');
      reasonField.hidden = action !== 'na';
      valueBox.hidden = action !== 'set';
      an.widget = null;
      valueBox.replaceChildren();
      if (action === 'set') {
        const w = valueWidget(c.node, lang, () => {}, `${c.code} — ${t(lang, 'wiValue')}`);
        const e = entryOf(c.code)[layerSel.value];
        w.set(e ? e.value : null);
        an.widget = w;
        valueBox.append(h('span', { class: 'label' }, `${t(lang, 'wiValue')}: `), w.el);
      }
    };
    const fillActions = () => {
      const c = current();
      const acts = c.leaf ? ['set', 'clear'] : [];
      if (!c.adjustment) acts.push('na', 'applicable');
      actionSel.replaceChildren(...acts.map((a) => h('option', { value: a }, t(lang, `wiAction_${a}`))));
      layerSel.replaceChildren(...(c.leaf ? (c.adjustment ? ['self', 'appraisal_1', 'appraisal_2'] : leafLayers(c.node)) : [])
        .map((l) => h('option', { value: l }, t(lang, `layer_${l}`))));
      if (c.leaf) layerSel.value = c.adjustment ? 'self' : defaultLayer(c.node);
      showValue();
    };
    codeSel.addEventListener('change', fillActions);
    actionSel.addEventListener('change', showValue);
    layerSel.addEventListener('change', showValue);
    const firstLeaf = cs.find((c) => c.leaf);
    if (firstLeaf) codeSel.value = firstLeaf.code;
    fillActions();

    const add = () => {
      const c = current();
      const action = actionSel.value;
      const o = { code: c.code };
      if (action === 'set') {
        const r = an.widget.read();
        if (!r.ok) return showError(t(lang, r.error));
        if (!r.value) return showError(t(lang, 'wiNoValue'));
        o.layer = layerSel.value;
        o.value = r.value;
      } else if (action === 'clear') {
        o.layer = layerSel.value;
        o.clear = true;
      } else if (action === 'na') {
        o.not_applicable = reason.value.trim();
      } else {
        o.applicable = true;
      }
      const next = [...an.overrides, { override: o, node: c.node }];
      try {
        full().whatIf(assessmentText(), JSON.stringify(next.map((x) => x.override)), VIEW);
      } catch (e) {
        return showError(errText(e, lang));
      }
      showError(null);
      an.overrides = next;
      update();
      return true;
    };
    function showError(m) {
      error.hidden = !m;
      error.textContent = m || '';
      return false;
    }

    const whatif = h('details', { class: 'box', id: 'whatif', open: an.overrides.length > 0 },
      h('summary', {}, h('h2', {}, t(lang, 'wiTitle'))),
      h('p', { class: 'hint-text' }, t(lang, 'wiIntro')),
      h('div', { class: 'wi-form', role: 'group', 'aria-label': t(lang, 'wiNew') },
        h('span', { class: 'field' }, h('label', { for: codeId }, t(lang, 'criterion')), codeSel),
        h('span', { class: 'field' }, h('label', { for: actionId }, t(lang, 'wiAction')), actionSel),
        layerField, reasonField, valueBox,
        h('button', { type: 'button', id: 'wi-add', onclick: add }, t(lang, 'wiAdd')),
        error),
      h('h3', {}, t(lang, 'wiList')),
      h('div', { id: 'wi-list' }),
      h('div', { id: 'wi-result', 'aria-live': 'polite' }));

    const targetId = uid('pl');
    const valueId = uid('pl');
    const targetSel = h('select', { id: targetId, 'data-part': 'plan-target' }, targets().map((x) => h('option', { value: x.value }, x.label)));
    const targetValue = h('input', { id: valueId, type: 'text', inputmode: 'decimal', autocomplete: 'off', class: 'num', 'data-part': 'plan-value' });
    const valueField = h('span', { class: 'field' }, h('label', { for: valueId }, t(lang, 'planValue')), targetValue);
    const planError = h('p', { class: 'error', id: 'plan-error', role: 'alert', hidden: true });
    const syncTarget = () => { valueField.hidden = !['percent', 'points'].includes(targetSel.value); };
    if (an.planTarget) {
      const tg = an.planTarget;
      targetSel.value = tg.kind === 'band' ? `band:${tg.code}` : tg.kind;
      if (tg.value !== undefined) targetValue.value = lang === 'vi' ? tg.value.replace('.', ',') : tg.value;
    } else if (!(state.def.bands || []).length) {
      targetSel.value = 'percent';
      targetValue.value = '90';
    }
    syncTarget();
    an.formTarget = () => {
      const v = targetSel.value;
      if (v.startsWith('band:')) return { kind: 'band', code: v.slice(5) };
      const d = readDecimal(targetValue.value);
      return d ? { kind: v, value: d } : null;
    };
    targetSel.addEventListener('change', () => { syncTarget(); syncStale(); });
    targetValue.addEventListener('input', syncStale);
    const run = () => {
      const target = an.formTarget();
      if (!target) {
        const d = readDecimal(targetValue.value);
        planError.hidden = false;
        planError.textContent = t(lang, d === '' ? 'planValueNeeded' : 'notDecimal');
        targetValue.setAttribute('aria-invalid', 'true');
        syncStale();
        return;
      }
      targetValue.removeAttribute('aria-invalid');
      an.planTarget = target;
      updatePlan();
    };
    targetValue.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') run(); });
    const plan = h('details', {
      class: 'box', id: 'plan', open: an.planOpen,
      ontoggle: (ev) => { an.planOpen = ev.currentTarget.open; if (an.planOpen) { if (!an.planTarget) run(); else updatePlan(); } },
    },
    h('summary', {}, h('h2', {}, t(lang, 'planTitle'))),
    h('p', { class: 'hint-text' }, t(lang, 'planIntro')),
    h('div', { class: 'plan-form', role: 'group', 'aria-label': t(lang, 'planTarget') },
      h('span', { class: 'field' }, h('label', { for: targetId }, t(lang, 'planTarget')), targetSel),
      valueField,
      h('button', { type: 'button', id: 'plan-run', onclick: run }, t(lang, 'planRun')),
      planError),
    h('p', { class: 'plan-stale', id: 'plan-stale', role: 'status', hidden: true }),
    h('div', { id: 'plan-result', 'aria-live': 'polite', 'aria-describedby': 'plan-stale' }),
    h('h3', {}, t(lang, 'headroomTitle')),
    h('div', { id: 'headroom' }));
    root.replaceChildren(whatif, plan);
    update();
  }

  // ---------- the what-if figures ----------

  function update() {
    if (!state.session || !$('#wi-list') || !analysisReady()) return;
    updateWhatIf();
    // The plan follows the form's edits, a moment after typing stops (it is the costliest call).
    if (an.planOpen && an.planTarget) {
      clearTimeout(an.planTimer);
      an.planTimer = setTimeout(() => { an.planTimer = null; updatePlan(); }, 200);
    }
  }

  function updateWhatIf() {
    const lang = L();
    const list = $('#wi-list');
    const out = $('#wi-result');
    // Nothing to redo on a keystroke in the form while no what-if is set.
    const listKey = JSON.stringify([lang, an.overrides.map((x) => x.override)]);
    if (!an.overrides.length && list.dataset.key === listKey) return;
    list.dataset.key = listKey;
    list.replaceChildren(an.overrides.length ? h('ol', {}, an.overrides.map((x, i) => h('li', { dataset: { code: x.override.code } },
      describe(x.override, x.node), ' ',
      h('button', {
        type: 'button', class: 'small', 'data-part': 'wi-remove', 'aria-label': `${t(lang, 'wiRemove')}: ${describe(x.override, x.node)}`,
        onclick: () => {
          an.overrides.splice(i, 1);
          update();
          const next = document.querySelectorAll('#wi-list [data-part="wi-remove"]')[Math.min(i, an.overrides.length - 1)];
          (next || $('#wi-add')).focus();
        },
      }, t(lang, 'wiRemove'))))) : h('p', {}, t(lang, 'wiNone')));
    if (an.overrides.length > 1) {
      list.append(h('button', {
        type: 'button', class: 'small', id: 'wi-reset',
        onclick: () => { an.overrides = []; update(); $('#wi-add').focus(); },
      }, t(lang, 'wiReset')));
    }
    if (!an.overrides.length) {
      out.replaceChildren();
      return;
    }
    let r;
    try {
      r = JSON.parse(full().whatIf(assessmentText(), JSON.stringify(an.overrides.map((x) => x.override)), VIEW));
    } catch (e) {
      // The assessment changed under the overrides (e.g. now equal to one of them).
      out.replaceChildren(h('p', { class: 'error', role: 'alert', id: 'wi-stale' }, `${t(lang, 'wiStale')} ${errText(e, lang)}`));
      return;
    }
    an.last = r;
    const b = r.baseline;
    const s = r.scenario;
    const row = (label, field, suffix = '') => {
      const d = field === 'achieved' ? r.delta : null;
      return h('tr', { dataset: { row: field } }, h('th', { scope: 'row' }, label),
        h('td', {}, num(b[field], lang, { suffix, key: `baseline.${field}` })),
        h('td', {}, num(s[field], lang, { suffix, key: `scenario.${field}` })),
        h('td', {}, field === 'achieved' ? num(d, lang, { sign: true, key: 'delta' }) : ''));
    };
    const bandChanged = (b.band && b.band.code) !== (s.band && s.band.code);
    out.replaceChildren(
      h('table', { class: 'an-table', id: 'wi-totals' },
        h('caption', {}, t(lang, 'wiCompare')),
        h('thead', {}, h('tr', {}, h('td', {}), ...[t(lang, 'wiNow'), t(lang, 'wiIf'), t(lang, 'wiDelta')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {},
          row(t(lang, 'total'), 'achieved'),
          row(t(lang, 'applicableMax'), 'applicable_max'),
          row(t(lang, 'percent'), 'percent', ' %'),
          h('tr', { dataset: { row: 'band' } }, h('th', { scope: 'row' }, t(lang, 'band')),
            h('td', { dataset: { an: 'baseline.band' } }, bandText(b.band, lang, state.def)),
            h('td', { dataset: { an: 'scenario.band' } }, bandText(s.band, lang, state.def)),
            h('td', {}, bandChanged ? t(lang, 'wiBandChanged') : '')))),
      r.nodes.length ? h('table', { class: 'an-table', id: 'wi-nodes' },
        h('caption', {}, t(lang, 'wiNodes')),
        h('thead', {}, h('tr', {}, ...[t(lang, 'criterion'), t(lang, 'wiNow'), t(lang, 'wiIf'), t(lang, 'wiDelta')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, r.nodes.map((n) => {
          const node = state.byCode.get(n.code);
          return h('tr', { dataset: { code: n.code } },
            h('th', { scope: 'row' }, node ? `${n.code}. ${tx(node.title, lang)}` : n.code),
            h('td', {}, num(n.before, lang, { key: 'before' })),
            h('td', {}, num(n.after, lang, { key: 'after' })),
            h('td', {}, num(n.delta, lang, { sign: true, key: 'delta' })));
        }))) : h('p', { id: 'wi-nodes-none' }, t(lang, 'wiNoNodeChange')));
  }

  // ---------- the plan and the headroom table ----------

  function standing(st, lang, prefix) {
    return [num(st.total, lang, { key: `${prefix}.total` }), ` ${t(lang, 'pointsUnit')} · `,
      num(st.percent, lang, { suffix: ' %', key: `${prefix}.percent` }), ' · ',
      h('span', { dataset: { an: `${prefix}.band` } }, bandText(st.band, lang, state.def))];
  }

  function updatePlan() {
    const lang = L();
    const out = $('#plan-result');
    const err = $('#plan-error');
    let p;
    try {
      p = JSON.parse(full().plan(assessmentText(), JSON.stringify(an.planTarget), null, VIEW));
      err.hidden = true;
    } catch (e) {
      err.hidden = false;
      err.textContent = errText(e, lang);
      out.replaceChildren();
      an.shownTarget = null;
      syncStale();
      return;
    }
    an.lastPlan = p;
    an.shownTarget = an.planTarget;
    let status;
    if (p.already_met) status = h('p', { class: 'plan-status ok', dataset: { state: 'met' } }, t(lang, 'planMet'));
    else if (p.reached) status = h('p', { class: 'plan-status ok', dataset: { state: 'reached' } }, t(lang, 'planReached', { n: p.steps.length }));
    else {
      status = h('p', { class: 'plan-status bad', dataset: { state: 'unreachable' } }, t(lang, 'planUnreachable'), ' ',
        num(p.shortfall, lang, { key: 'shortfall' }), ` ${t(lang, 'pointsUnit')}.`);
    }
    out.replaceChildren(...[
      status,
      h('dl', { class: 'plan-figs' },
        h('dt', {}, t(lang, 'planNow')), h('dd', {}, ...standing(p.baseline, lang, 'baseline')),
        h('dt', {}, t(lang, 'planRequired')), h('dd', {}, p.strict ? '> ' : '≥ ', num(p.required_total, lang, { key: 'required_total' }), ` ${t(lang, 'pointsUnit')}`),
        h('dt', {}, t(lang, p.reached ? 'planAfter' : 'planBest')), h('dd', {}, ...standing(p.result, lang, 'result')),
        h('dt', {}, t(lang, 'planCost')), h('dd', {}, num(p.cost, lang, { key: 'cost' }))),
      p.steps.length ? h('ol', { id: 'plan-steps' }, p.steps.map((s) => h('li', { dataset: { code: s.code } },
        h('a', { href: `#node-${s.code.replace(/[^A-Za-z0-9_-]/g, '_')}` }, tx(s.text, lang)),
        s.distance ? h('span', { class: 'source' }, ` (${tx(s.distance, lang)})`) : null,
        h('span', { class: 'source' }, ` · ${t(lang, 'planStepCost')} `, num(s.cost, lang))))) : null].filter(Boolean));
    syncStale();
    updateHeadroom();
  }

  function updateHeadroom() {
    const lang = L();
    const box = $('#headroom');
    let hr;
    try {
      hr = JSON.parse(full().headroom(assessmentText(), null, VIEW));
    } catch (e) {
      box.replaceChildren(h('p', { class: 'error', role: 'alert' }, errText(e, lang)));
      return;
    }
    an.lastHeadroom = hr;
    box.replaceChildren(hr.rows.length ? h('table', { class: 'an-table', id: 'headroom-table' },
      h('caption', { class: 'sr-only' }, t(lang, 'headroomTitle')),
      h('thead', {}, h('tr', {}, ...['criterion', 'hrPoints', 'maxPoints', 'hrAvailable', 'hrTotalAvailable', 'hrNext']
        .map((k) => h('th', { scope: 'col' }, t(lang, k))))),
      h('tbody', {}, hr.rows.map((r) => h('tr', { dataset: { code: r.code }, class: r.plannable ? '' : 'not-plannable' },
        h('th', { scope: 'row' }, `${r.code}. ${tx(r.title, lang)}`),
        h('td', {}, num(r.points, lang, { key: 'points' })),
        h('td', {}, num(r.max, lang, { key: 'max' })),
        h('td', {}, num(r.available, lang, { key: 'available' })),
        h('td', {}, num(r.total_available, lang, { key: 'total_available' })),
        h('td', { class: 'next' }, r.next ? tx(r.next.action, lang) : t(lang, r.plannable ? 'hrNoStep' : 'hrNotPlannable')))))) : h('p', {}, t(lang, 'hrNone')));
  }

  return { render, update };
}
