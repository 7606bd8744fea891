//! One API's pack compiled into an [`Engine`]: fields into the schema tree, rules into checks
//! attached to the nodes they target, conditions shared and given slots.

use super::check::Check;
use super::cond::Cond;
use super::cond::SlotTable;
use super::path::Path;
use super::schema::{NodeKind, NodeRule, SchemaNode};
use super::{pack, Engine, Field, ObservedCheck, Placeholders, Rule};
use pack::Pack;
use serde_json::Value;

/// Where the rules of a pack are: the packs' one rule table (a rule's global index is its place
/// in it) and the API whose rules are compiled.
pub struct RuleIndex<'a> {
    pub docs: &'a [super::rule_doc::RuleDoc],
    pub api: crate::Api,
}

impl Engine {
    /// Compile one API pack, its rules taken from `index`. `overrides` maps a rule's global index
    /// to the check that replaces
    /// the pack's (compiled from a config's `options`): the pack's rules take theirs out.
    /// Under `strict`, the rules' observed acceptances are left out: every value the pages
    /// forbid is the documented error.
    pub fn compile(
        pack: &Pack,
        index: &RuleIndex<'_>,
        overrides: &mut [Option<Check>],
        tables: serde_json::Map<String, Value>,
        placeholders: Placeholders,
        strict: bool,
    ) -> Result<Engine, String> {
        let mut fields = Vec::with_capacity(pack.fields.len());
        let mut schema = SchemaNode::default();
        let mut slots = SlotTable::default();
        for (i, f) in pack.fields.iter().enumerate() {
            let path = Path::parse(&f.pointer)
                .ok_or_else(|| format!("field `{}` is not a JSON Pointer", f.pointer))?;
            let mut null_ok = f.null_ok.as_ref().map(Cond::compile).transpose()?;
            if let Some(c) = &mut null_ok {
                c.assign_slots(&mut slots);
            }
            let node = schema.node_mut(&path);
            node.field = Some(i);
            node.required = f.required;
            fields.push(Field {
                path,
                ty: f.ty,
                required: f.required,
                coerce: f.coerce,
                secret: f.secret,
                null_ok,
                required_by: Vec::new(),
            });
        }
        let mut rules = Vec::new();
        let mut conds: Vec<Cond> = Vec::new();
        // The condition as written, per entry of `conds`: equal conditions share one entry.
        let mut cond_defs: Vec<&pack::CondDef> = Vec::new();
        let pack_rules = index.docs.iter().enumerate();
        for (global, r) in pack_rules.filter(|(_, r)| r.api == Some(index.api)) {
            let mut check = match overrides.get_mut(global).and_then(Option::take) {
                Some(check) => check,
                None => Check::from_json(&r.check).map_err(|e| format!("rule {}: {e}", r.id))?,
            };
            check.link(&mut slots, &tables);
            let cond = r
                .when
                .as_ref()
                .map(|def| cond_index(def, &mut cond_defs, &mut conds, &mut slots))
                .transpose()
                .map_err(|e| format!("rule {}: {e}", r.id))?;
            let mut observed = Vec::new();
            for (i, o) in r.observed.iter().enumerate().filter(|_| !strict) {
                let fail = |e: String| format!("rule {}: observed[{i}]: {e}", r.id);
                let mut accepts = Check::from_json(&o.accepts).map_err(|e| fail(e.to_string()))?;
                accepts.link(&mut slots, &tables);
                let cond = o
                    .when
                    .as_ref()
                    .map(|def| cond_index(def, &mut cond_defs, &mut conds, &mut slots))
                    .transpose()
                    .map_err(fail)?;
                observed.push(ObservedCheck { cond, accepts });
            }
            let mut targets = Vec::new();
            for t in &r.targets {
                let path =
                    Path::parse(t).ok_or_else(|| format!("rule {}: bad target `{t}`", r.id))?;
                let field = fields
                    .iter()
                    .position(|f: &Field| f.path.text == *t)
                    .ok_or_else(|| {
                        format!("rule {}: target `{t}` is not a declared field", r.id)
                    })?;
                let node = schema.node_mut(&path);
                let kind = match check {
                    Check::Defaulted => None,
                    Check::Required => Some(NodeKind::Required),
                    Check::Present => Some(NodeKind::Present),
                    _ => Some(NodeKind::Value),
                };
                if let Some(kind) = kind {
                    node.rules.push(NodeRule {
                        rule: rules.len(),
                        global,
                        cond,
                        kind,
                        ignores: r.member_ignored,
                    });
                    node.ignorable |= r.member_ignored;
                }
                if matches!(check, Check::Required | Check::Defaulted) {
                    node.presence.push(rules.len());
                }
                targets.push((path, Some(field)));
            }
            if matches!(check, Check::Required) {
                for (_, f) in &targets {
                    if let Some(f) = f {
                        fields[*f].required_by.push(rules.len());
                    }
                }
            }
            rules.push(Rule {
                global,
                targets,
                cond,
                check,
                observed,
            });
        }
        for (i, path) in slots.paths().iter().enumerate() {
            if let Some(node) = schema.declared_mut(path) {
                node.slot = Some(i);
            }
        }
        schema.finish()?;
        Ok(Engine {
            fields,
            schema,
            rules,
            tables,
            placeholders,
            conds,
            slot_count: slots.len(),
            test_count: slots.test_count(),
        })
    }
}

/// The index in `conds` of the condition `def`: equal conditions share one entry, compiled and
/// given its slots when first seen (`defs` holds each entry's condition as written).
fn cond_index<'p>(
    def: &'p pack::CondDef,
    defs: &mut Vec<&'p pack::CondDef>,
    conds: &mut Vec<Cond>,
    slots: &mut SlotTable,
) -> Result<usize, String> {
    if let Some(i) = defs.iter().position(|d| *d == def) {
        return Ok(i);
    }
    let mut cond = Cond::compile(def)?;
    cond.assign_slots(slots);
    defs.push(def);
    conds.push(cond);
    Ok(conds.len() - 1)
}
