//! `backup_window`: a window `hh:mm-HH:MM` one hour long (`HH = (hh + 1) mod 24`, `mm = MM`),
//! its minutes from `minutes` (default 00, 15, 30, 45).

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
}

/// The window's problem, if any (without the value).
fn backup_window(t: &str, minutes: &[u32]) -> Option<Params> {
    let fail = |problem: &'static str| Some(vec![("problem", Param::Term(problem))]);
    let b = t.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit())
            .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    if b.len() != 11 || b[2] != b':' || b[5] != b'-' || b[8] != b':' {
        return fail("window_format");
    }
    let (Some(h1), Some(m1), Some(h2), Some(m2)) = (two(0), two(3), two(6), two(9)) else {
        return fail("window_format");
    };
    if h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 {
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
}
