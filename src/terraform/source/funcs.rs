//! The pure functions of Terraform's language that the reader evaluates (`EVALUATED`). Any
//! other function (`file`, `templatefile`, `timestamp`, `uuid`, `regex`, `cidrsubnet`, provider
//! functions, ...) is an unknown value, and so is a call over an unknown argument, except
//! `try`/`coalesce`-like calls whose known arguments decide.

use super::value::{number_text, Place, Val, V};

/// The functions evaluated, for the documentation and the tests.
pub(crate) const EVALUATED: &[&str] = &[
    "abs",
    "ceil",
    "coalesce",
    "coalescelist",
    "compact",
    "concat",
    "contains",
    "distinct",
    "element",
    "endswith",
    "flatten",
    "floor",
    "format",
    "index",
    "join",
    "jsonencode",
    "keys",
    "length",
    "lookup",
    "lower",
    "max",
    "merge",
    "min",
    "nonsensitive",
    "replace",
    "reverse",
    "sensitive",
    "slice",
    "split",
    "startswith",
    "substr",
    "title",
    "tobool",
    "tolist",
    "tomap",
    "tonumber",
    "toset",
    "tostring",
    "trim",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "try",
    "upper",
    "values",
    "zipmap",
];

/// Calls a function on evaluated arguments: `None` when it is not one of `EVALUATED`, when an
/// argument it needs is unknown, or when Terraform would fail the call.
pub(crate) fn call(name: &str, mut args: Vec<Val>, expand: bool, at: Option<Place>) -> Option<Val> {
    if expand {
        // `f(a, list...)`: the last argument's items are the trailing arguments.
        let last = args.pop()?;
        match last.v {
            V::List(items) => args.extend(items),
            _ => return None,
        }
    }
    // `try` and `coalesce` look at their arguments in order: an unknown one before a known one
    // makes the result unknown, a known one decides.
    if name == "try" {
        let first = args.into_iter().next()?;
        return (!first.has_unknown()).then_some(first);
    }
    let secret = args.iter().any(Val::has_secret);
    if name == "sensitive" || name == "nonsensitive" {
        let mut v = args.into_iter().next()?;
        v.secret = name == "sensitive";
        return Some(v);
    }
    if name != "coalesce" && args.iter().any(Val::has_unknown) {
        return None;
    }
    let v = strings(name, &args)
        .or_else(|| collections(name, &args))
        .or_else(|| numbers(name, &args))
        .or_else(|| conversions(name, &args))?;
    Some(Val {
        v,
        from: at,
        secret,
    })
}

fn text(v: &Val) -> Option<String> {
    v.to_text()
}

fn num(v: &Val) -> Option<f64> {
    match &v.v {
        V::Num(n) => Some(*n),
        V::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn list(v: &Val) -> Option<&[Val]> {
    match &v.v {
        V::List(items) => Some(items),
        _ => None,
    }
}

fn s(v: String) -> Option<V> {
    Some(V::Str(v))
}

fn strings(name: &str, a: &[Val]) -> Option<V> {
    let arg = |i: usize| a.get(i).and_then(text);
    match (name, a.len()) {
        ("lower", 1) => s(arg(0)?.to_lowercase()),
        ("upper", 1) => s(arg(0)?.to_uppercase()),
        ("title", 1) => s(title(&arg(0)?)),
        ("trimspace", 1) => s(arg(0)?.trim().to_string()),
        ("trim", 2) => {
            let cut = arg(1)?;
            s(arg(0)?.trim_matches(|c| cut.contains(c)).to_string())
        }
        ("trimprefix", 2) => s(arg(0)?
            .strip_prefix(&*arg(1)?)
            .map(str::to_string)
            .or(arg(0))?),
        ("trimsuffix", 2) => s(arg(0)?
            .strip_suffix(&*arg(1)?)
            .map(str::to_string)
            .or(arg(0))?),
        ("startswith", 2) => Some(V::Bool(arg(0)?.starts_with(&*arg(1)?))),
        ("endswith", 2) => Some(V::Bool(arg(0)?.ends_with(&*arg(1)?))),
        ("replace", 3) => {
            let pattern = arg(1)?;
            // `/.../` is a regular expression: not evaluated.
            if pattern.len() > 1 && pattern.starts_with('/') && pattern.ends_with('/') {
                return None;
            }
            s(arg(0)?.replace(&pattern, &arg(2)?))
        }
        ("substr", 3) => {
            let t: Vec<char> = arg(0)?.chars().collect();
            let off = num(&a[1])? as i64;
            let len = num(&a[2])? as i64;
            let start = if off < 0 { t.len() as i64 + off } else { off }.clamp(0, t.len() as i64);
            let end = if len < 0 {
                t.len() as i64
            } else {
                (start + len).min(t.len() as i64)
            };
            s(t[start as usize..end as usize].iter().collect())
        }
        ("join", n) if n >= 2 => {
            let sep = arg(0)?;
            let mut parts = Vec::new();
            for l in &a[1..] {
                for item in list(l)? {
                    parts.push(text(item)?);
                }
            }
            s(parts.join(&sep))
        }
        ("split", 2) => {
            let sep = arg(0)?;
            let t = arg(1)?;
            let parts = if sep.is_empty() {
                t.chars().map(String::from).collect::<Vec<_>>()
            } else {
                t.split(&*sep).map(str::to_string).collect()
            };
            Some(V::List(
                parts
                    .into_iter()
                    .map(|p| Val::new(V::Str(p), None))
                    .collect(),
            ))
        }
        ("format", n) if n >= 1 => s(format(&arg(0)?, &a[1..])?),
        ("jsonencode", 1) => s(serde_json::to_string(&to_serde(&a[0])?).ok()?),
        _ => None,
    }
}

fn title(t: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for c in t.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c.is_whitespace();
    }
    out
}

/// `format` with the verbs users write in configurations: `%s`, `%d`, `%v`, `%q`, `%%`, and
/// zero-padded widths of `%d` (`%02d`).
fn format(spec: &str, args: &[Val]) -> Option<String> {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut width = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(*d);
            chars.next();
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'v' => out.push_str(&text(next.next()?)?),
            'q' => out.push_str(&serde_json::to_string(&text(next.next()?)?).ok()?),
            'd' => {
                let n = num(next.next()?)?;
                if n.fract() != 0.0 {
                    return None;
                }
                let w: usize = width.trim_start_matches('0').parse().unwrap_or(0);
                let digits = number_text(n);
                if width.starts_with('0') && digits.len() < w {
                    out.push_str(&"0".repeat(w - digits.len()));
                }
                out.push_str(&digits);
            }
            _ => return None,
        }
    }
    Some(out)
}

fn collections(name: &str, a: &[Val]) -> Option<V> {
    match (name, a.len()) {
        ("length", 1) => Some(V::Num(match &a[0].v {
            V::List(items) => items.len(),
            V::Obj(m) => m.len(),
            V::Str(t) => t.chars().count(),
            _ => return None,
        } as f64)),
        ("concat", _) => {
            let mut out = Vec::new();
            for l in a {
                out.extend(list(l)?.iter().cloned());
            }
            Some(V::List(out))
        }
        ("coalesce", _) => a
            .iter()
            .take_while(|v| !v.is_unknown())
            .find(|v| !matches!(&v.v, V::Null) && !matches!(&v.v, V::Str(t) if t.is_empty()))
            .map(|v| v.v.clone()),
        ("coalescelist", _) => a
            .iter()
            .find(|v| list(v).is_some_and(|l| !l.is_empty()))
            .map(|v| v.v.clone()),
        ("compact", 1) => Some(V::List(
            list(&a[0])?
                .iter()
                .filter(|v| !matches!(&v.v, V::Null) && !matches!(&v.v, V::Str(t) if t.is_empty()))
                .cloned()
                .collect(),
        )),
        ("lookup", 2 | 3) => match a[0].get(&text(&a[1])?) {
            Some(v) => Some(v.v.clone()),
            None => a.get(2).map(|d| d.v.clone()),
        },
        ("element", 2) => {
            let l = list(&a[0])?;
            let i = num(&a[1])? as usize;
            (!l.is_empty()).then(|| l[i % l.len()].v.clone())
        }
        ("index", 2) => list(&a[0])?
            .iter()
            .position(|v| same(v, &a[1]))
            .map(|i| V::Num(i as f64)),
        ("contains", 2) => Some(V::Bool(list(&a[0])?.iter().any(|v| same(v, &a[1])))),
        ("slice", 3) => {
            let l = list(&a[0])?;
            let (from, to) = (num(&a[1])? as usize, num(&a[2])? as usize);
            (from <= to && to <= l.len()).then(|| V::List(l[from..to].to_vec()))
        }
        ("reverse", 1) => Some(V::List(list(&a[0])?.iter().rev().cloned().collect())),
        ("distinct", 1) | ("toset", 1) => {
            let mut out: Vec<Val> = Vec::new();
            for v in list(&a[0])? {
                if !out.iter().any(|o| same(o, v)) {
                    out.push(v.clone());
                }
            }
            Some(V::List(out))
        }
        ("flatten", 1) => Some(V::List(flatten(&a[0]))),
        _ => maps(name, a),
    }
}

fn maps(name: &str, a: &[Val]) -> Option<V> {
    let obj = |v: &Val| match &v.v {
        V::Obj(m) => Some(m.clone()),
        _ => None,
    };
    match (name, a.len()) {
        ("keys", 1) => {
            let mut k: Vec<String> = obj(&a[0])?.into_iter().map(|(k, _)| k).collect();
            k.sort();
            Some(V::List(
                k.into_iter().map(|k| Val::new(V::Str(k), None)).collect(),
            ))
        }
        ("values", 1) => {
            let mut m = obj(&a[0])?;
            m.sort_by(|x, y| x.0.cmp(&y.0));
            Some(V::List(m.into_iter().map(|(_, v)| v).collect()))
        }
        ("merge", _) => {
            let mut out: Vec<(String, Val)> = Vec::new();
            for m in a.iter().filter(|v| !matches!(v.v, V::Null)) {
                for (k, v) in obj(m)? {
                    out.retain(|(o, _)| *o != k);
                    out.push((k, v));
                }
            }
            Some(V::Obj(out))
        }
        ("zipmap", 2) => {
            let keys = list(&a[0])?;
            let vals = list(&a[1])?;
            (keys.len() == vals.len()).then_some(())?;
            let mut out = Vec::new();
            for (k, v) in keys.iter().zip(vals) {
                out.push((text(k)?, v.clone()));
            }
            Some(V::Obj(out))
        }
        _ => None,
    }
}

fn flatten(v: &Val) -> Vec<Val> {
    match &v.v {
        V::List(items) => items
            .iter()
            .flat_map(|i| match &i.v {
                V::List(_) => flatten(i),
                _ => vec![i.clone()],
            })
            .collect(),
        _ => vec![v.clone()],
    }
}

fn numbers(name: &str, a: &[Val]) -> Option<V> {
    let n = |i: usize| a.get(i).and_then(num);
    let all = || a.iter().map(num).collect::<Option<Vec<f64>>>();
    Some(V::Num(match (name, a.len()) {
        ("abs", 1) => n(0)?.abs(),
        ("ceil", 1) => n(0)?.ceil(),
        ("floor", 1) => n(0)?.floor(),
        ("max", k) if k > 0 => all()?.into_iter().fold(f64::MIN, f64::max),
        ("min", k) if k > 0 => all()?.into_iter().fold(f64::MAX, f64::min),
        _ => return None,
    }))
}

fn conversions(name: &str, a: &[Val]) -> Option<V> {
    match (name, a.len()) {
        ("tostring", 1) => match &a[0].v {
            V::Null => Some(V::Null),
            _ => s(text(&a[0])?),
        },
        ("tonumber", 1) => match &a[0].v {
            V::Null => Some(V::Null),
            _ => Some(V::Num(num(&a[0])?)),
        },
        ("tobool", 1) => match &a[0].v {
            V::Bool(b) => Some(V::Bool(*b)),
            V::Str(t) if t == "true" || t == "false" => Some(V::Bool(t == "true")),
            V::Null => Some(V::Null),
            _ => None,
        },
        ("tolist", 1) => list(&a[0]).map(|l| V::List(l.to_vec())),
        ("tomap", 1) => matches!(a[0].v, V::Obj(_)).then(|| a[0].v.clone()),
        _ => None,
    }
}

/// Terraform's equality on known values (numbers by value, a number and its string apart).
pub(crate) fn same(a: &Val, b: &Val) -> bool {
    match (&a.v, &b.v) {
        (V::List(x), V::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (V::Obj(x), V::Obj(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        (V::Num(x), V::Num(y)) => x == y,
        (x, y) => x == y,
    }
}

fn to_serde(v: &Val) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    Some(match &v.v {
        V::Null => J::Null,
        V::Bool(b) => J::Bool(*b),
        V::Num(n) => serde_json::from_str(&number_text(*n)).ok()?,
        V::Str(t) => J::String(t.clone()),
        V::List(items) => J::Array(items.iter().map(to_serde).collect::<Option<_>>()?),
        V::Obj(m) => J::Object(
            m.iter()
                .map(|(k, v)| Some((k.clone(), to_serde(v)?)))
                .collect::<Option<_>>()?,
        ),
        V::Unknown(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(t: &str) -> Val {
        Val::new(V::Str(t.into()), None)
    }
    fn n(x: f64) -> Val {
        Val::new(V::Num(x), None)
    }
    fn l(items: Vec<Val>) -> Val {
        Val::new(V::List(items), None)
    }

    fn run(name: &str, args: Vec<Val>) -> Option<V> {
        call(name, args, false, None).map(|v| v.v)
    }

    #[test]
    fn strings_and_lists() {
        assert_eq!(
            run("lower", vec![st("RocksDB")]),
            Some(V::Str("rocksdb".into()))
        );
        assert_eq!(
            run("join", vec![st(","), l(vec![st("az1"), st("az2")])]),
            Some(V::Str("az1,az2".into()))
        );
        assert_eq!(
            run("format", vec![st("ddm-%s-%02d"), st("prod"), n(3.0)]),
            Some(V::Str("ddm-prod-03".into()))
        );
        assert_eq!(
            run("length", vec![l(vec![st("a"), st("b")])]),
            Some(V::Num(2.0))
        );
        assert_eq!(
            run("coalesce", vec![st(""), st("x")]),
            Some(V::Str("x".into()))
        );
        assert_eq!(run("tonumber", vec![st("3")]), Some(V::Num(3.0)));
        assert_eq!(
            run("substr", vec![st("abcdef"), n(1.0), n(3.0)]),
            Some(V::Str("bcd".into()))
        );
    }

    #[test]
    fn unknown_arguments_and_unknown_functions_are_not_evaluated() {
        let u = Val::unknown("data.x.y", None);
        assert_eq!(run("lower", vec![u.clone()]), None);
        assert_eq!(run("try", vec![u.clone(), st("x")]), None);
        assert_eq!(
            run("try", vec![st("a"), u.clone()]),
            Some(V::Str("a".into()))
        );
        // `coalesce` stops at the first unknown: it may be the non-empty one.
        assert_eq!(run("coalesce", vec![u, st("x")]), None);
        assert_eq!(run("timestamp", vec![]), None);
        assert_eq!(run("regex", vec![st("a"), st("a")]), None);
        assert_eq!(run("replace", vec![st("a"), st("/a/"), st("b")]), None);
    }

    #[test]
    fn secrets_reach_the_result() {
        let mut p = st("Secret");
        p.secret = true;
        let v = call("lower", vec![p], false, None);
        assert!(v.is_some_and(|v| v.secret));
    }
}
