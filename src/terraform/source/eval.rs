//! Evaluating expressions the way `terraform plan` would before it knows anything about the
//! cloud: literals, `var.*`, `local.*`, `count.index`, `each.*`, `path.*`, templates,
//! conditionals with a known condition, operators, `for` expressions and the pure functions of
//! `funcs`. Everything else (resources, data sources, module outputs, `self`, functions not
//! evaluated) is an unknown value carrying the text of the expression that could not be known.
//!
//! hcl-rs has an evaluator, but over its own expression type without spans and without an
//! unknown value (an unresolvable reference is an error there); the linter needs both, so the
//! evaluation walks hcl-edit's tree directly.

use super::funcs;
use super::load::{JKind, JNode, SourceFile};
use super::value::{Place, Val, V};
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

/// Nesting beyond which an expression is left unknown (locals referring to locals, deep
/// templates): the reader never recurses without bound.
const MAX_DEPTH: usize = 64;

/// An expression of either syntax, with the file it is written in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ex<'m> {
    Hcl(&'m Expression),
    Json(&'m JNode),
}

/// What names mean in one module instance.
pub(crate) struct Scope<'m> {
    pub files: &'m [SourceFile],
    pub vars: HashMap<String, Val>,
    pub locals: HashMap<String, (Ex<'m>, usize)>,
    /// Locals evaluated so far; `None` while one is being evaluated (a cycle is unknown).
    memo: RefCell<HashMap<String, Option<Val>>>,
    pub count_index: Option<Val>,
    pub each: Option<(Val, Val)>,
    /// `for` expression variables, innermost last.
    iter_vars: RefCell<Vec<(String, Val)>>,
    depth: RefCell<usize>,
    /// For `.tf.json`: every place is the JSON string holding the template.
    json_span: RefCell<Option<Range<usize>>>,
    pub module_path: String,
}

impl<'m> Scope<'m> {
    pub fn new(files: &'m [SourceFile], module_path: String) -> Scope<'m> {
        Scope {
            files,
            vars: HashMap::new(),
            locals: HashMap::new(),
            memo: RefCell::new(HashMap::new()),
            count_index: None,
            each: None,
            iter_vars: RefCell::new(Vec::new()),
            depth: RefCell::new(0),
            json_span: RefCell::new(None),
            module_path,
        }
    }

    /// The source text of a span in a file.
    pub fn text(&self, file: usize, span: &Range<usize>) -> &'m str {
        self.files
            .get(file)
            .and_then(|f| f.text.get(span.clone()))
            .unwrap_or("")
    }

    fn place(&self, e: &Expression, file: usize) -> Option<Place> {
        let span = self.json_span.borrow().clone().or_else(|| e.span())?;
        Some(Place { file, span })
    }

    fn expr_text(&self, e: &Expression, file: usize) -> String {
        if let Some(s) = self.json_span.borrow().clone() {
            let t = self.text(file, &s);
            return t.trim_matches('"').to_string();
        }
        match e.span() {
            Some(s) => self.text(file, &s).to_string(),
            None => e.to_string().trim().to_string(),
        }
    }

    fn unknown(&self, e: &Expression, file: usize) -> Val {
        Val::unknown(self.expr_text(e, file), self.place(e, file))
    }

    /// Evaluates an expression of either syntax.
    pub fn eval_ex(&self, ex: Ex<'_>, file: usize) -> Val {
        match ex {
            Ex::Hcl(e) => self.eval(e, file),
            Ex::Json(j) => self.eval_json(j, file),
        }
    }

    /// Evaluates an HCL expression.
    pub fn eval(&self, e: &Expression, file: usize) -> Val {
        if *self.depth.borrow() >= MAX_DEPTH {
            return self.unknown(e, file);
        }
        *self.depth.borrow_mut() += 1;
        let v = self.eval_inner(e, file);
        *self.depth.borrow_mut() -= 1;
        v
    }

    fn eval_inner(&self, e: &Expression, file: usize) -> Val {
        let at = self.place(e, file);
        let known = |v: V| Val::new(v, at.clone());
        match e {
            Expression::Null(_) => known(V::Null),
            Expression::Bool(b) => known(V::Bool(*b.value())),
            Expression::Number(n) => known(V::Num(n.value().as_f64().unwrap_or(f64::NAN))),
            Expression::String(s) => known(V::Str(s.value().clone())),
            Expression::Array(items) => {
                let items: Vec<Val> = items.iter().map(|i| self.eval(i, file)).collect();
                known(V::List(items))
            }
            Expression::Object(obj) => {
                let mut members = Vec::new();
                for (k, v) in obj.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(ke) => match self.eval(ke, file).to_text() {
                            Some(t) => t,
                            None => return self.unknown(e, file),
                        },
                    };
                    members.push((key, self.eval(v.expr(), file)));
                }
                known(V::Obj(members))
            }
            Expression::StringTemplate(t) => self.template(t, e, file),
            Expression::HeredocTemplate(h) => self.template(&h.template, e, file),
            Expression::Parenthesis(p) => self.eval(p.inner(), file),
            Expression::Variable(name) => self
                .iter_var(name.as_str())
                .unwrap_or_else(|| self.unknown(e, file)),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, file);
                match cond.v {
                    V::Bool(true) => secret_if(self.eval(&c.true_expr, file), cond.secret),
                    V::Bool(false) => secret_if(self.eval(&c.false_expr, file), cond.secret),
                    _ => self.unknown(e, file),
                }
            }
            Expression::FuncCall(call) => {
                if call.name.is_namespaced() {
                    return self.unknown(e, file);
                }
                let args: Vec<Val> = call.args.iter().map(|a| self.eval(a, file)).collect();
                let expand = call.args.expand_final();
                match funcs::call(call.name.name.as_str(), args, expand, at.clone()) {
                    Some(v) if !v.is_unknown() => v,
                    _ => self.unknown(e, file),
                }
            }
            Expression::Traversal(t) => self.traversal(&t.expr, &t.operators, e, file),
            Expression::UnaryOp(op) => {
                let v = self.eval(&op.expr, file);
                let r = match (op.operator.value(), &v.v) {
                    (UnaryOperator::Neg, V::Num(n)) => V::Num(-n),
                    (UnaryOperator::Not, V::Bool(b)) => V::Bool(!b),
                    _ => return self.unknown(e, file),
                };
                secret_if(known(r), v.secret)
            }
            Expression::BinaryOp(op) => self.binary(op, e, file),
            Expression::ForExpr(f) => self.for_expr(f, e, file),
        }
    }

    fn iter_var(&self, name: &str) -> Option<Val> {
        let vars = self.iter_vars.borrow();
        vars.iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    /// A string template: known when every interpolation is; a template that is one
    /// interpolation and nothing else is that value unconverted, as in Terraform.
    fn template(&self, t: &Template, e: &Expression, file: usize) -> Val {
        let elements: Vec<&Element> = t.iter().collect();
        if let [Element::Interpolation(i)] = elements.as_slice() {
            return self.eval(&i.expr, file);
        }
        let mut out = String::new();
        let mut secret = false;
        for el in elements {
            match el {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr, file);
                    secret |= v.has_secret();
                    match v.to_text() {
                        Some(s) => out.push_str(&s),
                        None => return secret_if(self.unknown(e, file), secret),
                    }
                }
                Element::Directive(d) => match self.directive(d, file) {
                    Some(s) => out.push_str(&s),
                    None => return self.unknown(e, file),
                },
            }
        }
        secret_if(Val::new(V::Str(out), self.place(e, file)), secret)
    }

    /// `%{ if }` with a known condition; `%{ for }` is left unknown.
    fn directive(&self, d: &Directive, file: usize) -> Option<String> {
        let Directive::If(i) = d else {
            return None;
        };
        let cond = self.eval(&i.if_expr.cond_expr, file);
        let branch = match cond.v {
            V::Bool(true) => &i.if_expr.template,
            V::Bool(false) => match &i.else_expr {
                Some(e) => &e.template,
                None => return Some(String::new()),
            },
            _ => return None,
        };
        let mut out = String::new();
        for el in branch.iter() {
            match el {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(ip) => out.push_str(&self.eval(&ip.expr, file).to_text()?),
                Element::Directive(d) => out.push_str(&self.directive(d, file)?),
            }
        }
        Some(out)
    }

    fn binary(&self, op: &hcl_edit::expr::BinaryOp, e: &Expression, file: usize) -> Val {
        use BinaryOperator as B;
        let l = self.eval(&op.lhs_expr, file);
        let operator = *op.operator.value();
        // `false && x` and `true || x` are known whatever x is.
        match (operator, &l.v) {
            (B::And, V::Bool(false)) | (B::Or, V::Bool(true)) => return l,
            _ => {}
        }
        let r = self.eval(&op.rhs_expr, file);
        let secret = l.has_secret() || r.has_secret();
        if l.has_unknown() || r.has_unknown() {
            return secret_if(self.unknown(e, file), secret);
        }
        let num = |v: &Val| match &v.v {
            V::Num(n) => Some(*n),
            V::Str(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        let v = match operator {
            B::Eq => Some(V::Bool(funcs::same(&l, &r))),
            B::NotEq => Some(V::Bool(!funcs::same(&l, &r))),
            B::And | B::Or => match (&l.v, &r.v) {
                (V::Bool(_), V::Bool(b)) => Some(V::Bool(*b)),
                _ => None,
            },
            _ => match (num(&l), num(&r)) {
                (Some(a), Some(b)) => arithmetic(operator, a, b),
                _ => None,
            },
        };
        match v {
            Some(v) => secret_if(Val::new(v, self.place(e, file)), secret),
            None => self.unknown(e, file),
        }
    }

    fn for_expr(&self, f: &ForExpr, e: &Expression, file: usize) -> Val {
        let coll = self.eval(&f.intro.collection_expr, file);
        let pairs: Vec<(Val, Val)> = match &coll.v {
            V::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Val::new(V::Num(i as f64), None), v.clone()))
                .collect(),
            V::Obj(m) => m
                .iter()
                .map(|(k, v)| (Val::new(V::Str(k.clone()), None), v.clone()))
                .collect(),
            _ => return self.unknown(e, file),
        };
        let mut list = Vec::new();
        let mut obj = Vec::new();
        for (k, v) in pairs {
            let mut bound = vec![(f.intro.value_var.as_str().to_string(), v)];
            if let Some(kv) = &f.intro.key_var {
                bound.push((kv.as_str().to_string(), k));
            }
            let n = bound.len();
            self.iter_vars.borrow_mut().extend(bound);
            let item = self.for_item(f, file);
            let len = self.iter_vars.borrow().len();
            self.iter_vars.borrow_mut().truncate(len - n);
            match item {
                Err(()) => return self.unknown(e, file),
                Ok(None) => {}
                Ok(Some((None, v))) => list.push(v),
                Ok(Some((Some(k), v))) => obj.push((k, v)),
            }
        }
        let v = if f.key_expr.is_some() {
            V::Obj(obj)
        } else {
            V::List(list)
        };
        Val::new(v, self.place(e, file))
    }

    /// One iteration: `None` when the `if` drops it, `Err` when something is unknown.
    #[allow(clippy::type_complexity)]
    fn for_item(&self, f: &ForExpr, file: usize) -> Result<Option<(Option<String>, Val)>, ()> {
        if let Some(c) = &f.cond {
            match self.eval(&c.expr, file).v {
                V::Bool(true) => {}
                V::Bool(false) => return Ok(None),
                _ => return Err(()),
            }
        }
        let key = match &f.key_expr {
            Some(k) => Some(self.eval(k, file).to_text().ok_or(())?),
            None => None,
        };
        Ok(Some((key, self.eval(&f.value_expr, file))))
    }

    /// `var.x`, `local.x`, `count.index`, `each.key`, `path.module`, then the operators after
    /// the root name; a root Terraform does not know before apply is unknown.
    fn traversal(
        &self,
        root: &Expression,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        e: &Expression,
        file: usize,
    ) -> Val {
        let (mut v, rest) = match (root, ops.first().map(|o| o.value())) {
            (Expression::Variable(name), Some(TraversalOperator::GetAttr(attr))) => {
                match self.named(name.as_str(), attr.as_str()) {
                    Some(v) => (v, &ops[1..]),
                    None if self.iter_var(name.as_str()).is_some() => (self.eval(root, file), ops),
                    None => return self.unknown(e, file),
                }
            }
            _ => (self.eval(root, file), ops),
        };
        for op in rest {
            let secret = v.secret;
            let next = match op.value() {
                TraversalOperator::GetAttr(a) => v.get(a.as_str()).cloned(),
                TraversalOperator::Index(ix) => index(&v, &self.eval(ix, file)),
                TraversalOperator::LegacyIndex(i) => {
                    index(&v, &Val::new(V::Num(*i.value() as f64), None))
                }
                _ => None,
            };
            v = match next {
                Some(n) => secret_if(n, secret),
                None => return secret_if(self.unknown(e, file), secret),
            };
        }
        v
    }

    /// The value of `root.attr` for the names Terraform knows before apply.
    fn named(&self, root: &str, attr: &str) -> Option<Val> {
        match root {
            "var" => self.vars.get(attr).cloned(),
            "local" => self.local(attr),
            "count" if attr == "index" => self.count_index.clone(),
            "each" if attr == "key" => self.each.as_ref().map(|e| e.0.clone()),
            "each" if attr == "value" => self.each.as_ref().map(|e| e.1.clone()),
            "path" if attr == "module" => Some(Val::new(V::Str(self.module_path.clone()), None)),
            "path" if attr == "root" || attr == "cwd" => Some(Val::new(V::Str(".".into()), None)),
            "terraform" if attr == "workspace" => Some(Val::new(V::Str("default".into()), None)),
            _ => None,
        }
    }

    fn local(&self, name: &str) -> Option<Val> {
        if let Some(done) = self.memo.borrow().get(name) {
            // `None`: a cycle, unknown.
            return done.clone();
        }
        let (ex, file) = *self.locals.get(name)?;
        self.memo.borrow_mut().insert(name.to_string(), None);
        let v = self.eval_ex(ex, file);
        self.memo
            .borrow_mut()
            .insert(name.to_string(), Some(v.clone()));
        Some(v)
    }

    /// A `.tf.json` value: strings are templates (`"${var.x}"`), the rest literals.
    pub fn eval_json(&self, j: &JNode, file: usize) -> Val {
        let at = Some(Place {
            file,
            span: j.span.clone(),
        });
        let v = match &j.kind {
            JKind::Null => V::Null,
            JKind::Bool(b) => V::Bool(*b),
            JKind::Num(n) => V::Num(*n),
            JKind::Str(s) if !s.contains("${") && !s.contains("%{") => V::Str(s.clone()),
            JKind::Str(s) => return self.json_template(s, j, file),
            JKind::Arr(items) => V::List(items.iter().map(|i| self.eval_json(i, file)).collect()),
            JKind::Obj(m) => V::Obj(
                m.iter()
                    .map(|(k, v)| (k.clone(), self.eval_json(v, file)))
                    .collect(),
            ),
        };
        Val::new(v, at)
    }

    fn json_template(&self, s: &str, j: &JNode, file: usize) -> Val {
        let Ok(t) = hcl_edit::parser::parse_template(s) else {
            return Val::unknown(
                s,
                Some(Place {
                    file,
                    span: j.span.clone(),
                }),
            );
        };
        let previous = self.json_span.replace(Some(j.span.clone()));
        let e = Expression::StringTemplate(hcl_edit::template::StringTemplate::from(t));
        let v = self.eval(&e, file);
        self.json_span.replace(previous);
        v
    }
}

fn secret_if(mut v: Val, secret: bool) -> Val {
    v.secret |= secret;
    v
}

fn arithmetic(op: BinaryOperator, a: f64, b: f64) -> Option<V> {
    use BinaryOperator as B;
    Some(match op {
        B::Plus => V::Num(a + b),
        B::Minus => V::Num(a - b),
        B::Mul => V::Num(a * b),
        B::Div if b != 0.0 => V::Num(a / b),
        B::Mod if b != 0.0 => V::Num(a % b),
        B::Less => V::Bool(a < b),
        B::LessEq => V::Bool(a <= b),
        B::Greater => V::Bool(a > b),
        B::GreaterEq => V::Bool(a >= b),
        _ => return None,
    })
}

/// `v[i]`: a list by number, an object by key.
fn index(v: &Val, i: &Val) -> Option<Val> {
    match (&v.v, &i.v) {
        (V::List(items), _) => {
            let n = match &i.v {
                V::Num(n) => *n,
                V::Str(s) => s.parse().ok()?,
                _ => return None,
            };
            (n >= 0.0 && n.fract() == 0.0)
                .then(|| items.get(n as usize).cloned())
                .flatten()
        }
        (V::Obj(_), _) => v.get(&i.to_text()?).cloned(),
        _ => None,
    }
}
