// One layer column of one criterion: the value widget, evidence documents (title,
// number/date, link), a note and an explanation (giải trình). It produces the layer
// record the engine stores ({value, evidence, note, explanation}) or null.
import { h, uid } from './dom.js';
import { t } from './i18n.js';
import { valueWidget } from './widgets.js';

function evidenceRow(lang, onChange, ev, list) {
  const field = (part, label, value, type = 'text') => {
    const id = uid('ev');
    const input = h('input', { id, type, autocomplete: 'off', dataset: { part }, oninput: onChange });
    input.value = value || '';
    return { input, wrap: h('span', { class: 'field' }, h('label', { for: id }, label), input) };
  };
  const title = field('ev-title', t(lang, 'evTitle'), ev && ev.title);
  const number = field('ev-number', t(lang, 'evNumber'), ev && ev.number);
  const link = field('ev-link', t(lang, 'evLink'), ev && ev.link, 'url');
  const row = h('li', { class: 'ev-row' }, title.wrap, number.wrap, link.wrap);
  const remove = h('button', {
    type: 'button', class: 'small', dataset: { part: 'remove-evidence' },
    'aria-label': `${t(lang, 'removeEvidence')}`,
    onclick: () => {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      onChange();
      const focus = next ? next.querySelector('input') : list.parentElement.querySelector('[data-part="add-evidence"]');
      if (focus) focus.focus();
    },
  }, '×');
  row.append(remove);
  row.read = () => {
    const e = { title: title.input.value.trim() };
    if (number.input.value.trim()) e.number = number.input.value.trim();
    if (link.input.value.trim()) e.link = link.input.value.trim();
    return e.title || e.number || e.link ? e : null;
  };
  return row;
}

/**
 * A layer cell. `onCommit()` is called on every edit.
 * Returns {el, read() → {ok, record|null, error?, orphan}, set(record|null), showError(msg|null)}.
 */
export function layerCell(node, layer, lang, onCommit, titleForLabels) {
  const prefix = `${node.code} ${t(lang, `layer_${layer}`)}`;
  const widget = valueWidget(node, lang, onCommit, prefix);
  const list = h('ul', { class: 'evidence-list' });
  const addBtn = h('button', {
    type: 'button', class: 'small', dataset: { part: 'add-evidence' },
    onclick: () => {
      const row = evidenceRow(lang, onCommit, null, list);
      list.append(row);
      row.querySelector('input').focus();
    },
  }, `+ ${t(lang, 'addEvidence')}`);
  const noteId = uid('note');
  const explId = uid('expl');
  const note = h('textarea', { id: noteId, rows: 1, dataset: { part: 'note' }, oninput: onCommit });
  const expl = h('textarea', { id: explId, rows: 1, dataset: { part: 'explanation' }, oninput: onCommit });
  const errId = uid('err');
  const error = h('p', { id: errId, class: 'error', role: 'alert', hidden: true });
  const hint = h('p', { class: 'hint', hidden: true }, t(lang, 'valueNeeded'));
  const headId = uid('lh');
  const el = h('div', {
    class: `layer layer-${layer}`, role: 'group', 'aria-labelledby': headId, dataset: { layer, code: node.code },
  },
  h('h4', { id: headId }, h('span', { class: 'sr-only' }, `${titleForLabels} — `), t(lang, `layer_${layer}`)),
  widget.el,
  error,
  h('div', { class: 'evidence' }, h('span', { class: 'label' }, t(lang, 'evidence')), list, addBtn),
  h('span', { class: 'field wide' }, h('label', { for: noteId }, t(lang, 'note')), note),
  h('span', { class: 'field wide' }, h('label', { for: explId }, t(lang, 'explanation')), expl),
  hint);

  return {
    el,
    read() {
      const v = widget.read();
      if (!v.ok) return { ok: false, error: v.error };
      const evidence = [...list.children].map((r) => r.read()).filter(Boolean);
      const rec = {};
      if (evidence.length) rec.evidence = evidence;
      if (note.value.trim()) rec.note = note.value;
      if (expl.value.trim()) rec.explanation = expl.value;
      const orphan = !v.value && Object.keys(rec).length > 0;
      hint.hidden = !orphan;
      return { ok: true, record: v.value ? { value: v.value, ...rec } : null, orphan };
    },
    set(rec) {
      widget.set(rec ? rec.value : null);
      list.replaceChildren(...((rec && rec.evidence) || []).map((e) => evidenceRow(lang, onCommit, e, list)));
      note.value = (rec && rec.note) || '';
      expl.value = (rec && rec.explanation) || '';
      hint.hidden = true;
      this.showError(null);
    },
    showError(msg) {
      error.hidden = !msg;
      error.textContent = msg || '';
      for (const i of widget.el.querySelectorAll('input, select')) {
        if (msg) {
          i.setAttribute('aria-invalid', 'true');
          i.setAttribute('aria-describedby', errId);
        } else {
          i.removeAttribute('aria-invalid');
          i.removeAttribute('aria-describedby');
        }
      }
    },
  };
}
