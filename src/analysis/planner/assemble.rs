//! Plan assembly: the chosen improvements applied to a copy of the assessment, and each
//! one written as a [`PlanStep`] in both languages.

use super::{both, pts_text, Context, Opt, PlanStep};
use crate::assessment::{Assessment, EvidenceRef, Layer, LayerEntry};
use crate::rule::num;
use crate::text::Lang;

/// Applies the chosen improvements to a copy of the assessment.
pub(super) fn apply(ctx: &Context, chosen: &[(usize, &Opt)]) -> Assessment {
    let mut a = ctx.a.clone();
    for (leaf, o) in chosen {
        let code = ctx.index.nodes()[*leaf].code.clone();
        let (layer, _) = ctx
            .layers
            .get(leaf)
            .cloned()
            .unwrap_or((Layer::SelfAssessment, None));
        let e = a.entries.entry(code).or_default();
        let slot = match layer {
            Layer::SelfAssessment => &mut e.self_assessment,
            Layer::Appraisal1 => &mut e.appraisal_1,
            Layer::Appraisal2 => &mut e.appraisal_2,
            Layer::Survey => &mut e.survey,
        };
        let le = slot.get_or_insert_with(|| LayerEntry::new(o.cand.value.clone()));
        le.value = o.cand.value.clone();
        if o.cand.evidence && le.evidence.is_empty() {
            le.evidence.push(EvidenceRef {
                title: "(kế hoạch) tài liệu kiểm chứng cần bổ sung / evidence to attach".into(),
                number: None,
                link: None,
            });
        }
    }
    a
}

pub(super) fn step_of(ctx: &Context, leaf: usize, o: &Opt) -> PlanStep {
    let node = &ctx.index.nodes()[leaf];
    let from = ctx.cells[leaf].achieved().unwrap_or_default();
    let gain = o.gain;
    let leaf_gain = o.cand.points - from;
    let text = both(|l| {
        let extra = if gain.normalize() == leaf_gain.normalize() {
            String::new()
        } else {
            match l {
                Lang::Vi => format!("; tổng +{}", num(gain, l)),
                Lang::En => format!("; total +{}", num(gain, l)),
            }
        };
        format!(
            "{} {}: {} (+{}{extra})",
            node.code,
            node.title.get(l),
            o.cand.text.get(l),
            pts_text(leaf_gain, l)
        )
    });
    PlanStep {
        code: node.code.clone(),
        title: node.title.clone(),
        steps: o.cand.steps,
        cost: o.cost.normalize(),
        from_points: from.normalize(),
        to_points: o.cand.points.normalize(),
        total_gain: gain.normalize(),
        from_value: ctx.layers.get(&leaf).and_then(|(_, v)| v.clone()),
        to_value: o.cand.value.clone(),
        attach_evidence: o.cand.evidence,
        action: both(|l| format!("{} (+{})", o.cand.text.get(l), pts_text(leaf_gain, l))),
        text,
        distance: o.cand.distance.clone(),
    }
}
