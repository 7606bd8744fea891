fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let r = hcdb_lint::Linter::default_ref().check_str_detect(&text);
    for d in &r.diagnostics {
        println!(
            "{}:{} {} {} {} {} | {}",
            d.line.unwrap_or(0),
            d.column.unwrap_or(0),
            d.severity,
            d.rule,
            d.name,
            d.pointer,
            d.message
        );
    }
}
