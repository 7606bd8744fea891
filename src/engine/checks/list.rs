//! `list`: a text of items split by `separator` (one character, `,` by default), between `min`
//! (default 1) and `max` items, none blank, none with whitespace, none given twice. Problems are
//! reported in that order: blank item, space, count, duplicate.

use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::doc::Doc;
use crate::engine::{same, with_room};

#[derive(Debug, Clone)]
pub struct List {
    pub separator: char,
    pub min: usize,
    pub max: Option<usize>,
}

impl Kind for List {
    const READS: &'static [&'static str] = &["separator", "min", "max"];
    const PRODUCES: &'static [&'static str] = &["problem", "item", "actual", "min", "max"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        let sep = o.string("separator")?.unwrap_or_else(|| ",".into());
        let mut it = sep.chars();
        let (Some(separator), None) = (it.next(), it.next()) else {
            return Err(CheckError::invalid(
                "separator",
                "`separator` must be one character",
            ));
        };
        Ok(List {
            separator,
            min: o.count("min")?.unwrap_or(1),
            max: o.count("max")?,
        })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        list_check(&v.text(), self.separator, self.min, self.max)
    }
}

/// The list check over `t`. One pass, the items kept on the stack (a heap list only past 8
/// items): a valid list costs no allocation.
pub fn list_check(t: &str, sep: char, min: usize, max: Option<usize>) -> Option<Params> {
    let mut items = ListItems::default();
    for item in t.split(sep) {
        if item.is_empty() {
            return Some(vec![("problem", Param::Term("blank_item"))]);
        }
        items.add(item);
    }
    items.verdict(min, max)
}

/// A list check's items as they are read: the first 8 on the stack (a heap list only past 8), the
/// first item with whitespace and the first one given twice.
#[derive(Default)]
struct ListItems<'t> {
    first: [&'t str; 8],
    more: Vec<&'t str>,
    count: usize,
    spaced: Option<&'t str>,
    dup: Option<&'t str>,
}

impl<'t> ListItems<'t> {
    /// One more (non-blank) item.
    fn add(&mut self, item: &'t str) {
        if self.spaced.is_none() && item.chars().any(char::is_whitespace) {
            self.spaced = Some(item);
        }
        if self.dup.is_none()
            && (self.first[..self.count.min(8)]
                .iter()
                .any(|e| same(e, item))
                || self.more.iter().any(|e| same(e, item)))
        {
            self.dup = Some(item);
        }
        match self.first.get_mut(self.count) {
            Some(slot) => *slot = item,
            None => self.more.push(item),
        }
        self.count += 1;
    }

    /// What the check reports once every item is read (no blank item): a spaced item, then the
    /// count, then a duplicate.
    fn verdict(&self, min: usize, max: Option<usize>) -> Option<Params> {
        if let Some(i) = self.spaced {
            return Some(vec![
                ("problem", Param::Term("space_in_item")),
                ("item", Param::Str(i.to_string())),
            ]);
        }
        let count = self.count;
        if count < min || max.is_some_and(|m| count > m) {
            let mut p = with_room([
                ("problem", Param::Term("count")),
                ("actual", Param::Int(count as i64)),
                ("min", Param::Int(min as i64)),
            ]);
            if let Some(m) = max {
                p.push(("max", Param::Int(m as i64)));
            }
            return Some(p);
        }
        self.dup.map(|a| {
            vec![
                ("problem", Param::Term("duplicate_item")),
                ("item", Param::Str(a.to_string())),
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list check as the reading page states it, with the standard library: the oracle for
    /// [`list_check`].
    fn list_reference(t: &str, sep: char, min: usize, max: Option<usize>) -> Option<Params> {
        let items: Vec<&str> = t.split(sep).collect();
        if items.iter().any(|i| i.is_empty()) {
            return Some(vec![("problem", Param::Term("blank_item"))]);
        }
        if let Some(i) = items.iter().find(|i| i.chars().any(char::is_whitespace)) {
            return Some(vec![
                ("problem", Param::Term("space_in_item")),
                ("item", Param::Str(i.to_string())),
            ]);
        }
        let n = items.len();
        if n < min || max.is_some_and(|m| n > m) {
            let mut p = vec![
                ("problem", Param::Term("count")),
                ("actual", Param::Int(n as i64)),
                ("min", Param::Int(min as i64)),
            ];
            if let Some(m) = max {
                p.push(("max", Param::Int(m as i64)));
            }
            return Some(p);
        }
        let dup = (0..n).find(|&k| items[..k].contains(&items[k]))?;
        Some(vec![
            ("problem", Param::Term("duplicate_item")),
            ("item", Param::Str(items[dup].to_string())),
        ])
    }

    /// A small deterministic generator (no dependency, the same cases on every run).
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    /// Pieces lists are made of: names, separators of every width, ASCII and Unicode whitespace,
    /// controls that are not whitespace, and bytes around the printable-ASCII edges.
    const LIST_PIECES: [&str; 22] = [
        "a",
        "b",
        "az1",
        "cn-north-4a",
        "é",
        "日",
        "本",
        ",",
        "\0",
        "·",
        "a-longer-item-name",
        "\u{3000}",
        " ",
        "\t",
        "\u{b}",
        "\r",
        "\u{85}",
        "\u{a0}",
        "\u{1}",
        "\u{7f}",
        "!",
        "~",
    ];
    const LIST_SEPS: [char; 9] = [',', '·', ' ', '日', '\u{3000}', '\t', '.', '~', '\0'];

    fn compare_lists(t: &str, seen: &mut std::collections::BTreeMap<String, usize>) {
        for sep in LIST_SEPS {
            for (min, max) in [(1, None), (1, Some(3)), (2, Some(8)), (0, Some(12))] {
                let ours = list_check(t, sep, min, max);
                let reference = list_reference(t, sep, min, max);
                assert_eq!(ours, reference, "{t:?} by {sep:?}, {min}..{max:?}");
                let kind = match &reference {
                    None => "pass".to_string(),
                    Some(p) => format!("{:?}", p[0].1),
                };
                *seen.entry(kind).or_default() += 1;
            }
        }
    }

    #[test]
    fn list_check_agrees_with_the_reference() {
        let mut seen = std::collections::BTreeMap::new();
        // Every list of up to three pieces.
        let mut texts = vec![String::new()];
        for _ in 0..3 {
            let last: Vec<String> = texts.clone();
            for t in &last {
                for p in LIST_PIECES {
                    texts.push(format!("{t}{p}"));
                }
            }
        }
        texts.sort();
        texts.dedup();
        for t in &texts {
            compare_lists(t, &mut seen);
        }
        // Longer lists, past the 8 items kept on the stack, with repeats among them.
        let mut rng = Lcg(7);
        let names = [
            "a",
            "b",
            "c",
            "az1",
            "az2",
            "é1",
            "日本",
            "x y",
            "q\u{3000}",
            "z",
        ];
        for _ in 0..4000 {
            let sep = [",", "·", "日", " "][rng.below(4)];
            let n = 1 + rng.below(14);
            let mut items: Vec<String> = (0..n)
                .map(|k| match rng.below(10) {
                    0 => names[rng.below(names.len())].to_string(),
                    1 if k > 0 => String::new(),
                    _ => format!("i{k}"),
                })
                .collect();
            if rng.below(3) == 0 {
                let (a, b) = (rng.below(n), rng.below(n));
                items[a] = items[b].clone();
            }
            compare_lists(&items.join(sep), &mut seen);
        }
        // Longer texts of any pieces: every byte kind at every offset in a word.
        for _ in 0..3000 {
            let n = rng.below(40);
            let t: String = (0..n)
                .map(|_| LIST_PIECES[rng.below(LIST_PIECES.len())])
                .collect();
            compare_lists(&t, &mut seen);
        }
        for kind in [
            "pass",
            "Term(\"blank_item\")",
            "Term(\"space_in_item\")",
            "Term(\"count\")",
            "Term(\"duplicate_item\")",
        ] {
            assert!(
                seen.get(kind).copied().unwrap_or(0) > 200,
                "{kind}: {seen:?}"
            );
        }
    }

    #[test]
    fn lists_reject_blanks_spaces_duplicates_and_counts() {
        assert!(list_check("az1,az2,az3", ',', 1, Some(3)).is_none());
        assert!(list_check("az1,,az3", ',', 1, Some(3)).is_some());
        assert!(list_check("az1, az2", ',', 1, Some(3)).is_some());
        assert!(list_check("az1,az1", ',', 1, Some(3)).is_some());
        assert!(list_check("a,b,c,d", ',', 1, Some(3)).is_some());
        assert!(list_check("", ',', 1, Some(3)).is_some());
    }
}
