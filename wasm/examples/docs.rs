//! Prints `hcdb_lint_docs.json`, the rule documentation that the browser package's `rules()`
//! loads on first use (scripts/wasm-build.sh writes it next to the module). Native: this build
//! of the core has the documentation; the browser module leaves it out.

use hcdb_lint::Linter;
use std::io::Write;

fn main() {
    let text = hcdb_lint_wasm::shape::docs_json(Linter::default_ref());
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        eprintln!("docs: cannot write: {e}");
        std::process::exit(1);
    }
}
