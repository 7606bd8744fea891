//! `cargo bench`: hcdb-lint side by side with the parse floor and jsonschema-rs.
//!
//! For every body of the corpus (see [`corpus`]) five functions are measured on the same text:
//!
//! * `floor`       `serde_json::from_str::<Value>` (the cost of reading the input);
//! * `check_str`   `Linter::check_str` (text in, spans, worded diagnostics);
//! * `check_value` `Linter::check_value` on an already parsed `Value`;
//! * `is_valid`    `Linter::is_valid` on an already parsed `Value` (no wording at all);
//! * `is_valid_str` `Linter::is_valid_str` (text in, a verdict: the fast path on text);
//! * `jsonschema`  parse + `jsonschema::Validator::is_valid` against `Linter::json_schema(api)`;
//! * `jsonschema_value` `jsonschema::Validator::is_valid` on the parsed `Value` (validation
//!   alone, beside `is_valid`).
//!
//! After criterion has run, a table of the medians (read back from criterion's own estimates)
//! and the ratios is printed. `HCDB_BENCH_PROFILE=<case>:<function>:<iterations>` skips criterion
//! and just runs one function in a loop, for `valgrind --tool=callgrind`.

use criterion::Criterion;
use hcdb_lint::{Api, Linter};
use serde_json::{json, Value};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const FUNCTIONS: [&str; 7] = [
    "floor",
    "check_str",
    "check_value",
    "is_valid",
    "is_valid_str",
    "jsonschema",
    "jsonschema_value",
];

struct Case {
    /// Also the criterion group name: `<api short>-<kind>`.
    name: String,
    api: Api,
    text: String,
}

fn example(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("bench corpus: cannot read {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("bench corpus: {} is not JSON: {e}", path.display()))
}

/// Set (creating parents) a member named by a `/`-separated path of plain keys and indexes.
fn set(body: &mut Value, pointer: &str, value: Value) {
    let mut node = body;
    let toks: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let (last, init) = toks.split_last().expect("non-empty pointer");
    for t in init {
        node = match node {
            Value::Array(a) => &mut a[t.parse::<usize>().expect("index")],
            other => other
                .as_object_mut()
                .expect("object")
                .entry(t.to_string())
                .or_insert_with(|| json!({})),
        };
    }
    match node {
        Value::Array(a) => a[last.parse::<usize>().expect("index")] = value,
        other => {
            other
                .as_object_mut()
                .expect("object")
                .insert(last.to_string(), value);
        }
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("serializable")
}

/// The corpus: per API a valid, a one-error and a many-errors body of typical size (the
/// `examples/` bodies, the GeminiDB ones being a Cassandra instance), a small body (the scale-out
/// request is the smallest API) and a large GeminiDB body: 50 flavor entries and long strings.
fn corpus() -> Vec<Case> {
    let mut cases = Vec::new();
    // The API of each body is detected, as the CLI does: the corpus names no API.
    let mut add = |name: &str, body: &Value| {
        cases.push(Case {
            name: name.to_string(),
            api: hcdb_lint::detect_api(body).expect("a corpus body is detected"),
            text: pretty(body),
        })
    };

    let gdb = example("geminidb-cassandra.valid.json");
    add("gdb-valid", &gdb);
    let mut one = gdb.clone();
    set(
        &mut one,
        "/backup_strategy/start_time",
        json!("08:15-10:15"),
    );
    add("gdb-one-error", &one);
    add(
        "gdb-many-errors",
        &example("geminidb-cassandra.invalid.json"),
    );

    let ddm = example("ddm-create-instance.valid.json");
    add("ddm-valid", &ddm);
    let mut one = ddm.clone();
    set(&mut one, "/extend_param/period_num", json!(13));
    add("ddm-one-error", &one);
    add(
        "ddm-many-errors",
        &example("ddm-create-instance.invalid.json"),
    );

    let small = example("ddm-scale-out.valid.json");
    add("scale-valid-small", &small);
    let mut one = small.clone();
    set(&mut one, "/node_number", json!(0));
    add("scale-one-error", &one);
    add("scale-many-errors", &example("ddm-scale-out.invalid.json"));

    // Large: 50 flavor entries, each with a long spec code, and long ids elsewhere.
    let mut large = gdb.clone();
    // Varied text (a run of one character would read as a placeholder).
    let varied = |n: usize| -> String { "k7m2p9q4r1s8t3v6w0z5".chars().cycle().take(n).collect() };
    let long = varied(400);
    let flavors: Vec<Value> = (0..50)
        .map(|i| {
            json!({
                "num": 3,
                "storage": "ULTRAHIGH",
                "size": 500 + i,
                "spec_code": format!("geminidb.cassandra.{long}{i}.4"),
            })
        })
        .collect();
    set(&mut large, "/flavor", Value::Array(flavors));
    set(
        &mut large,
        "/vpc_id",
        json!(format!("vpc-{}", varied(1000))),
    );
    set(
        &mut large,
        "/subnet_id",
        json!(format!("subnet-{}", varied(1000))),
    );
    add("gdb-large", &large);
    cases
}

struct Subject {
    case: Case,
    value: Value,
    schema: jsonschema::Validator,
}

fn run_one(linter: &Linter, s: &Subject, function: &str) -> usize {
    match function {
        "floor" => usize::from(serde_json::from_str::<Value>(black_box(&s.case.text)).is_ok()),
        "check_str" => linter
            .check_str(s.case.api, black_box(&s.case.text))
            .diagnostics
            .len(),
        "check_value" => linter
            .check_value(s.case.api, black_box(&s.value))
            .diagnostics
            .len(),
        "is_valid" => usize::from(linter.is_valid(s.case.api, black_box(&s.value))),
        "is_valid_str" => usize::from(linter.is_valid_str(s.case.api, black_box(&s.case.text))),
        "jsonschema" => match serde_json::from_str::<Value>(black_box(&s.case.text)) {
            Ok(v) => usize::from(s.schema.is_valid(&v)),
            Err(_) => 0,
        },
        "jsonschema_value" => usize::from(s.schema.is_valid(black_box(&s.value))),
        other => panic!("unknown bench function {other}"),
    }
}

fn criterion_dir() -> PathBuf {
    if let Some(h) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(h);
    }
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => PathBuf::from(t).join("criterion"),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("criterion"),
    }
}

/// The median (ns) criterion measured in this run, if it measured that benchmark.
fn median_ns(dir: &Path, group: &str, function: &str, since: SystemTime) -> Option<f64> {
    let file = dir
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let fresh = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t >= since);
    if !fresh {
        return None;
    }
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).ok()?).ok()?;
    v.pointer("/median/point_estimate")?.as_f64()
}

fn fmt_time(ns: Option<f64>) -> String {
    match ns {
        None => "-".into(),
        Some(n) if n < 1_000.0 => format!("{n:.0} ns"),
        Some(n) if n < 1_000_000.0 => format!("{:.2} µs", n / 1_000.0),
        Some(n) => format!("{:.2} ms", n / 1_000_000.0),
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
        _ => "-".into(),
    }
}

fn main() {
    let linter = Linter::default();
    let subjects: Vec<Subject> = corpus()
        .into_iter()
        .map(|case| {
            let value = serde_json::from_str(&case.text).expect("corpus text is JSON");
            let schema = jsonschema::validator_for(&linter.json_schema(case.api))
                .expect("our JSON Schema export compiles");
            Subject {
                case,
                value,
                schema,
            }
        })
        .collect();

    if let Ok(spec) = std::env::var("HCDB_BENCH_PROFILE") {
        let parts: Vec<&str> = spec.split(':').collect();
        let (case, function, n) = match parts.as_slice() {
            [c, f, n] => (*c, *f, n.parse::<usize>().unwrap_or(1000)),
            [c, f] => (*c, *f, 1000),
            _ => panic!("HCDB_BENCH_PROFILE=<case>:<function>[:<iterations>]"),
        };
        let s = subjects
            .iter()
            .find(|s| s.case.name == case)
            .unwrap_or_else(|| panic!("no case {case}"));
        let mut acc = 0;
        for _ in 0..n {
            acc += run_one(&linter, s, function);
        }
        println!("{case} {function} x{n}: {acc}");
        for d in linter.check_str(s.case.api, &s.case.text).diagnostics {
            println!("  {} {:?} {} {}", d.rule, d.severity, d.pointer, d.message);
        }
        return;
    }

    let since = SystemTime::now() - Duration::from_secs(1);
    let dir = criterion_dir();
    let mut c = Criterion::default()
        .output_directory(&dir)
        .sample_size(30)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1200))
        .configure_from_args();

    // Compile time of the linter itself (target: < 1 ms).
    c.bench_function("linter_new", |b| {
        b.iter(|| Linter::new(hcdb_lint::Config::default()).is_ok())
    });
    for s in &subjects {
        let mut g = c.benchmark_group(&s.case.name);
        for f in FUNCTIONS {
            g.bench_function(f, |b| b.iter(|| run_one(&linter, s, f)));
        }
        g.finish();
    }
    c.final_summary();

    // The summary table.
    println!();
    println!(
        "Linter::new: {}",
        fmt_time(median_ns(&dir, "linter_new", "", since).or_else(|| {
            // A lone bench_function is stored as <dir>/<id>/new.
            let file = dir.join("linter_new").join("new").join("estimates.json");
            let v: Value = serde_json::from_str(&std::fs::read_to_string(file).ok()?).ok()?;
            v.pointer("/median/point_estimate")?.as_f64()
        }))
    );
    println!();
    println!(
        "| body | bytes | diags | floor | check_str | check_value | is_valid | is_valid_str | jsonschema | jsonschema (value) | str/floor | value/floor | str/jsonschema | valid_str/jsonschema | valid/jsonschema (value) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for s in &subjects {
        let m: Vec<Option<f64>> = FUNCTIONS
            .iter()
            .map(|f| median_ns(&dir, &s.case.name, f, since))
            .collect();
        let diags = linter.check_str(s.case.api, &s.case.text);
        let errors = diags
            .diagnostics
            .iter()
            .filter(|d| d.severity == hcdb_lint::Severity::Error)
            .count();
        println!(
            "| {} | {} | {} ({} err) | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            s.case.name,
            s.case.text.len(),
            diags.diagnostics.len(),
            errors,
            fmt_time(m[0]),
            fmt_time(m[1]),
            fmt_time(m[2]),
            fmt_time(m[3]),
            fmt_time(m[4]),
            fmt_time(m[5]),
            fmt_time(m[6]),
            ratio(m[1], m[0]),
            ratio(m[2], m[0]),
            ratio(m[1], m[5]),
            ratio(m[4], m[5]),
            ratio(m[3], m[6]),
        );
    }
    println!();
    // The bodies criterion measured in this run (a filter on the command line picks some).
    paired_ratios(&linter, &subjects, |name| {
        median_ns(&dir, name, "floor", since).is_some()
    });
    println!();
    template_costs(&linter, &subjects, |name| {
        median_ns(&dir, name, "floor", since).is_some()
    });
    println!();
    println!("Budgets (docs/performance.md; scripts/bench.sh checks them in instructions): check_str <= 1.3x floor; is_valid_str <= 0.8x jsonschema on the valid bodies. Linter::new < 1 ms.");
}

/// The target ratios measured in pairs: batches of the two functions alternate (A, B, A, B...)
/// and each pair of neighbouring batches gives one ratio; the median of those is printed. The
/// medians in the table above come from separate criterion runs seconds apart, and on a shared
/// VM the speed of the machine drifts between them; neighbouring batches see the same machine.
fn paired_ratios(linter: &Linter, subjects: &[Subject], wanted: impl Fn(&str) -> bool) {
    const PAIRS: [(&str, &str); 5] = [
        ("check_str", "floor"),
        ("check_value", "floor"),
        ("check_str", "jsonschema"),
        ("is_valid_str", "jsonschema"),
        ("is_valid", "jsonschema_value"),
    ];
    println!("Paired ratios (medians of 301 neighbouring batch pairs of ~50 µs each):");
    println!();
    println!("| body | str/floor | value/floor | str/jsonschema | valid_str/jsonschema | valid/jsonschema (value) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for s in subjects.iter().filter(|s| wanted(&s.case.name)) {
        let cells: Vec<String> = PAIRS
            .iter()
            .map(|&(a, b)| format!("{:.2}", paired_ratio(linter, s, a, b)))
            .collect();
        println!("| {} | {} |", s.case.name, cells.join(" | "));
    }
}

fn paired_ratio(linter: &Linter, s: &Subject, a: &str, b: &str) -> f64 {
    let batch = |f: &str, n: u32| {
        let t = std::time::Instant::now();
        for _ in 0..n {
            black_box(run_one(linter, s, f));
        }
        t.elapsed().as_secs_f64()
    };
    // Calls per batch: ~50 µs of the slower function (measured after a warm-up).
    batch(a, 200);
    batch(b, 200);
    let slower = batch(a, 200).max(batch(b, 200)) / 200.0;
    let n = ((50e-6 / slower) as u32).clamp(1, 100_000);
    let mut ratios: Vec<f64> = (0..301).map(|_| batch(a, n) / batch(b, n)).collect();
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2]
}

/// The template path's cost beside the plain path, in pairs as [`paired_ratio`] measures:
/// `check_str` of a linter that reads templates over the plain linter's, on the plain body (what
/// turning templates on costs a body that has none) and on the body as a template (its string
/// values written as `${VAR}`, its first number bare as `${N}`: the template pass, the unknown
/// list and the silenced rules).
fn template_costs(linter: &Linter, subjects: &[Subject], wanted: impl Fn(&str) -> bool) {
    let templ = Linter::new(hcdb_lint::Config {
        templates: Some(hcdb_lint::Templates::default()),
        ..hcdb_lint::Config::default()
    })
    .expect("templates compile");
    let pair = |a: &dyn Fn() -> usize, b: &dyn Fn() -> usize| {
        let batch = |f: &dyn Fn() -> usize, n: u32| {
            let t = std::time::Instant::now();
            for _ in 0..n {
                black_box(f());
            }
            t.elapsed().as_secs_f64()
        };
        batch(a, 200);
        batch(b, 200);
        let slower = batch(a, 200).max(batch(b, 200)) / 200.0;
        let n = ((50e-6 / slower) as u32).clamp(1, 100_000);
        let mut r: Vec<f64> = (0..301).map(|_| batch(a, n) / batch(b, n)).collect();
        r.sort_by(f64::total_cmp);
        r[r.len() / 2]
    };
    println!("Templates (paired ratios over the plain linter's check_str on the plain body):");
    println!();
    println!("| body | templates on, plain body | templates on, body as template | unknowns |");
    println!("|---|---:|---:|---:|");
    for s in subjects.iter().filter(|s| wanted(&s.case.name)) {
        let (api, text) = (s.case.api, s.case.text.as_str());
        let templated = as_template(&s.value, &mut (0, false));
        let unknowns = templ.check_str(api, &templated).unknown.len();
        let plain = || linter.check_str(api, text).diagnostics.len();
        let on_plain = pair(&|| templ.check_str(api, text).diagnostics.len(), &plain);
        let on_template = pair(
            &|| templ.check_str(api, &templated).diagnostics.len(),
            &plain,
        );
        println!(
            "| {} | {on_plain:.2} | {on_template:.2} | {unknowns} |",
            s.case.name
        );
    }
}

/// A body as a template: every string value `${V<i>}`, the first number `${N}` (bare).
/// `state`: strings written so far, and whether the bare number is written.
fn as_template(v: &Value, state: &mut (usize, bool)) -> String {
    match v {
        Value::String(_) => {
            state.0 += 1;
            format!("\"${{V{}}}\"", state.0)
        }
        Value::Number(_) if !state.1 => {
            state.1 = true;
            "${N}".to_string()
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter()
                .map(|x| as_template(x, state))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, x)| format!("{}:{}", Value::String(k.clone()), as_template(x, state)))
                .collect::<Vec<_>>()
                .join(",")
        ),
        other => other.to_string(),
    }
}
