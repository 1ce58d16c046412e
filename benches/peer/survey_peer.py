#!/usr/bin/env python3
"""Independent computation of chiso's survey aggregates with polars.

Usage: survey_peer.py DEFINITION.survey.json ANSWERS.csv OUT.csv

Reads a chiso.survey/1 definition and a CSV answer sheet and writes, per unit (and for
all units as `__all__`) and per node (`total`, components, blocks, items, overall items),
the satisfaction rate (%) and the mean score, rounded half-even to 10 decimal places
(empty when the node has no value).

Written from the rules in chiso's documentation (src/survey/mod.rs, policy.rs,
questionnaire.rs), not from its code. Exactness: polars sums weights as integers
(a weight "1.25" becomes 125 at scale 10^2), and every ratio and mean is then a Python
`Fraction`, so the only rounding is the final one. The sheet must be valid (chiso
reports errors; this script does not check them).
"""
import json
import sys
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

import polars as pl

ALL = "__all__"


def fmt(x):
    if x is None:
        return ""
    with localcontext() as ctx:
        ctx.prec = 80
        d = Decimal(x.numerator) / Decimal(x.denominator)
        return format(d.quantize(Decimal("1e-10"), rounding=ROUND_HALF_EVEN), "f")


def weighted_mean(parts, propagate):
    num, den = Fraction(0), Fraction(0)
    for w, v in parts:
        if v is None:
            if propagate:
                return None
            continue
        num += w * v
        den += w
    return None if den == 0 else num / den


def weights_of(spec, children):
    """children: list of (code, item count)."""
    if spec == "equal":
        return [Fraction(1)] * len(children)
    if spec == "item_count":
        return [Fraction(n) for _, n in children]
    declared = spec["declared"]
    return [Fraction(Decimal(str(declared[c]))) for c, _ in children]


def main(defn_path, csv_path, out_path):
    d = json.load(open(defn_path, encoding="utf-8"))
    cols = {"respondent": "id", "unit": "unit", "stratum": "stratum", "weight": "weight"}
    cols.update(d.get("columns", {}))
    comps = d["components"]
    blocks = [b for c in comps for b in c["blocks"]]
    scored = [it["code"] for b in blocks for it in b["items"]]
    overall = [it["code"] for it in d.get("overall_items", [])]
    items = scored + overall
    values = [o["value"] for o in d["scale"]["options"]]
    satisfied = set(d["scale"]["satisfied"])
    na_codes = [c.strip() for c in d["scale"].get("no_answer_codes", [])]
    pol = d["policies"]
    agg = d["aggregation"]
    unsat = pol["no_answer"] == "unsatisfied"
    propagate = pol["empty_item"] == "propagate"

    df = pl.read_csv(csv_path, infer_schema=False)
    unit = cols["unit"]
    units_in_order = df.select(pl.col(unit).str.strip_chars()).to_series().unique(maintain_order=True).to_list()

    # Exact integer weights.
    if cols["weight"] in df.columns:
        w = pl.col(cols["weight"]).str.strip_chars()
        frac = w.str.split(".").list.get(1, null_on_oob=True)
        scale = df.select(frac.str.len_chars().max()).item() or 0
        weight = w.str.split(".").list.get(0).cast(pl.Int64) * (10**scale) + (
            frac.fill_null("").str.pad_end(scale, "0").replace("", "0").cast(pl.Int64) if scale else pl.lit(0)
        )
    else:
        weight = pl.lit(1, dtype=pl.Int64)

    # Answers: the scale value, or null for a no-answer (an off-scale number is a
    # no-answer under out_of_range: no_answer; the sheet is valid otherwise).
    exprs = [pl.col(unit).str.strip_chars().alias("_unit"), weight.alias("_w")]
    for it in items:
        x = pl.col(it).str.strip_chars()
        v = x.cast(pl.Float64, strict=False)
        on_scale = v.is_in([float(s) for s in values]) & ~x.is_in(na_codes)
        exprs.append(pl.when(on_scale).then(v.cast(pl.Int64)).otherwise(None).alias(it))
    df = df.select(exprs)
    if pol["no_answer"] == "drop_respondent":
        df = df.filter(pl.all_horizontal([pl.col(it).is_not_null() for it in items]))

    def sums(frame, key):
        """Per key: per item the weight answered, satisfied, score and of no-answers."""
        aggs = []
        for it in items:
            c = pl.col(it)
            aggs += [
                (pl.col("_w") * c.is_not_null()).sum().alias(f"{it}|A"),
                (pl.col("_w") * c.is_in(list(satisfied)).fill_null(False)).sum().alias(f"{it}|S"),
                (pl.col("_w") * c.fill_null(0)).sum().alias(f"{it}|C"),
                (pl.col("_w") * c.is_null()).sum().alias(f"{it}|N"),
            ]
        rows = frame.group_by(key).agg(aggs).to_dicts()
        return {r[key]: r for r in rows}

    def pooled_sums(frame, key, node_items):
        """Respondent pooling: Σ_a (Σ w·s over respondents with a items)/a / Σ w."""
        answered = pl.sum_horizontal([pl.col(i).is_not_null().cast(pl.Int64) for i in node_items])
        nas = pl.sum_horizontal([pl.col(i).is_null().cast(pl.Int64) for i in node_items])
        a = (answered + nas) if unsat else answered
        s = pl.sum_horizontal([pl.col(i).is_in(list(satisfied)).fill_null(False).cast(pl.Int64) for i in node_items])
        sc = pl.sum_horizontal([pl.col(i).fill_null(0) for i in node_items])
        f = frame.select(pl.col(key), pl.col("_w"), a.alias("a"), s.alias("s"), answered.alias("b"), sc.alias("sc"))
        rate = {}
        for r in f.filter(pl.col("a") > 0).group_by([key, "a"]).agg((pl.col("_w") * pl.col("s")).sum().alias("n"), pl.col("_w").sum().alias("w")).to_dicts():
            num, den = rate.get(r[key], (Fraction(0), 0))
            rate[r[key]] = (num + Fraction(r["n"], r["a"]), den + r["w"])
        mean = {}
        for r in f.filter(pl.col("b") > 0).group_by([key, "b"]).agg((pl.col("_w") * pl.col("sc")).sum().alias("n"), pl.col("_w").sum().alias("w")).to_dicts():
            num, den = mean.get(r[key], (Fraction(0), 0))
            mean[r[key]] = (num + Fraction(r["n"], r["b"]), den + r["w"])
        out = {}
        for k in set(rate) | set(mean):
            rn, rd = rate.get(k, (0, 0))
            mn, md = mean.get(k, (0, 0))
            out[k] = (100 * rn / rd if rd else None, mn / md if md else None)
        return out

    frames = [(df, "_unit"), (df.with_columns(pl.lit(ALL).alias("_all")), "_all")]
    results = {}
    for frame, key in frames:
        item_sums = sums(frame, key)
        pooled = {}
        if agg["method"] == "respondent_pooling":
            pooled["total"] = pooled_sums(frame, key, scored)
            for c in comps:
                pooled[c["code"]] = pooled_sums(frame, key, [i["code"] for b in c["blocks"] for i in b["items"]])
            for b in blocks:
                pooled[b["code"]] = pooled_sums(frame, key, [i["code"] for i in b["items"]])
        for k, r in item_sums.items():
            node = {}
            for it in items:
                A, S, C, N = r[f"{it}|A"], r[f"{it}|S"], r[f"{it}|C"], r[f"{it}|N"]
                den = A + N if unsat else A
                node[it] = (Fraction(100 * S, den) if den else None, Fraction(C, A) if A else None)
            if agg["method"] == "respondent_pooling":
                for code, p in pooled.items():
                    node[code] = p.get(k, (None, None))
            else:
                bw = agg["block_weights"]
                for b in blocks:
                    node[b["code"]] = tuple(
                        weighted_mean([(Fraction(1), node[i["code"]][m]) for i in b["items"]], propagate) for m in (0, 1)
                    )
                for c in comps:
                    ws = weights_of(bw, [(b["code"], len(b["items"])) for b in c["blocks"]])
                    node[c["code"]] = tuple(
                        weighted_mean([(w, node[b["code"]][m]) for w, b in zip(ws, c["blocks"])], propagate) for m in (0, 1)
                    )
                if agg["method"] == "overall_question":
                    node["total"] = node[agg["item"]]
                else:
                    ws = weights_of(agg["component_weights"], [(c["code"], sum(len(b["items"]) for b in c["blocks"])) for c in comps])
                    node["total"] = tuple(
                        weighted_mean([(w, node[c["code"]][m]) for w, c in zip(ws, comps)], propagate) for m in (0, 1)
                    )
            results[k] = node

    codes = ["total"] + [c["code"] for c in comps] + [b["code"] for b in blocks] + items
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("unit,code,rate,mean\n")
        for u in units_in_order + [ALL]:
            node = results.get(u, {})
            for code in codes:
                rate, mean = node.get(code, (None, None))
                name = u.replace('"', '""')
                out.write(f'"{name}",{code},{fmt(rate)},{fmt(mean)}\n')


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
