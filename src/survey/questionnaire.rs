//! The survey definition (`chiso.survey/1`): legal basis, the columns of the answer
//! sheet, the answer scale, the policies, the declared aggregation and the item tree
//! (components → blocks → items, plus optional overall-satisfaction items).
//!
//! [`Questionnaire`] is the file as written; [`Survey`] is the validated, flattened form
//! the estimators use.

use super::policy::Policies;
use super::{MAX_ITEMS, MAX_SCALE_OPTIONS, MAX_SCALE_VALUE};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::engine::ROOT_CODE;
use crate::index::{Completeness, LegalBasis, UnitLevel, YearRange};
use crate::text::Text;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

mod checks;
use checks::{check_columns, check_scale, resolve};

/// The format tag written in every survey definition.
pub const SURVEY_FORMAT: &str = "chiso.survey/1";

/// A survey definition as written in a `*.survey.json` file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Format tag, always `chiso.survey/1`.
    pub format: String,
    /// Stable identifier, e.g. `sipas-1001-2023-q9`.
    pub id: String,
    /// Name of the survey.
    pub title: Text,
    /// Version of the method or form (not of chiso).
    pub version: String,
    /// The legal acts (or published methodology) the structure comes from.
    pub legal_basis: Vec<LegalBasis>,
    /// Unit levels the survey is used for.
    pub unit_levels: Vec<UnitLevel>,
    /// Years the method is in force for.
    pub years: YearRange,
    /// Whether the definition is complete, partial, provisional or an illustration.
    pub completeness: Completeness,
    /// Free notes: sources, caveats, what is not publicly available.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// Names of the answer sheet's columns (defaults: `id`, `unit`, `stratum`, `weight`).
    #[serde(default)]
    pub columns: Columns,
    /// The answer scale shared by every item.
    pub scale: Scale,
    /// What no-answers, off-scale answers and unanswered items do.
    pub policies: Policies,
    /// How items form blocks, components and the index (declared: no official formula
    /// is published).
    pub aggregation: Aggregation,
    /// The components (thành phần), each made of blocks (yếu tố / nhóm) of items.
    pub components: Vec<Component>,
    /// Overall-satisfaction items ("nói chung") answered on the same scale but outside
    /// the blocks; the `overall_question` aggregation takes the index from one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overall_items: Vec<Item>,
}

/// Column names of an answer sheet. Item columns are named by the item codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// Respondent identifier (required in every sheet; duplicates within a unit are errors).
    #[serde(default = "default_respondent")]
    pub respondent: String,
    /// The surveyed unit (required in every sheet).
    #[serde(default = "default_unit")]
    pub unit: String,
    /// Stratum, optional in the sheet (the bootstrap resamples within strata).
    #[serde(default = "default_stratum")]
    pub stratum: String,
    /// Sampling weight, optional in the sheet (present = weighted estimates).
    #[serde(default = "default_weight")]
    pub weight: String,
}

fn default_respondent() -> String {
    "id".into()
}
fn default_unit() -> String {
    "unit".into()
}
fn default_stratum() -> String {
    "stratum".into()
}
fn default_weight() -> String {
    "weight".into()
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            respondent: default_respondent(),
            unit: default_unit(),
            stratum: default_stratum(),
            weight: default_weight(),
        }
    }
}

/// The answer scale (e.g. 1 Rất không hài lòng … 5 Rất hài lòng).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The options, each a whole number with its wording.
    pub options: Vec<ScaleOption>,
    /// Values counted as satisfied (hài lòng) in the satisfaction rate.
    pub satisfied: Vec<u16>,
    /// Cell texts meaning "no answer" besides the empty cell (e.g. `99`, `KTL`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_answer_codes: Vec<String>,
}

/// One option of the scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleOption {
    /// The value written in the sheet and used in the mean score.
    pub value: u16,
    /// Wording of the option, verbatim.
    pub label: Text,
}

/// A component (thành phần), e.g. policy or services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Stable code, e.g. `I`.
    pub code: String,
    /// Name.
    pub title: Text,
    /// Notes (source status).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// The blocks.
    pub blocks: Vec<Block>,
}

/// A block of items (yếu tố, nhóm), e.g. access to services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// Stable code, e.g. `II.A`.
    pub code: String,
    /// Name.
    pub title: Text,
    /// Notes (source status).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// The items.
    pub items: Vec<Item>,
}

/// One satisfaction item; its code is the column name in the answer sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable code and column name, e.g. `q9_sat_24`.
    pub code: String,
    /// Wording or description.
    pub title: Text,
    /// Notes (source status).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
}

/// How the index is formed. The JSON `method` field names the variant.
///
/// | method | blocks and components | index |
/// |---|---|---|
/// | `hierarchical` | block = mean of its item scores; component = weighted mean of its blocks (`block_weights`) | weighted mean of the components (`component_weights`) |
/// | `respondent_pooling` | per respondent, the share of the node's items rated satisfied (the mean of their scores); the node = weighted mean over respondents | same, over all scored items |
/// | `overall_question` | as `hierarchical` (`block_weights`) | the score of the named overall item |
///
/// With `item_count` weights at both levels, `hierarchical` is the item-level mean;
/// with `equal` component weights it is the mean of the components (which the
/// published national 2023 and 2024 figures rule out as MOHA's rule, reference
/// `sipas.md` §3.1, while Hà Nội 2024 fits it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Aggregation {
    /// Item score → block → component → index.
    Hierarchical {
        /// Weights of the blocks within their component.
        block_weights: Weighting,
        /// Weights of the components within the index.
        component_weights: Weighting,
    },
    /// Respondent-level pooling at every level above the item.
    RespondentPooling,
    /// The index is an overall-satisfaction question; blocks and components as
    /// `hierarchical`.
    OverallQuestion {
        /// Code of the overall item (one of `overall_items`).
        item: String,
        /// Weights of the blocks within their component.
        block_weights: Weighting,
    },
}

impl Aggregation {
    /// Short name of the method (`hierarchical`, `respondent_pooling`, `overall_question`).
    pub fn method(&self) -> &'static str {
        match self {
            Aggregation::Hierarchical { .. } => "hierarchical",
            Aggregation::RespondentPooling => "respondent_pooling",
            Aggregation::OverallQuestion { .. } => "overall_question",
        }
    }
}

/// Weights of the children of a node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// Every child weighs the same (a plain mean).
    Equal,
    /// Each child weighs its number of items (the mean over the items below).
    ItemCount,
    /// A positive weight per child code.
    Declared(BTreeMap<String, Decimal>),
}

/// Level of a node in the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The index (code `total`).
    Index,
    /// A component.
    Component,
    /// A block.
    Block,
    /// A satisfaction item inside a block.
    Item,
    /// An overall-satisfaction item.
    OverallItem,
}

/// A node of the flattened tree, in output order.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRef {
    /// Code (`total` for the index).
    pub code: String,
    /// Name.
    pub title: Text,
    /// Level.
    pub level: Level,
    /// Position among the nodes of its level (items: among all items).
    pub at: usize,
}

/// A block of the flattened tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BlockRef {
    pub(crate) items: Range<usize>,
}

/// A component of the flattened tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ComponentRef {
    pub(crate) blocks: Range<usize>,
    pub(crate) items: Range<usize>,
}

/// A validated survey definition.
///
/// Items are numbered in tree order (the scored items of every block, then the overall
/// items); answers are stored as positions on the scale (0 = no answer).
///
/// ```
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/criteria/sipas/sipas-1001-2023-q9.survey.json");
/// let survey = chiso::survey::Survey::from_file(path.as_ref()).unwrap();
/// assert_eq!(survey.scored_items(), 39);
/// assert_eq!(survey.nodes()[0].code, "total");
/// ```
#[derive(Debug, Clone)]
pub struct Survey {
    def: Questionnaire,
    pub(crate) item_codes: Vec<String>,
    pub(crate) blocks: Vec<BlockRef>,
    pub(crate) components: Vec<ComponentRef>,
    pub(crate) scored: usize,
    /// Value of scale position `k` at `values[k - 1]`.
    pub(crate) values: Vec<u16>,
    /// Whether scale position `k` is satisfied, at `satisfied[k - 1]`.
    pub(crate) satisfied: Vec<bool>,
    /// Scale position of each value `0..=MAX_SCALE_VALUE` (0 = not on the scale).
    pub(crate) position_of: Vec<u8>,
    pub(crate) block_weights: Vec<Decimal>,
    pub(crate) component_weights: Vec<Decimal>,
    /// Item the index is taken from (`overall_question`).
    pub(crate) index_item: Option<usize>,
    nodes: Vec<NodeRef>,
}

fn err(path: impl Into<String>, code: Option<&str>, problem: Problem) -> Diagnostic {
    Diagnostic::error(path, code, problem)
}

impl Survey {
    /// Parses and validates a definition; every problem at once, each with its JSON path.
    ///
    /// ```
    /// let err = chiso::survey::Survey::from_json(r#"{"format": "chiso.survey/1"}"#).unwrap_err();
    /// assert!(err.render(chiso::Lang::En).contains("missing field"));
    /// ```
    pub fn from_json(text: &str) -> Result<Survey, Diagnostics> {
        let value = crate::load::parse(text)?;
        if let Some(d) = crate::load::check_format(&value, SURVEY_FORMAT) {
            return Err(Diagnostics(vec![d]));
        }
        let def: Questionnaire =
            crate::load::typed(value, "$", None).map_err(|d| Diagnostics(vec![*d]))?;
        Survey::new(def)
    }

    /// Reads, parses and validates a definition file; diagnostics name the file.
    pub fn from_file(path: &std::path::Path) -> Result<Survey, Diagnostics> {
        let name = path.display().to_string();
        let text = crate::load::read_file(path).map_err(|d| d.in_file(&name))?;
        Survey::from_json(&text).map_err(|d| d.in_file(&name))
    }

    /// Validates a definition.
    pub fn new(def: Questionnaire) -> Result<Survey, Diagnostics> {
        let mut d = Diagnostics::default();
        if def.format != SURVEY_FORMAT {
            d.push(err(
                "$.format",
                None,
                Problem::WrongFormat {
                    expected: SURVEY_FORMAT.into(),
                    found: def.format.clone(),
                },
            ));
        }
        check_columns(&def, &mut d);
        let (values, satisfied, position_of) = check_scale(&def, &mut d);

        // Codes: unique across the tree, not empty, not a column name, not `total`.
        let mut seen: HashMap<String, String> = HashMap::new();
        seen.insert(ROOT_CODE.into(), "(index)".into());
        let columns = [
            &def.columns.respondent,
            &def.columns.unit,
            &def.columns.stratum,
            &def.columns.weight,
        ];
        let mut code = |c: &str, path: String, is_item: bool, d: &mut Diagnostics| {
            if c.trim().is_empty() {
                d.push(err(path, None, Problem::EmptyCode));
                return;
            }
            if is_item && columns.iter().any(|col| col.as_str() == c) {
                d.push(err(
                    path.clone(),
                    Some(c),
                    Problem::Overlap {
                        first: "item codes / mã câu hỏi".into(),
                        second: "column names / tên cột".into(),
                        both: c.into(),
                    },
                ));
            }
            match seen.get(c) {
                Some(first) => d.push(err(
                    path,
                    Some(c),
                    Problem::DuplicateCode {
                        first_path: first.clone(),
                    },
                )),
                None => {
                    seen.insert(c.to_owned(), path);
                }
            }
        };

        let mut item_codes = Vec::new();
        let mut blocks = Vec::new();
        let mut components = Vec::new();
        let mut nodes = vec![NodeRef {
            code: ROOT_CODE.into(),
            title: def.title.clone(),
            level: Level::Index,
            at: 0,
        }];
        if def.components.is_empty() {
            d.push(err(
                "$.components",
                None,
                Problem::Empty {
                    what: "components / danh sách thành phần (components)".into(),
                },
            ));
        }
        for (ci, comp) in def.components.iter().enumerate() {
            let cpath = format!("$.components[{ci}]");
            code(&comp.code, format!("{cpath}.code"), false, &mut d);
            nodes.push(NodeRef {
                code: comp.code.clone(),
                title: comp.title.clone(),
                level: Level::Component,
                at: ci,
            });
            if comp.blocks.is_empty() {
                d.push(err(
                    format!("{cpath}.blocks"),
                    Some(&comp.code),
                    Problem::Empty {
                        what: "blocks / danh sách khối (blocks)".into(),
                    },
                ));
            }
            let (b0, i0) = (blocks.len(), item_codes.len());
            for (bi, block) in comp.blocks.iter().enumerate() {
                let bpath = format!("{cpath}.blocks[{bi}]");
                code(&block.code, format!("{bpath}.code"), false, &mut d);
                nodes.push(NodeRef {
                    code: block.code.clone(),
                    title: block.title.clone(),
                    level: Level::Block,
                    at: blocks.len(),
                });
                if block.items.is_empty() {
                    d.push(err(
                        format!("{bpath}.items"),
                        Some(&block.code),
                        Problem::Empty {
                            what: "items / danh sách câu hỏi (items)".into(),
                        },
                    ));
                }
                let start = item_codes.len();
                for (ii, item) in block.items.iter().enumerate() {
                    code(
                        &item.code,
                        format!("{bpath}.items[{ii}].code"),
                        true,
                        &mut d,
                    );
                    nodes.push(NodeRef {
                        code: item.code.clone(),
                        title: item.title.clone(),
                        level: Level::Item,
                        at: item_codes.len(),
                    });
                    item_codes.push(item.code.clone());
                }
                blocks.push(BlockRef {
                    items: start..item_codes.len(),
                });
            }
            components.push(ComponentRef {
                blocks: b0..blocks.len(),
                items: i0..item_codes.len(),
            });
        }
        let scored = item_codes.len();
        for (oi, item) in def.overall_items.iter().enumerate() {
            code(
                &item.code,
                format!("$.overall_items[{oi}].code"),
                true,
                &mut d,
            );
            nodes.push(NodeRef {
                code: item.code.clone(),
                title: item.title.clone(),
                level: Level::OverallItem,
                at: item_codes.len(),
            });
            item_codes.push(item.code.clone());
        }
        if item_codes.len() > MAX_ITEMS {
            d.push(err(
                "$.components",
                None,
                Problem::TooManyNodes { limit: MAX_ITEMS },
            ));
        }

        // Weights.
        let (block_weight_decl, component_weight_decl, index_item) = match &def.aggregation {
            Aggregation::Hierarchical {
                block_weights,
                component_weights,
            } => (Some(block_weights), Some(component_weights), None),
            Aggregation::RespondentPooling => (None, None, None),
            Aggregation::OverallQuestion {
                item,
                block_weights,
            } => {
                let at = def
                    .overall_items
                    .iter()
                    .position(|o| &o.code == item)
                    .map(|p| scored + p);
                if at.is_none() {
                    d.push(err(
                        "$.aggregation.item",
                        Some(item),
                        Problem::UnknownOption {
                            option: item.clone(),
                            allowed: def.overall_items.iter().map(|o| o.code.clone()).collect(),
                        },
                    ));
                }
                (Some(block_weights), None, at)
            }
        };
        let mut block_weights = Vec::with_capacity(blocks.len());
        for comp in &def.components {
            let children: Vec<(&str, usize)> = comp
                .blocks
                .iter()
                .map(|b| (b.code.as_str(), b.items.len()))
                .collect();
            block_weights.extend(resolve(
                block_weight_decl,
                &children,
                "$.aggregation.block_weights",
                &mut d,
            ));
        }
        let children: Vec<(&str, usize)> = def
            .components
            .iter()
            .map(|c| {
                (
                    c.code.as_str(),
                    c.blocks.iter().map(|b| b.items.len()).sum(),
                )
            })
            .collect();
        let component_weights = resolve(
            component_weight_decl,
            &children,
            "$.aggregation.component_weights",
            &mut d,
        );
        // A declared map must not name codes that are not children at that level.
        let all_blocks: Vec<&str> = def
            .components
            .iter()
            .flat_map(|c| c.blocks.iter().map(|b| b.code.as_str()))
            .collect();
        if let Some(Weighting::Declared(w)) = block_weight_decl {
            for k in w.keys().filter(|k| !all_blocks.contains(&k.as_str())) {
                d.push(err(
                    format!("$.aggregation.block_weights.declared.{k}"),
                    Some(k),
                    Problem::WeightUnknownChild { child: k.clone() },
                ));
            }
        }
        if let Some(Weighting::Declared(w)) = component_weight_decl {
            for k in w
                .keys()
                .filter(|k| !children.iter().any(|c| c.0 == k.as_str()))
            {
                d.push(err(
                    format!("$.aggregation.component_weights.declared.{k}"),
                    Some(k),
                    Problem::WeightUnknownChild { child: k.clone() },
                ));
            }
        }

        if d.has_errors() {
            return Err(d);
        }
        Ok(Survey {
            def,
            item_codes,
            blocks,
            components,
            scored,
            values,
            satisfied,
            position_of,
            block_weights,
            component_weights,
            index_item,
            nodes,
        })
    }

    /// The definition as written.
    pub fn definition(&self) -> &Questionnaire {
        &self.def
    }

    /// Nodes in output order: the index (`total`), then each component followed by its
    /// blocks, each block followed by its items; then the overall items.
    pub fn nodes(&self) -> &[NodeRef] {
        &self.nodes
    }

    /// Number of items inside the blocks (39 on the 1001 form).
    pub fn scored_items(&self) -> usize {
        self.scored
    }

    /// Codes of every item (scored, then overall), in column order.
    pub fn item_codes(&self) -> &[String] {
        &self.item_codes
    }

    /// Number of scale options.
    pub(crate) fn positions(&self) -> usize {
        self.values.len()
    }

    /// Values of the scale, in order.
    pub fn scale_values(&self) -> &[u16] {
        &self.values
    }
}
