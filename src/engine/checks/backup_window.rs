//! `backup_window`: a window `hh:mm-HH:MM` one hour long (`HH = (hh + 1) mod 24`, `mm = MM`),
//! its minutes from `minutes` (default 00, 15, 30, 45). Its fix writes the window one hour
//! long from a valid start.

use super::{CheckError, Env, Kind, Options, Param, Params, Val};
use crate::doc::Doc;

#[derive(Debug, Clone)]
pub struct BackupWindow {
    pub minutes: Vec<u32>,
}

impl Kind for BackupWindow {
    const READS: &'static [&'static str] = &["minutes"];
    const PRODUCES: &'static [&'static str] = &["value", "problem", "allowed"];

    fn compile(o: &Options<'_>) -> Result<Self, CheckError> {
        Ok(BackupWindow {
            minutes: o.u32s("minutes")?.unwrap_or_else(|| vec![0, 15, 30, 45]),
        })
    }

    fn check<D: Doc>(&self, v: &Val<'_>, _: &Env<'_, '_, D>) -> Option<Params> {
        // The message quotes the window (`{value}`): without it the message would be empty.
        let t = v.text();
        backup_window(&t, &self.minutes).map(|mut p| {
            p.insert(0, ("value", Param::Str(t.into_owned())));
            p
        })
    }

    /// The window one hour long from the given start (`01:00-03:00` → `01:00-02:00`): the start
    /// must be a time whose minutes the check allows, followed by nothing or `-` and anything.
    fn fix(&self, value: &str) -> Option<String> {
        let b = value.as_bytes();
        let (hh, mm) = clock(b, 0)?;
        if !self.minutes.contains(&mm) || b.len() > 5 && b[5] != b'-' {
            return None;
        }
        let fixed = format!("{hh:02}:{mm:02}-{:02}:{mm:02}", (hh + 1) % 24);
        (fixed != value).then_some(fixed)
    }
}

/// The time `hh:mm` at `i`, if one is written there (hours 0-23, minutes 0-59).
fn clock(b: &[u8], i: usize) -> Option<(u32, u32)> {
    let two = |i: usize| -> Option<u32> {
        let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit())
            .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    let (h, m) = (two(i)?, two(i + 3)?);
    (b.get(i + 2) == Some(&b':') && h <= 23 && m <= 59).then_some((h, m))
}

/// The window's problem, if any (without the value).
fn backup_window(t: &str, minutes: &[u32]) -> Option<Params> {
    let fail = |problem: &'static str| Some(vec![("problem", Param::Term(problem))]);
    let b = t.as_bytes();
    let (Some((h1, m1)), Some((h2, m2))) = (clock(b, 0), clock(b, 6)) else {
        return fail("window_format");
    };
    if b.len() != 11 || b[5] != b'-' {
        return fail("window_format");
    }
    if h2 != (h1 + 1) % 24 {
        return fail("window_hours");
    }
    if m1 != m2 {
        return fail("window_minutes_differ");
    }
    if !minutes.contains(&m1) {
        return Some(vec![
            ("problem", Param::Term("window_minutes")),
            (
                "allowed",
                Param::List(minutes.iter().map(|m| format!("{m:02}")).collect()),
            ),
        ]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_window_wraps_midnight() {
        assert!(backup_window("23:00-00:00", &[0, 15, 30, 45]).is_none());
        assert!(backup_window("08:15-09:15", &[0, 15, 30, 45]).is_none());
        assert!(backup_window("08:15-10:15", &[0, 15, 30, 45]).is_some());
        assert!(backup_window("08:15-09:30", &[0, 15, 30, 45]).is_some());
        assert!(backup_window("08:10-09:10", &[0, 15, 30, 45]).is_some());
        assert!(backup_window("8:00-9:00", &[0, 15, 30, 45]).is_some());
        assert!(backup_window("24:00-01:00", &[0, 15, 30, 45]).is_some());
        assert!(backup_window("０8:00-09:00", &[0]).is_some());
    }

    fn window(minutes: &[u32]) -> BackupWindow {
        BackupWindow {
            minutes: minutes.to_vec(),
        }
    }

    #[test]
    fn the_fix_ends_the_window_an_hour_after_its_start() {
        let w = window(&[0, 15, 30, 45]);
        assert_eq!(w.fix("01:00-03:00").as_deref(), Some("01:00-02:00"));
        assert_eq!(w.fix("23:45-01:00").as_deref(), Some("23:45-00:45"));
        assert_eq!(w.fix("08:15").as_deref(), Some("08:15-09:15"));
        assert_eq!(w.fix("08:15-09:15"), None, "already right");
        assert_eq!(w.fix("08:10-09:10"), None, "minutes the check refuses");
        assert_eq!(w.fix("24:00-01:00"), None);
        assert_eq!(w.fix("8:00-9:00"), None);
        assert_eq!(w.fix("08:00x"), None);
    }

    /// The fix reads the check's own `minutes`: what the check allows, the fix writes.
    #[test]
    fn the_fix_follows_the_minutes_option() {
        assert_eq!(window(&[10]).fix("08:10-10:10").as_deref(), Some("08:10-09:10"));
        assert_eq!(window(&[10]).fix("08:15-10:15"), None);
        for start in ["00:00", "07:10", "12:45", "23:59"] {
            let m: u32 = start[3..].parse().unwrap();
            let w = window(&[m]);
            let fixed = w.fix(start).unwrap();
            assert!(backup_window(&fixed, &w.minutes).is_none(), "{fixed}");
        }
    }
}
