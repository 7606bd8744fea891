//! A run: the visit of one document against a compiled [`Engine`], member by member in the
//! order the pack declares them, and the [`Finding`]s it makes (generic rules, presence rules,
//! the checks of given values, and the concealment of a secret member's parameters).

use super::check::{self, Env, Val};
use super::coerce::{coerce, Typed};
use super::pack::{Coerce, FieldType};
use super::path::{push_seg, Seg, Slots};
use super::schema::{NodeKind, NodeRule, SchemaNode};
use super::{suggest, with_room, At, Engine, Field, Finding, Generic, Levels, Param, Params, Rule};
use crate::doc::Doc;
use serde_json::Value;

impl Engine {
    /// Run every rule over a document that is a JSON object. With `first_only`, the visit stops
    /// at the first finding (a verdict, not a report).
    pub fn run<D: Doc>(
        &self,
        root: &D,
        context: &serde_json::Map<String, Value>,
        levels: &Levels,
        generic: &Generic,
        first_only: bool,
        out: &mut Vec<Finding>,
    ) {
        self.visit(root, context, levels, generic, first_only, out, false);
    }

    /// [`Engine::run`] over a document read as a template: its unknown values
    /// ([`crate::doc::Kind::Unknown`]) count as given, and stay unjudged, as do the rules whose
    /// condition reads one.
    pub fn run_template<D: Doc>(
        &self,
        root: &D,
        context: &serde_json::Map<String, Value>,
        levels: &Levels,
        generic: &Generic,
        first_only: bool,
        out: &mut Vec<Finding>,
    ) {
        self.visit(root, context, levels, generic, first_only, out, true);
    }

    #[allow(clippy::too_many_arguments)]
    fn visit<D: Doc>(
        &self,
        root: &D,
        context: &serde_json::Map<String, Value>,
        levels: &Levels,
        generic: &Generic,
        first_only: bool,
        out: &mut Vec<Finding>,
        unknowns: bool,
    ) {
        // Room for a few findings: growing the list one by one costs more than the checks (a
        // verdict, `first_only`, keeps at most one).
        if !first_only {
            out.reserve(8);
        }
        let mut run = Run::new(self, root, context, levels, generic, first_only, out);
        run.unknowns = unknowns;
        run.object(root, &self.schema, &Trail::Base(&[]));
    }

    /// The findings of [`Engine::run`] at or under one member (`toks`, the unescaped tokens of its
    /// pointer): the visit goes down the path exactly as far as the whole-body visit would, then
    /// visits that member as the whole-body visit does. Findings elsewhere (those of rules whose
    /// condition reads the member) are not produced; a caller that wants them runs the whole body.
    #[allow(clippy::too_many_arguments)]
    pub fn run_member<D: Doc>(
        &self,
        root: &D,
        toks: &[&str],
        context: &serde_json::Map<String, Value>,
        levels: &Levels,
        generic: &Generic,
        out: &mut Vec<Finding>,
    ) {
        let mut stack = Vec::with_capacity(toks.len());
        Run::new(self, root, context, levels, generic, false, out).down_to(root, toks, &mut stack);
    }
}

/// Where the visit is: the segments from the root to the member being visited, as a list linked
/// up the native stack (each level of the visit holds its own step), so a run allocates nothing
/// for it and a pointer is written only for a finding.
#[derive(Clone, Copy)]
enum Trail<'s, 't> {
    /// The segments above the first step (none for a whole-body visit).
    Base(&'t [Seg<'s>]),
    Step(Seg<'s>, &'t Trail<'s, 't>),
}

impl<'s> Trail<'s, '_> {
    /// The member's own segment.
    fn last(&self) -> Option<Seg<'s>> {
        match self {
            Trail::Base(segs) => segs.last().copied(),
            Trail::Step(seg, _) => Some(*seg),
        }
    }

    /// The RFC 6901 pointer of the member.
    fn pointer(&self) -> String {
        let mut out = String::with_capacity(32);
        self.write(&mut out);
        out
    }

    /// Appends the segments from the root down (the trail is as deep as the visit: a few levels).
    fn write(&self, out: &mut String) {
        match self {
            Trail::Base(segs) => segs.iter().for_each(|s| push_seg(out, s)),
            Trail::Step(seg, up) => {
                up.write(out);
                push_seg(out, seg);
            }
        }
    }
}

/// Drop from a secret member's finding every parameter that could carry its value: text
/// (`Str`, `List`: a check may quote the value or a part of it) and a number equal to the value.
/// What stays is vocabulary (`Term`, `Terms`) and counts and limits. This is the one place a
/// check's parameters pass on their way from a secret member, so no check kind, built-in or
/// written in a pack or a config, has to remember the secret itself.
fn conceal(params: &mut Params, value: Option<&Val<'_>>) {
    let own = value.and_then(|v| match v {
        Val::Int(i) => Some(*i),
        Val::Str(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    });
    params.retain(|(_, p)| match p {
        Param::Str(_) | Param::List(_) => false,
        Param::Int(i) => Some(*i) != own,
        Param::Term(_) | Param::Terms(_) => true,
    });
}

/// [`conceal`] for a member a reader marked secret, with the value the body holds there.
#[cfg(feature = "terraform")]
pub(crate) fn conceal_value(params: &mut Params, value: Option<&crate::json::Value<'_>>) {
    let val = value.and_then(|v| match &v.kind {
        crate::json::Kind::String(s) => Some(Val::Str(std::borrow::Cow::Borrowed(s))),
        crate::json::Kind::Number(n) => n.as_i64().map(Val::Int),
        _ => None,
    });
    conceal(params, val.as_ref());
}

struct Run<'a, 'd, D: Doc> {
    engine: &'a Engine,
    context: &'a serde_json::Map<String, Value>,
    levels: &'a Levels,
    generic: &'a Generic,
    out: &'a mut Vec<Finding>,
    /// Stop at the first finding ([`crate::Linter::is_valid`] asks only whether there is one).
    first_only: bool,
    /// A finding was made and `first_only` is set: the visit goes no further.
    done: bool,
    /// Whether placeholders are looked for in plain and in secret values (read once per run: not
    /// for `is_valid`, whose rules are the errors).
    placeholders_plain: bool,
    placeholders_secret: bool,
    /// The fields that conditions and lookups read, resolved once per run; its memo of test
    /// results also holds the rule conditions' (after the field tests).
    slots: Slots<'d, D>,
    /// The document may hold unknown values (read as a template: [`Engine::run_template`]).
    unknowns: bool,
}

impl<'a, 'd, D: Doc> Run<'a, 'd, D> {
    fn new(
        engine: &'a Engine,
        root: &'d D,
        context: &'a serde_json::Map<String, Value>,
        levels: &'a Levels,
        generic: &'a Generic,
        first_only: bool,
        out: &'a mut Vec<Finding>,
    ) -> Self {
        let on = |rule: usize| levels.get(rule).copied().flatten().is_some();
        Run {
            engine,
            context,
            levels,
            generic,
            out,
            first_only,
            done: false,
            placeholders_plain: on(generic.placeholder),
            placeholders_secret: on(generic.placeholder) || on(generic.plaintext_password),
            slots: Slots::with_tests(
                root,
                engine.slot_count,
                engine.test_count + engine.conds.len(),
            ),
            unknowns: false,
        }
    }

    fn on(&self, rule: usize) -> bool {
        self.levels.get(rule).copied().flatten().is_some()
    }

    fn emit(&mut self, rule: usize, trail: &Trail<'_, '_>, params: Params, at: At) {
        if self.on(rule) {
            self.out.push(Finding {
                rule,
                pointer: trail.pointer(),
                params,
                at,
            });
            self.done = self.first_only;
        }
    }

    /// Whether a rule applies: on, and its condition (evaluated once per run) holds.
    #[inline]
    fn applies(&self, rule: &Rule) -> bool {
        self.on(rule.global) && self.holds(rule)
    }

    /// Whether a rule's condition (evaluated once per run) holds, whether or not the rule is on.
    fn holds(&self, rule: &Rule) -> bool {
        self.cond_holds(rule.cond)
    }

    /// [`Run::applies`] for a rule as a schema node lists it.
    #[inline(always)]
    fn node_rule_applies(&self, r: &NodeRule) -> bool {
        self.on(r.global) && self.cond_holds(r.cond)
    }

    /// Whether condition `cond` (an index into `Engine::conds`; `None`: no condition) holds,
    /// evaluated at most once per run.
    fn cond_holds(&self, cond: Option<usize>) -> bool {
        let Some(c) = cond else { return true };
        let engine = self.engine;
        self.slots.test(engine.test_count + c, || {
            let cond = &engine.conds[c];
            !(self.unknowns && cond.reads_unknown(&self.slots))
                && cond.eval_in(&self.slots, &engine.tables, self.context)
        })
    }

    /// The first of a rule's observed acceptances whose condition holds and whose check the
    /// value passes, by its index in the rule's list.
    fn observed<'e>(&self, rule: &Rule, val: &Val<'_>, env: &Env<'e, 'd, D>) -> Option<usize> {
        rule.observed
            .iter()
            .position(|o| self.cond_holds(o.cond) && check::apply(&o.accepts, val, env).is_none())
    }

    /// Whether the service ignores this given member (a `member_ignored` rule's condition holds,
    /// whether or not that rule is on): then that rule's finding is the only one about it, and
    /// its type, value and placeholder checks stay silent.
    fn ignored(&mut self, schema: &SchemaNode, trail: &Trail<'_, '_>) -> bool {
        if !schema
            .rules
            .iter()
            .any(|r| r.ignores && self.cond_holds(r.cond))
        {
            return false;
        }
        for r in &schema.rules {
            if r.ignores && self.node_rule_applies(r) {
                self.emit(r.global, trail, Vec::new(), At::Key);
                if self.done {
                    break;
                }
            }
        }
        true
    }

    fn required_rule_holds(&self, field: &Field) -> bool {
        let engine = self.engine;
        field
            .required_by
            .iter()
            // A null where a required-when rule's condition holds is "missing" (that rule's
            // finding), not "absent" (HC007), even when that rule is turned off: the verdict on
            // one rule must not depend on another rule's severity.
            .any(|&r| self.holds(&engine.rules[r]))
    }

    fn object(&mut self, node: &'d D, schema: &'a SchemaNode, trail: &Trail<'a, '_>)
    where
        'd: 'a,
    {
        // Most declared objects have a few members: their binding table is cleared in a few
        // stores instead of a 512-byte fill (measured in docs/performance.md).
        if schema.children.len() <= 16 {
            self.object_with::<16>(node, schema, trail)
        } else {
            self.object_with::<64>(node, schema, trail)
        }
    }

    /// [`Run::object`] with a binding table of `N >= schema.children.len()` entries.
    fn object_with<const N: usize>(
        &mut self,
        node: &'d D,
        schema: &'a SchemaNode,
        trail: &Trail<'a, '_>,
    ) where
        'd: 'a,
    {
        // Members are bound to the declared names first (`finish` keeps at most 64); of
        // duplicated keys the last one counts (as serde_json keeps it).
        let mut bound: [Option<&'d D>; N] = [None; N];
        // Undeclared names already reported: a duplicated one is one finding, as in a value.
        let mut unknown: Vec<&str> = Vec::new();
        if let Some(members) = node.members() {
            // In document order, a later duplicate replacing an earlier one: the last counts.
            for (k, v) in members {
                match schema.find(k) {
                    Some(ci) => bound[ci] = Some(v),
                    None if self.on(self.generic.unknown_member) => {
                        if unknown.contains(&k) {
                            continue;
                        }
                        unknown.push(k);
                        self.unknown_member(k, schema, trail);
                    }
                    None => {}
                }
            }
        }
        for &(ci, s) in &schema.slotted {
            self.slots.set(s, bound[ci]);
        }
        // Then visited in the order the pack declares them (`finish` keeps at most 64), which
        // puts the fields conditions read (engine, mode, charge mode) before most readers.
        for ((key, child), &v) in schema.children.iter().zip(&bound) {
            if self.done {
                return;
            }
            if v.is_none() && !child.required && child.presence.is_empty() {
                continue;
            }
            self.member(v, Some(node), child, &Trail::Step(Seg::Key(key), trail));
        }
    }

    /// The finding on an undeclared member `k` of an object whose declared members are
    /// `schema`'s, with the declared name it may be a typo of.
    fn unknown_member(&mut self, k: &'d str, schema: &SchemaNode, trail: &Trail<'a, '_>)
    where
        'd: 'a,
    {
        let mut params = with_room([("member", Param::Str(k.to_string()))]);
        let names = schema.children.iter().map(|(n, _)| n.as_str());
        if let Some(s) = suggest(k, names) {
            params.push(("suggestion", Param::Str(s.to_string())));
        }
        let at = Trail::Step(Seg::Key(k), trail);
        self.emit(self.generic.unknown_member, &at, params, At::Key);
    }

    /// [`Engine::run_member`]'s walk. `node` is the root, an object.
    fn down_to(&mut self, root: &'d D, toks: &[&str], stack: &mut Vec<Seg<'a>>)
    where
        'd: 'a,
    {
        let engine = self.engine;
        let (mut node, mut schema, mut ty) = (root, &engine.schema, FieldType::Object);
        for (i, &tok) in toks.iter().enumerate() {
            let last = i + 1 == toks.len();
            // Where the whole-body visit goes next from `node`, and what it reaches.
            let (seg, child_schema, child) = match ty {
                FieldType::Object => {
                    let Some(ci) = schema.find(tok) else {
                        // An undeclared member is reported as `object` reports it (once, also
                        // when duplicated); nothing under it is visited.
                        if last && self.on(self.generic.unknown_member) {
                            let mut members = node.members().into_iter().flatten();
                            if let Some((k, _)) = members.find(|(k, _)| *k == tok) {
                                self.unknown_member(k, schema, &Trail::Base(stack));
                            }
                        }
                        return;
                    };
                    let (key, child_schema) = &schema.children[ci];
                    (Seg::Key(key), child_schema, node.get(tok))
                }
                FieldType::Array => {
                    let Some(items) = &schema.items else { return };
                    // Only the index as the visit writes it (`1`, not `01`) names the item.
                    match tok.parse::<usize>() {
                        Ok(n) if n.to_string() == tok => {
                            (Seg::Index(n), &**items, node.items().get(n))
                        }
                        _ => return,
                    }
                }
                _ => return,
            };
            stack.push(seg);
            if last {
                self.member(child, Some(node), child_schema, &Trail::Base(stack));
                return;
            }
            // Past a member, the visit goes on only into a declared, well-typed container
            // (as `member` decides).
            let Some(child) = child else { return };
            let Some(fi) = child_schema.field else { return };
            let field = &engine.fields[fi];
            if child.is_null() || matches!(coerce(field.ty, child), Typed::Wrong(_)) {
                return;
            }
            (node, schema, ty) = (child, child_schema, field.ty);
        }
    }

    /// Presence rules (`required`, `defaulted`) for a member that is absent or null.
    fn absent_rules(&mut self, schema: &SchemaNode, trail: &Trail<'_, '_>, at: At) {
        let engine = self.engine;
        for &r in &schema.presence {
            let rule = &engine.rules[r];
            if self.applies(rule) {
                self.emit(rule.global, trail, Vec::new(), at);
            }
        }
    }

    fn member(
        &mut self,
        node: Option<&'d D>,
        parent: Option<&'d D>,
        schema: &'a SchemaNode,
        trail: &Trail<'a, '_>,
    ) where
        'd: 'a,
    {
        let Some(fi) = schema.field else { return };
        let engine = self.engine;
        let field = &engine.fields[fi];
        let g = self.generic;
        let Some(node) = node else {
            if field.required {
                let p = vec![("state", Param::Term("absent"))];
                self.emit(g.missing_required, trail, p, At::Missing);
            }
            self.absent_rules(schema, trail, At::Missing);
            return;
        };
        if self.unknowns && node.is_unknown() {
            self.unknown_rules(schema, trail);
            return;
        }
        if node.is_null() {
            // An array item cannot be absent: the service receives the null.
            if matches!(trail.last(), Some(Seg::Index(_))) {
                let p = vec![
                    ("expected", Param::Term(field.ty.name())),
                    ("actual", Param::Term("null")),
                    ("reason", Param::Term("type")),
                ];
                self.emit(g.wrong_type, trail, p, At::Value);
                return;
            }
            if field.required {
                let p = vec![("state", Param::Term("null"))];
                self.emit(g.missing_required, trail, p, At::Value);
            } else if field
                .null_ok
                .as_ref()
                .is_some_and(|c| c.eval_in(&self.slots, &engine.tables, self.context))
                || self.required_rule_holds(field)
            {
            } else {
                self.emit(g.null_value, trail, Vec::new(), At::Value);
            }
            self.absent_rules(schema, trail, At::Value);
            return;
        }
        if schema.ignorable && self.ignored(schema, trail) {
            return;
        }
        let typed = match coerce(field.ty, node) {
            Typed::Exact(v) => Some(v),
            Typed::Coerced(v) => {
                if field.coerce == Coerce::Warn {
                    let p = vec![
                        ("expected", Param::Term(field.ty.name())),
                        ("actual", Param::Term(node.kind().name())),
                    ];
                    self.emit(g.coerced_type, trail, p, At::Value);
                }
                Some(v)
            }
            Typed::Wrong(reason) => {
                let p = vec![
                    ("expected", Param::Term(field.ty.name())),
                    ("actual", Param::Term(node.kind().name())),
                    ("reason", Param::Term(reason)),
                ];
                self.emit(g.wrong_type, trail, p, At::Value);
                None
            }
        };
        let empty = matches!(&typed, Some(Val::Str(s)) if s.is_empty());
        if empty && field.required {
            let p = vec![("state", Param::Term("empty"))];
            self.emit(g.missing_required, trail, p, At::Value);
        } else if let Some(Val::Str(s)) = &typed {
            // Looked for only where a finding can come of it (not for `is_valid`'s errors).
            let asked = if field.secret {
                self.placeholders_secret
            } else {
                self.placeholders_plain
            };
            if asked && engine.placeholders.matches(s) {
                let mut p = Vec::new();
                if !field.secret {
                    p.push(("value", Param::Str(s.to_string())));
                }
                self.emit(g.placeholder, trail, p, At::Value);
            } else if field.secret && !s.is_empty() {
                self.emit(g.plaintext_password, trail, Vec::new(), At::Value);
            }
        }
        if !schema.rules.is_empty() {
            self.value_rules(schema, field, node, parent, typed.as_ref(), empty, trail);
        }
        if typed.is_none() || (empty && field.required) {
            return;
        }
        match field.ty {
            FieldType::Object => self.object(node, schema, trail),
            FieldType::Array => {
                if let Some(items) = &schema.items {
                    for (i, item) in node.items().iter().enumerate() {
                        if self.done {
                            return;
                        }
                        let at = Trail::Step(Seg::Index(i), trail);
                        self.member(Some(item), Some(node), items, &at);
                    }
                }
            }
            _ => {}
        }
    }

    /// The rules attached to a member whose value a template fills in: given, so the rules
    /// about its presence apply; its value is not known, so no value rule does (nor the type,
    /// placeholder and plain-text password checks), and nothing under it is visited.
    fn unknown_rules(&mut self, schema: &SchemaNode, trail: &Trail<'_, '_>) {
        for r in &schema.rules {
            if r.kind == NodeKind::Present && self.node_rule_applies(r) {
                self.out.push(Finding {
                    rule: r.global,
                    pointer: trail.pointer(),
                    params: Vec::new(),
                    at: At::Key,
                });
                if self.first_only {
                    self.done = true;
                    return;
                }
            }
        }
    }

    /// The rules attached to a member that is given (not null).
    #[allow(clippy::too_many_arguments)]
    fn value_rules(
        &mut self,
        schema: &SchemaNode,
        field: &Field,
        node: &'d D,
        parent: Option<&'d D>,
        typed: Option<&Val<'d>>,
        empty: bool,
        trail: &Trail<'_, '_>,
    ) {
        let engine = self.engine;
        let checked = typed.filter(|_| !(empty && field.required));
        // What a check sees besides the value is the same for every rule here: built once.
        let env = Env {
            slots: &self.slots,
            node,
            parent,
            tables: &engine.tables,
            context: self.context,
            secret: field.secret,
        };
        for r in &schema.rules {
            let hit = match r.kind {
                NodeKind::Required => {
                    (empty && self.node_rule_applies(r)).then(|| (Vec::new(), At::Value))
                }
                NodeKind::Present => self.node_rule_applies(r).then(|| (Vec::new(), At::Key)),
                NodeKind::Value => match checked {
                    Some(val) if self.node_rule_applies(r) => {
                        let rule = &engine.rules[r.rule];
                        match check::apply(&rule.check, val, &env) {
                            Some(mut p) if !rule.observed.is_empty() => {
                                match self.observed(rule, val, &env) {
                                    // At most a warning: not what a verdict looks for.
                                    Some(_) if self.first_only => None,
                                    Some(i) => {
                                        p.push(("observed", Param::Int(i as i64)));
                                        Some((p, At::Value))
                                    }
                                    None => Some((p, At::Value)),
                                }
                            }
                            p => p.map(|p| (p, At::Value)),
                        }
                    }
                    _ => None,
                },
            };
            if let Some((mut params, at)) = hit {
                if field.secret {
                    conceal(&mut params, checked);
                }
                // Straight to the list (the rule is on: `node_rule_applies`), leaving `env`'s
                // borrow of the slots alone.
                self.out.push(Finding {
                    rule: r.global,
                    pointer: trail.pointer(),
                    params,
                    at,
                });
                if self.first_only {
                    self.done = true;
                    return;
                }
            }
        }
    }
}
