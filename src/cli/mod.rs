//! The `hcdb-lint` command line: a thin layer over the library. Argument parsing (clap) and
//! graphical reports (miette) live here only, so that the library and the wasm build stay free
//! of them.

mod config;
mod docs;
mod fix;
mod glob;
mod judge;
mod output;
mod paths;
mod redact;
mod server;
mod terraform;

use clap::{Args, Parser, Subcommand, ValueEnum};
use config::{ConfigProblem, Resolved};
use hcdb_lint::{Api, Diagnostic, Lang, Linter, Severity};
use paths::{Collector, Input, Problem};
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The API ids, for `--api` and `schema`.
fn api_ids() -> impl Iterator<Item = &'static str> {
    Api::ALL.into_iter().map(Api::id)
}

#[derive(Parser, Debug)]
#[command(
    name = "hcdb-lint",
    version,
    about = "Offline validator and linter for Huawei Cloud DDM and GeminiDB instance request bodies",
    after_help = "Exit codes: 0 no finding at or above the fail level, 1 findings at or above it, \
                  2 usage, configuration or internal error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check request bodies: files, directories (recursing into *.json) or `-` for stdin.
    Check(CheckArgs),
    /// List every rule: id, name, default severity, API, summary.
    Rules(RulesArgs),
    /// Show a rule's documentation: what, why, an invalid and a valid example, the source.
    Explain(ExplainArgs),
    /// Print the JSON Schema of an API's request body (for editors, e.g. VS Code json.schemas).
    Schema(SchemaArgs),
    /// Run the language server (LSP over stdin/stdout) for editors: diagnostics, hover,
    /// completion, quick fixes.
    Server(ServerArgs),
}

#[derive(Args, Debug)]
struct ServerArgs {
    /// Talk over stdin/stdout (the only transport; accepted because editors pass it).
    #[arg(long)]
    stdio: bool,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Files, directories or `-` (stdin). Default: the config file's `files`, else the current
    /// directory.
    paths: Vec<PathBuf>,
    /// Check every input against this API instead of detecting it.
    #[arg(long, value_name = "ID", value_parser = clap::builder::PossibleValuesParser::new(api_ids()))]
    api: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Language of messages (default: the config file's `lang`, else en).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Colors in the human format; `auto` honours NO_COLOR and whether stdout is a terminal.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailLevel::Error)]
    fail_level: FailLevel,
    /// Print the findings only: no summary line.
    #[arg(long, short)]
    quiet: bool,
    /// The config file (default: hcdb-lint.json in the current directory or the nearest parent).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Use no config file, even if one is found.
    #[arg(long)]
    no_config: bool,
    /// A JSON object of facts the body cannot show (the `context` keys of the configuration
    /// file); its keys override the config file's `context`.
    #[arg(long, value_name = "FILE")]
    context: Option<PathBuf>,
    /// The name stdin (`-`) is shown under and matched against the config file's globs
    /// (default: shown as `<stdin>`, matched as `-`).
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Apply the safe fixes: each file is rewritten in place (stdin: the fixed body goes to
    /// stdout and the report to stderr). Invalid JSON and bodies with duplicate keys are never
    /// rewritten.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff: apply the unsafe fixes too (they may change the meaning).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing; exit 1 if a file would change.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    /// Read bodies as plain JSON: a bare `${N}` is a syntax error and `"${X}"` an ordinary
    /// string (by default template expressions are unknown values, not checked).
    #[arg(long)]
    no_templates: bool,
    /// A template variable, substituted and checked as if written there (repeatable; over
    /// `--vars` and the config file's `vars`); in Terraform modules, the value of the module's
    /// input variable NAME, as `terraform plan -var` gives it.
    #[arg(
        long = "var",
        value_name = "NAME=VALUE",
        conflicts_with = "no_templates"
    )]
    vars: Vec<String>,
    /// Terraform variables from a file (`.tfvars` or `.tfvars.json`), over the module's own
    /// variables files; `--var` values win over it (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
    /// The Terraform module a plan was made from (default: the current directory, when it holds
    /// `.tf` files): a finding on an attribute of a plan's resource also gives where the
    /// attribute is written in its `.tf` files.
    #[arg(long, value_name = "DIR")]
    source: Option<PathBuf>,
    /// Template variables from a file: a JSON object, or `NAME=VALUE` lines as in a `.env` file.
    #[arg(long = "vars", value_name = "FILE", conflicts_with = "no_templates")]
    vars_file: Option<PathBuf>,
    /// Look every template variable up in the environment too; in Terraform modules, read
    /// `TF_VAR_name` as Terraform does.
    #[arg(long, conflicts_with = "no_templates")]
    env: bool,
    /// Every value a template leaves unknown is an error (for templates rendered before linting).
    #[arg(long, conflicts_with = "no_templates")]
    fail_on_unknown: bool,
    /// The documented contract only: values the reference pages forbid but the service is
    /// known to accept (warnings that name their evidence) are errors again.
    #[arg(long)]
    strict: bool,
    /// Show info findings (advice) in the human and github formats; JSON and SARIF always
    /// carry them.
    #[arg(long)]
    show_infos: bool,
    /// Where the documentation site is hosted, for the rule links in SARIF (default: the config
    /// file's `docs_url`, else the published site).
    #[arg(long, value_name = "URL")]
    docs_url: Option<String>,
}

#[derive(Args, Debug)]
struct RulesArgs {
    /// Only the rules of this API (and the rules common to every API).
    #[arg(long, value_name = "ID", value_parser = clap::builder::PossibleValuesParser::new(api_ids()))]
    api: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
}

#[derive(Args, Debug)]
struct ExplainArgs {
    /// A rule id (GDB104) or name (geminidb-name-charset).
    rule: String,
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
    /// Where the documentation site is hosted, for the link to the rule's page (default: the
    /// published site).
    #[arg(long, value_name = "URL")]
    docs_url: Option<String>,
}

#[derive(Args, Debug)]
struct SchemaArgs {
    #[arg(value_name = "API", value_parser = clap::builder::PossibleValuesParser::new(api_ids()))]
    api: String,
    /// The documented contract only: no coerced types, no `null` in optional members, no
    /// observed acceptances (the schema of `check --strict`).
    #[arg(long)]
    strict: bool,
    /// Follow this config file (rule levels and options, tables, `strict`) rather than the
    /// hcdb-lint.json found from the current directory.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Use the built-in defaults, whatever hcdb-lint.json says.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LangArg {
    En,
    Zh,
}

impl LangArg {
    fn lang(self) -> Lang {
        match self {
            LangArg::En => Lang::En,
            LangArg::Zh => Lang::Zh,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FailLevel {
    Error,
    Warning,
    Info,
}

impl FailLevel {
    fn severity(self) -> Severity {
        match self {
            FailLevel::Error => Severity::Error,
            FailLevel::Warning => Severity::Warning,
            FailLevel::Info => Severity::Info,
        }
    }
}

/// The verdict on one input.
pub struct FileResult {
    pub display: String,
    pub api: Option<Api>,
    pub diagnostics: Vec<Diagnostic>,
    /// Members whose values a template fills in: not checked.
    pub unknown: Vec<hcdb_lint::Unknown>,
    /// Findings dropped by the config file's `ignore`.
    pub ignored: usize,
    /// The text for code frames, with secrets masked (`None`: nothing could be read).
    pub source: Option<String>,
    /// What `--fix` / `--diff` did with this input.
    pub fix: fix::Outcome,
    /// What decided the API it was checked against (`--api`, the config file, its members).
    pub detected_by: Option<String>,
    /// Why it was not checked: not a request body, or a body of an API not covered.
    pub skipped: Option<judge::Skip>,
    /// A Terraform plan's changes of the covered resource types, linted or not.
    pub resources: Option<Vec<hcdb_lint::terraform::ResourceVerdict>>,
}

/// The linters of a run: the configuration's, and those of the Terraform resource address
/// globs that set rules of their own.
pub struct Linters {
    pub base: Linter,
    /// `None`: plan documents are read as plain JSON.
    pub terraform: Option<Vec<(String, Linter)>>,
    /// Where the attributes of a plan's resources are written: `--source DIR`, else the current
    /// directory when it holds `.tf` files; read when the first plan needs it.
    pub source_dir: Option<(PathBuf, String, hcdb_lint::terraform::VarInputs)>,
    pub sources: std::sync::OnceLock<Option<hcdb_lint::terraform::SourceIndex>>,
}

impl Linters {
    fn sources(&self) -> Option<&hcdb_lint::terraform::SourceIndex> {
        self.sources
            .get_or_init(|| {
                let (dir, display, inputs) = self.source_dir.as_ref()?;
                Some(hcdb_lint::terraform::SourceIndex::read(
                    dir, display, inputs,
                ))
            })
            .as_ref()
    }
}

impl Linters {
    fn for_address(&self, address: &str) -> &Linter {
        self.terraform
            .iter()
            .flatten()
            .find(|(glob, _)| config::address_matches(glob, address))
            .map_or(&self.base, |(_, l)| l)
    }
}

/// Totals over a run; they add up to the diagnostics printed.
#[derive(Default, Debug, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub files_with_findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub ignored: usize,
    /// Values not checked because a template fills them in.
    pub unknown: usize,
    /// Inputs skipped: JSON that is not a request body.
    pub not_request_bodies: usize,
    /// Inputs skipped: bodies of APIs hcdb-lint does not cover.
    pub uncovered: usize,
    /// Values of a Terraform plan not checked because they are known only after apply.
    pub unknown_after_apply: usize,
    pub fail_level: &'static str,
    pub exit_code: u8,
    /// Findings fixed (`--fix`), when fixing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<usize>,
    /// Findings left with a safe fix and with an unsafe one (the human summary's hint).
    #[serde(skip)]
    pub fixable: (usize, usize),
    /// Infos that the human and github formats left out (without `--show-infos`).
    #[serde(skip)]
    pub infos_hidden: usize,
    /// Files with a finding that those formats show.
    #[serde(skip)]
    pub files_with_shown: usize,
}

/// A failure that is not a finding: exit 2.
pub struct Fatal(pub String);

impl From<ConfigProblem> for Fatal {
    fn from(p: ConfigProblem) -> Fatal {
        Fatal(p.0)
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version are not errors; clap exits 2 on usage errors.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let outcome = std::panic::catch_unwind(move || match cli.command {
        Command::Check(a) => check(a),
        Command::Rules(a) => docs::rules(
            a.api.as_deref(),
            a.format == ListFormat::Json,
            a.lang.lang(),
        ),
        Command::Explain(a) => {
            let base = a
                .docs_url
                .map(|u| config::docs_url("--docs-url", &serde_json::Value::String(u)))
                .transpose()
                .map_err(Fatal)?;
            let json = a.format == ListFormat::Json;
            docs::explain(&a.rule, a.lang.lang(), json, base.as_deref()).map_err(Fatal)
        }
        Command::Schema(a) => schema(&a),
        Command::Server(a) => {
            let _ = a.stdio;
            server::main()
        }
    });
    match outcome {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(Fatal(msg))) => {
            let _ = writeln!(std::io::stderr(), "hcdb-lint: error: {msg}");
            ExitCode::from(2)
        }
        Err(_) => {
            let _ = writeln!(
                std::io::stderr(),
                "hcdb-lint: internal error (a bug: please report it with the input)"
            );
            ExitCode::from(2)
        }
    }
}

/// Write to stdout; a closed pipe (`| head`) is not an error worth a message.
pub fn emit(text: &str) -> Result<(), Fatal> {
    let mut out = Out::stdout();
    out.write(text)?;
    out.finish()
}

fn check(args: CheckArgs) -> Result<u8, Fatal> {
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal(format!("cannot read the current directory: {e}")))?;
    let config_path = if args.no_config {
        None
    } else {
        match &args.config {
            Some(p) => Some(p.clone()),
            None => config::discover(&cwd),
        }
    };
    let mut cfg: Resolved = config::load(config_path.as_deref(), &cwd)?;
    let mut context_keys = Vec::new();
    if let Some(path) = &args.context {
        for (k, v) in config::load_context(path)? {
            context_keys.push(k.clone());
            cfg.core.context.insert(k, v);
        }
    }
    if let Some(l) = args.lang {
        cfg.core.lang = l.lang();
    }
    apply_template_args(&args, &mut cfg.core)?;
    cfg.core.strict |= args.strict;
    let lang = cfg.core.lang;
    let linter = Linter::new(cfg.core.clone()).map_err(|e| {
        let from_context =
            matches!(&e, hcdb_lint::ConfigError::Context { key, .. } if context_keys.contains(key));
        let file = match (&args.context, &cfg.path) {
            (Some(c), _) if from_context => c.display().to_string(),
            (_, Some(p)) => p.display().to_string(),
            (Some(c), None) => c.display().to_string(),
            (None, None) => "configuration".into(),
        };
        Fatal(format!("{file}: {e}"))
    })?;
    let source_dir = match &args.source {
        Some(dir) => Some((dir.clone(), paths::slashed(dir))),
        None => {
            let has_tf = std::fs::read_dir(&cwd).is_ok_and(|rd| {
                rd.filter_map(Result::ok)
                    .any(|e| hcdb_lint::terraform::is_module_file(&e.path()))
            });
            has_tf.then(|| (cwd.clone(), String::new()))
        }
    }
    .map(|(dir, display)| (dir, display, terraform_inputs(&args)));
    let linters = Linters {
        terraform: terraform_linters(&cfg, &linter)?,
        base: linter,
        source_dir,
        sources: std::sync::OnceLock::new(),
    };
    let linter = &linters.base;
    let forced: Option<Api> = args.api.as_deref().and_then(|s| s.parse().ok());
    if args.unsafe_fixes && !args.fix && !args.diff {
        return Err(Fatal("--unsafe-fixes applies with --fix or --diff".into()));
    }
    let fixing = match (args.fix, args.diff) {
        (_, true) => Some(fix::Mode::Diff),
        (true, false) => Some(fix::Mode::Write),
        (false, false) => None,
    }
    .map(|m| {
        let options = hcdb_lint::FixOptions {
            unsafe_fixes: args.unsafe_fixes,
        };
        (m, options)
    });

    let inputs = collect_inputs(&args, &cfg, &cwd, config_path.as_deref())?;
    let (modules, inputs) = terraform::split(inputs, &args.paths);
    if inputs.is_empty() && modules.is_empty() && !args.quiet {
        let _ = writeln!(
            std::io::stderr(),
            "hcdb-lint: warning: no input files (no *.json under the given directories, or no \
             match for the config file's `files`)"
        );
    }
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            use std::io::IsTerminal;
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let keep_source = matches!(args.format, Format::Human);
    let stdin_name = args.stdin_filename.as_deref().unwrap_or("-");
    let is_stdin = |input: &Input| input.path.is_none() && input.problem.is_none();
    let one = |input: &Input, stdin_used: &mut bool| {
        check_one(
            input,
            &linters,
            lang,
            forced,
            &cfg,
            &cwd,
            stdin_name,
            keep_source,
            fixing,
            stdin_used,
        )
    };
    let fail = args.fail_level.severity();
    // Infos are advice: the text formats show them when asked, or when they fail the run.
    let show_infos = args.show_infos
        || cfg.show_infos
        || fail == Severity::Info
        || matches!(args.format, Format::Json | Format::Sarif);
    let mut summary = Summary {
        files: inputs.len(),
        fail_level: fail.as_str(),
        fixed: fixing.filter(|(m, _)| *m == fix::Mode::Write).map(|_| 0),
        ..Summary::default()
    };
    let mut failing = false;
    let docs_url = match &args.docs_url {
        Some(u) => Some(
            config::docs_url("--docs-url", &serde_json::Value::String(u.clone())).map_err(Fatal)?,
        ),
        None => cfg.docs_url.clone(),
    };
    let mut stream = output::Stream::new(args.format, color, lang, args.quiet, show_infos);
    stream.docs_url = docs_url;
    // stdout holds what is fixed when stdin is (a filter); the report then goes to stderr. With
    // --diff, stdout holds the diffs and the report is not written.
    let stdin_fixed =
        fixing.is_some_and(|(m, _)| m == fix::Mode::Write) && inputs.iter().any(is_stdin);
    let diffing = fixing.is_some_and(|(m, _)| m == fix::Mode::Diff);
    let mut out = if stdin_fixed {
        Out::stderr()
    } else {
        Out::stdout()
    };
    let mut bodies = Out::stdout();
    let mut diffs = fix::Diffs::default();
    out.write(&stream.begin())?;
    let mut stdin_used = false;
    // Terraform modules first (one result per file read), then the other inputs.
    let mut modules_pending = (!modules.is_empty() && linters.terraform.is_some()).then(|| {
        let run = terraform::Run {
            linters: &linters,
            cfg: &cfg,
            inputs: terraform_inputs(&args),
            keep_source,
            fixing,
        };
        terraform::check(&modules, &run)
    });
    if let Some(results) = &modules_pending {
        summary.files += results.len();
    }
    let mut batches = inputs.chunks(BATCH);
    // Batch by batch, so that memory does not grow with the number of files: in a batch, files
    // are checked on every core, stdin (`-`, read once, by the first `-`) in its place after.
    loop {
        let results: Vec<FileResult> = if let Some(r) = modules_pending.take() {
            r
        } else if let Some(batch) = batches.next() {
            let checked = par_map(batch, |input| {
                (!is_stdin(input)).then(|| one(input, &mut false))
            });
            checked
                .into_iter()
                .zip(batch)
                .map(|(r, input)| r.unwrap_or_else(|| one(input, &mut stdin_used)))
                .collect()
        } else {
            break;
        };
        for r in &results {
            if let Some(body) = &r.fix.body {
                bodies.write(body)?;
            }
            if let Some(e) = &r.fix.write_error {
                let _ = writeln!(std::io::stderr(), "hcdb-lint: error: {e}");
                diffs.write_errors += 1;
            }
            if diffing {
                diffs.add(&r.fix);
                bodies.write(&r.fix.diff)?;
                continue;
            }
            if let Some(n) = &mut summary.fixed {
                *n += r.fix.fixed;
            }
            for f in r.diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
                match f.applicability {
                    hcdb_lint::Applicability::Safe => summary.fixable.0 += 1,
                    hcdb_lint::Applicability::Unsafe => summary.fixable.1 += 1,
                }
            }
            summary.ignored += r.ignored;
            let after_apply = r.unknown.iter().filter(|u| u.resource.is_some()).count();
            summary.unknown += r.unknown.len() - after_apply;
            summary.unknown_after_apply += after_apply;
            match &r.skipped {
                Some(judge::Skip::NotBody) => summary.not_request_bodies += 1,
                Some(judge::Skip::Uncovered { .. }) => summary.uncovered += 1,
                None => {}
            }
            if !r.diagnostics.is_empty() {
                summary.files_with_findings += 1;
            }
            let shown = |d: &&Diagnostic| show_infos || d.severity != Severity::Info;
            if r.diagnostics.iter().any(|d| shown(&d)) {
                summary.files_with_shown += 1;
            }
            summary.infos_hidden += r.diagnostics.iter().filter(|d| !shown(d)).count();
            for d in &r.diagnostics {
                match d.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Info => summary.infos += 1,
                }
                failing |= d.severity >= fail;
            }
        }
        if !diffing {
            out.write(&stream.batch(results))?;
        }
    }
    if diffing {
        bodies.finish()?;
        if !args.quiet {
            let _ = writeln!(std::io::stderr(), "{}", diffs.summary(lang));
        }
        return Ok(if diffs.write_errors > 0 {
            2
        } else {
            u8::from(diffs.files > 0)
        });
    }
    summary.exit_code = u8::from(failing);
    stream.end(&summary, linter, &mut |text| out.write(text))?;
    out.finish()?;
    bodies.finish()?;
    if diffs.write_errors > 0 {
        return Ok(2);
    }
    Ok(summary.exit_code)
}

/// `schema`: the JSON Schema of an API's bodies under the configuration `check` would use.
fn schema(args: &SchemaArgs) -> Result<u8, Fatal> {
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal(format!("cannot read the current directory: {e}")))?;
    let path = match (&args.config, args.no_config) {
        (_, true) => None,
        (Some(p), false) => Some(p.clone()),
        (None, false) => config::discover(&cwd),
    };
    let mut cfg = config::load(path.as_deref(), &cwd)?;
    cfg.core.strict |= args.strict;
    let file = cfg
        .path
        .as_ref()
        .map_or("configuration".into(), |p| p.display().to_string());
    let linter = Linter::new(cfg.core).map_err(|e| Fatal(format!("{file}: {e}")))?;
    docs::schema(&args.api, &linter)
}

/// A linter per Terraform resource address glob of the config file, each the file's rules with
/// the glob's on top (`None` when the file turns the Terraform reading off).
fn terraform_linters(
    cfg: &Resolved,
    base: &Linter,
) -> Result<Option<Vec<(String, Linter)>>, Fatal> {
    if !cfg.terraform {
        return Ok(None);
    }
    let file = cfg
        .path
        .as_ref()
        .map_or("configuration".to_string(), |p| p.display().to_string());
    let mut out = Vec::new();
    for (glob, rules) in &cfg.terraform_rules {
        let mut core = cfg.core.clone();
        core.lang = base.lang();
        core.rules.extend(rules.clone());
        let linter =
            Linter::new(core).map_err(|e| Fatal(format!("{file}: terraform.{glob}.rules: {e}")))?;
        out.push((glob.clone(), linter));
    }
    Ok(Some(out))
}

/// The Terraform variables given on the command line: `--var-file` files, `--var` values (the
/// same flag as template variables), and `TF_VAR_*` with `--env`.
fn terraform_inputs(args: &CheckArgs) -> hcdb_lint::terraform::VarInputs {
    hcdb_lint::terraform::VarInputs {
        var_files: args.var_files.clone(),
        vars: args
            .vars
            .iter()
            .filter_map(|v| config::parse_assignment(v))
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        env: args.env,
    }
}

/// The template flags over the config file's settings: `--no-templates` turns reading templates
/// off (as the file's `"templates": false` does, unless a template flag is given); `--var` wins
/// over `--vars`, which wins over the file's `vars`.
fn apply_template_args(args: &CheckArgs, core: &mut hcdb_lint::Config) -> Result<(), Fatal> {
    if args.no_templates {
        core.templates = None;
        return Ok(());
    }
    // The config file's `"templates": false` stands unless a template flag asks for them.
    let asked =
        args.vars_file.is_some() || !args.vars.is_empty() || args.env || args.fail_on_unknown;
    if core.templates.is_none() && !asked {
        return Ok(());
    }
    let t = core.templates.get_or_insert_with(Default::default);
    if let Some(path) = &args.vars_file {
        t.vars.extend(config::load_vars(path)?);
    }
    for v in &args.vars {
        // The value is never shown: only the name, or that there is none.
        let (name, value) = config::parse_assignment(v).ok_or_else(|| {
            Fatal("--var: expected NAME=VALUE (a non-empty name, then `=`)".into())
        })?;
        t.vars.insert(name.to_string(), value.to_string());
    }
    t.env |= args.env;
    t.fail_on_unknown |= args.fail_on_unknown;
    Ok(())
}

/// Files checked (and written) per batch.
const BATCH: usize = 512;

/// Standard output, written as results come. A closed pipe (`| head`) ends the writing, not the
/// run: the exit code still reflects every file.
struct Out {
    w: std::io::BufWriter<Box<dyn Write>>,
    closed: bool,
}

impl Out {
    fn stdout() -> Out {
        Out {
            w: std::io::BufWriter::with_capacity(1 << 16, Box::new(std::io::stdout())),
            closed: false,
        }
    }

    fn stderr() -> Out {
        Out {
            w: std::io::BufWriter::with_capacity(1 << 16, Box::new(std::io::stderr())),
            closed: false,
        }
    }

    fn write(&mut self, text: &str) -> Result<(), Fatal> {
        if self.closed || text.is_empty() {
            return Ok(());
        }
        let r = self.w.write_all(text.as_bytes());
        self.result(r)
    }

    fn finish(mut self) -> Result<(), Fatal> {
        if self.closed {
            return Ok(());
        }
        let r = self.w.flush();
        self.result(r)
    }

    fn result(&mut self, r: std::io::Result<()>) -> Result<(), Fatal> {
        match r {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(e) => Err(Fatal(format!("cannot write the output: {e}"))),
        }
    }
}

/// `f` over `items` on up to `available_parallelism` threads, the results in order. Small inputs
/// stay on this thread: a thread costs more than a few files.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    const CHUNK: usize = 16;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len() / (4 * CHUNK))
        .max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                        if start >= items.len() {
                            return done;
                        }
                        let end = (start + CHUNK).min(items.len());
                        done.extend(
                            items[start..end]
                                .iter()
                                .zip(start..)
                                .map(|(x, i)| (i, f(x))),
                        );
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, r) in parts.into_iter().flatten() {
        slots[i] = Some(r);
    }
    // Every index was claimed by exactly one worker.
    slots.into_iter().flatten().collect()
}

fn collect_inputs(
    args: &CheckArgs,
    cfg: &Resolved,
    cwd: &Path,
    config_path: Option<&Path>,
) -> Result<Vec<Input>, Fatal> {
    let mut c = Collector::new(cwd, config_path.map(Path::to_path_buf), config::FILE_NAME);
    if !args.paths.is_empty() {
        for p in &args.paths {
            if p.as_os_str() == "-" {
                c.stdin(args.stdin_filename.as_deref().unwrap_or("<stdin>"));
            } else {
                c.explicit(p, paths::slashed(p));
            }
        }
    } else if !cfg.files.is_empty() {
        // Globs are relative to the config file; outputs name files relative to the current
        // directory when they are under it.
        let shown = |p: &Path| -> String {
            match p.strip_prefix(cwd) {
                Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
                Ok(rel) => paths::slashed(rel),
                Err(_) => paths::slashed(p),
            }
        };
        for g in &cfg.files {
            if g.is_literal() {
                let p = cfg.base.join(g.as_str());
                c.explicit(&p, shown(&paths::normalize(&p)));
            } else {
                let start = match g.literal_prefix() {
                    Some(prefix) => cfg.base.join(prefix),
                    None => cfg.base.clone(),
                };
                if start.is_dir() {
                    let base = cfg.base.clone();
                    c.walk(
                        &start,
                        &shown(&paths::normalize(&start)),
                        Some((std::slice::from_ref(g), &base)),
                    );
                }
            }
        }
    } else {
        c.walk(cwd, "", None);
    }
    Ok(c.inputs)
}

#[allow(clippy::too_many_arguments)]
fn check_one(
    input: &Input,
    linters: &Linters,
    lang: Lang,
    forced: Option<Api>,
    cfg: &Resolved,
    cwd: &Path,
    stdin_name: &str,
    keep_source: bool,
    fixing: Option<(fix::Mode, hcdb_lint::FixOptions)>,
    stdin_used: &mut bool,
) -> FileResult {
    let rel = match &input.path {
        Some(p) => paths::relative_to(p, cwd, &cfg.base),
        None => stdin_name.to_string(),
    };
    let (api, given) = judge::given(forced, &cfg.apis, &rel);
    let read = match (&input.problem, &input.path) {
        (Some(p), _) => Err(problem_reason(*p, lang)),
        (None, Some(path)) => std::fs::read(path).map_err(|e| io_reason_lang(&e, path, lang)),
        (None, None) => {
            if *stdin_used {
                Err(match lang {
                    Lang::En => "stdin was already read for an earlier `-`".to_string(),
                    Lang::Zh => "标准输入已被前面的 `-` 读取".to_string(),
                })
            } else {
                *stdin_used = true;
                let mut buf = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
                    .map(|_| buf)
                    .map_err(|e| e.to_string())
            }
        }
    };
    let linter = &linters.base;
    // PowerShell's redirection writes UTF-16; a file being fixed is written back as it was.
    let read = read.map(|b| if fixing.is_none() { decode_utf16(b) } else { b });
    if let (Ok(bytes), None, Some(_)) = (&read, api, &linters.terraform) {
        if let Some(r) = plan_result(bytes, linters, cfg, &rel, &input.display) {
            return r;
        }
    }
    let mut fixed = fix::Outcome::default();
    let (mut detected_by, mut skipped) = (given.as_ref().map(judge::Given::detected_by), None);
    let (report_api, diagnostics, unknown, source) = match read {
        Ok(bytes) => {
            let (report, text) = match (fixing, std::str::from_utf8(&bytes)) {
                (Some((mode, options)), Ok(text)) => {
                    let ignored = |d: &Diagnostic| {
                        cfg.ignore
                            .iter()
                            .any(|i| i.covers(&rel, &d.rule, &d.pointer))
                    };
                    fixed = fix::fix_one(linter, api, text, options, mode, input, ignored);
                    (
                        fixed.report.take().unwrap_or_default(),
                        Cow::Owned(fixed.text.take().unwrap_or_default()),
                    )
                }
                _ => (
                    linter.check_bytes(api, &bytes),
                    String::from_utf8_lossy(&bytes),
                ),
            };
            let judged = judge::judge(given.as_ref(), &report, &text, cfg.unrecognized_error, lang);
            (detected_by, skipped) = (judged.detected_by, judged.skip);
            if skipped.is_some() {
                (None, Vec::new(), Vec::new(), None)
            } else {
                // The text (secrets masked) is kept for the code frames of the human format only.
                let source = (keep_source && !report.diagnostics.is_empty())
                    .then(|| redact::mask_secrets(&text));
                (
                    judged.api.or(api),
                    report.diagnostics,
                    report.unknown,
                    source,
                )
            }
        }
        Err(reason) => (api, unreadable(linter, lang, &reason), Vec::new(), None),
    };
    let before = diagnostics.len();
    let diagnostics: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| {
            !cfg.ignore
                .iter()
                .any(|i| i.covers(&rel, &d.rule, &d.pointer))
        })
        .collect();
    FileResult {
        display: input.display.clone(),
        api: report_api,
        ignored: before - diagnostics.len(),
        diagnostics,
        unknown,
        source,
        fix: fixed,
        detected_by,
        skipped,
        resources: None,
    }
}

/// Text that starts with a UTF-16 byte order mark, as UTF-8 (with its mark); any other bytes
/// as they are.
fn decode_utf16(bytes: Vec<u8>) -> Vec<u8> {
    let from: fn([u8; 2]) -> u16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => u16::from_le_bytes,
        Some([0xFE, 0xFF]) => u16::from_be_bytes,
        _ => return bytes,
    };
    if bytes.len() % 2 != 0 {
        return bytes;
    }
    let units = bytes.chunks_exact(2).map(|c| from([c[0], c[1]]));
    match char::decode_utf16(units).collect::<Result<String, _>>() {
        Ok(text) => text.into_bytes(),
        Err(_) => bytes,
    }
}

/// The verdict on a Terraform plan document (`None`: the bytes are not one). No code frame is
/// kept: a plan holds every password in clear text.
fn plan_result(
    bytes: &[u8],
    linters: &Linters,
    cfg: &Resolved,
    rel: &str,
    display: &str,
) -> Option<FileResult> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut report = hcdb_lint::terraform::check_plan_with(text, &|a| linters.for_address(a))?;
    if let Some(sources) = linters.sources() {
        sources.annotate(&mut report.diagnostics);
    }
    let before = report.diagnostics.len();
    let diagnostics: Vec<Diagnostic> = report
        .diagnostics
        .into_iter()
        .filter(|d| {
            !cfg.ignore
                .iter()
                .any(|i| i.covers(rel, &d.rule, &d.pointer))
        })
        .collect();
    Some(FileResult {
        display: display.to_string(),
        api: None,
        ignored: before - diagnostics.len(),
        diagnostics,
        unknown: report.unknown,
        source: None,
        fix: fix::Outcome::default(),
        resources: Some(report.resources),
        detected_by: Some("a Terraform plan document".to_string()),
        skipped: None,
    })
}

/// HC015: the file could not be read. Worded here because only the CLI reads files; the text
/// comes from the rule's own templates.
fn unreadable(linter: &Linter, lang: Lang, reason: &str) -> Vec<Diagnostic> {
    let Some(doc) = linter.rule("unreadable-input") else {
        return Vec::new();
    };
    let Some(severity) = linter.severity_of(&doc.id) else {
        return Vec::new();
    };
    let fill = |t: &str| t.replace("{reason}", reason);
    let mut params = serde_json::Map::new();
    params.insert("reason".into(), reason.into());
    vec![Diagnostic {
        rule: Cow::Borrowed(doc.id.as_str()),
        name: Cow::Borrowed(doc.name.as_str()),
        severity,
        pointer: String::new(),
        message: fill(doc.message.get(lang)),
        help: fill(doc.help.get(lang)),
        params,
        span: None,
        line: None,
        column: None,
        end_line: None,
        end_column: None,
        fix: None,
        resource: None,
    }]
}

fn problem_reason(p: Problem, lang: Lang) -> String {
    match (p, lang) {
        (Problem::NotFound, Lang::En) => "no such file or directory".into(),
        (Problem::NotFound, Lang::Zh) => "文件或目录不存在".into(),
        (Problem::NotRegular, Lang::En) => "not a regular file".into(),
        (Problem::NotRegular, Lang::Zh) => "不是普通文件".into(),
        (Problem::UnreadableDir, Lang::En) => "the directory cannot be listed".into(),
        (Problem::UnreadableDir, Lang::Zh) => "无法列出该目录".into(),
        (Problem::LinkLoop, Lang::En) => "its symbolic links form a loop".into(),
        (Problem::LinkLoop, Lang::Zh) => "符号链接构成循环".into(),
        (Problem::Dangling, Lang::En) => "a symbolic link to a file that does not exist".into(),
        (Problem::Dangling, Lang::Zh) => "符号链接指向的文件不存在".into(),
        (Problem::PermissionDenied, Lang::En) => "permission denied".into(),
        (Problem::PermissionDenied, Lang::Zh) => "没有读取权限".into(),
    }
}

/// Why a file could not be read, in plain words.
pub fn io_reason(e: &std::io::Error, path: &Path) -> String {
    io_reason_lang(e, path, Lang::En)
}

fn io_reason_lang(e: &std::io::Error, path: &Path, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    let kind = if path.is_dir() {
        K::IsADirectory
    } else {
        e.kind()
    };
    match (kind, lang) {
        (K::NotFound, _) => problem_reason(Problem::NotFound, lang),
        (K::PermissionDenied, _) => problem_reason(Problem::PermissionDenied, lang),
        (K::IsADirectory, Lang::En) => "it is a directory, not a file".into(),
        (K::IsADirectory, Lang::Zh) => "这是一个目录,不是文件".into(),
        (_, _) => e.to_string(),
    }
}
