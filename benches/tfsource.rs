//! Terraform sources: `check` of a generated repository of 200 modules (1,000 `.tf` files,
//! 100 DDM and GeminiDB resources among networks, security groups and other providers'
//! resources, with variables files) beside hcl-edit parsing the same files alone, measured side
//! by side in one process, one thread, median of the runs. Run by `scripts/bench.sh`, or
//! `cargo bench --bench tfsource [-- --quick]`. The last line is the ratio the budget reads.

use hcdb_lint::terraform::{check_module, VarInputs};
use hcdb_lint::Linter;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const MODULES: usize = 200;

fn huawei(i: usize) -> String {
    if i % 2 == 0 {
        format!(
            r#"resource "huaweicloud_ddm_instance" "db{i}" {{
  name               = "${{var.prefix}}-ddm-{i}"
  flavor_id          = try(data.huaweicloud_ddm_flavors.f.flavors[0].id, null)
  node_num           = var.nodes
  engine_id          = var.engine_id == "" ? try(data.huaweicloud_ddm_engines.e.engines[0].id, null) : var.engine_id
  availability_zones = slice(var.zones, 0, 1)
  vpc_id             = huaweicloud_vpc.net.id
  subnet_id          = huaweicloud_vpc_subnet.net.id
  security_group_id  = huaweicloud_networking_secgroup.sg.id
  admin_user         = "root"
  admin_password     = random_password.p.result
  time_zone          = "UTC+08:00"
}}
"#
        )
    } else {
        format!(
            r#"resource "huaweicloud_geminidb_instance" "gdb{i}" {{
  name              = format("%s-gdb-%02d", var.prefix, {i})
  mode              = "Cluster"
  availability_zone = join(",", var.zones)
  vpc_id            = huaweicloud_vpc.net.id
  subnet_id         = huaweicloud_vpc_subnet.net.id
  security_group_id = huaweicloud_networking_secgroup.sg.id
  password          = random_password.p.result

  datastore {{
    type           = "cassandra"
    version        = "3.11"
    storage_engine = "rocksDB"
  }}

  flavor {{
    num       = var.nodes + 1
    size      = 500
    storage   = "ULTRAHIGH"
    spec_code = "geminidb.cassandra.xlarge.4"
  }}

  backup_strategy {{
    start_time = "03:00-04:00"
    keep_days  = 7
  }}
}}
"#
        )
    }
}

fn other(i: usize, n: usize) -> String {
    let mut s = String::new();
    for k in 0..n {
        s.push_str(&format!(
            r#"resource "aws_security_group_rule" "r{i}_{k}" {{
  type              = "ingress"
  from_port         = {port}
  to_port           = {port}
  protocol          = "tcp"
  cidr_blocks       = [for c in var.cidrs : c if c != ""]
  security_group_id = aws_security_group.main.id
  description       = <<-EOT
    Allow port {port} from the office networks.
  EOT
  tags = merge(local.tags, {{ Name = "rule-{i}-{k}" }})
}}

"#,
            port = 8000 + k
        ));
    }
    s
}

/// Writes the repository; returns the module directories and every file the check reads.
fn generate(root: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    for i in 0..MODULES {
        let dir = root.join(format!("stack-{i:03}"));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let main = if i % 2 == 0 {
            format!("{}\n{}", huawei(i / 2), other(i, 2))
        } else {
            other(i, 4)
        };
        let parts = [
            ("main.tf", main),
            ("variables.tf", "variable \"prefix\" {\n  type    = string\n  default = \"prod\"\n}\n\nvariable \"nodes\" {\n  type    = number\n  default = 2\n}\n\nvariable \"engine_id\" {\n  type    = string\n  default = \"\"\n}\n\nvariable \"zones\" {\n  type    = list(string)\n  default = [\"cn-north-4a\", \"cn-north-4b\"]\n}\n\nvariable \"cidrs\" {\n  type    = list(string)\n  default = [\"10.0.0.0/8\", \"\"]\n}\n".to_string()),
            ("network.tf", format!("resource \"huaweicloud_vpc\" \"net\" {{\n  name = \"vpc-{i}\"\n  cidr = \"192.168.0.0/16\"\n}}\n\nresource \"huaweicloud_vpc_subnet\" \"net\" {{\n  vpc_id     = huaweicloud_vpc.net.id\n  name       = \"subnet-{i}\"\n  cidr       = cidrsubnet(\"192.168.0.0/16\", 8, 1)\n  gateway_ip = cidrhost(cidrsubnet(\"192.168.0.0/16\", 8, 1), 1)\n}}\n\nresource \"huaweicloud_networking_secgroup\" \"sg\" {{\n  name = \"sg-{i}\"\n}}\n\nresource \"random_password\" \"p\" {{\n  length  = 16\n  special = true\n}}\n")),
            ("locals.tf", format!("locals {{\n  tags = {{\n    team  = \"dba\"\n    stack = \"stack-{i}\"\n    env   = var.prefix\n  }}\n}}\n\ndata \"huaweicloud_ddm_flavors\" \"f\" {{}}\n\ndata \"huaweicloud_ddm_engines\" \"e\" {{}}\n")),
            ("outputs.tf", "output \"vpc_id\" {\n  value = huaweicloud_vpc.net.id\n}\n\noutput \"subnet_id\" {\n  value = huaweicloud_vpc_subnet.net.id\n}\n".to_string()),
        ];
        for (name, text) in parts {
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
            files.push(p);
        }
        let vars = dir.join("terraform.tfvars");
        std::fs::write(&vars, "prefix = \"prod\"\nnodes  = 3\n").unwrap_or_else(|e| panic!("{e}"));
        files.push(vars);
        dirs.push(dir);
    }
    (dirs, files)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 5 } else { 15 };
    let root = std::env::temp_dir().join(format!("hcdb-lint-tf-bench-{}", std::process::id()));
    let (dirs, files) = generate(&root);
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let tf = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "tf"))
        .count();
    let linter = Linter::default_ref();
    let mut resources = 0;
    let mut parse = Vec::new();
    let mut check = Vec::new();
    for _ in 0..runs {
        // The HCL crate alone: read and parse every file the check reads.
        let t = Instant::now();
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            std::hint::black_box(hcl_edit::parser::parse_body(&text).is_ok());
        }
        parse.push(t.elapsed());
        let t = Instant::now();
        resources = 0;
        for d in &dirs {
            let r = check_module(d, "", &VarInputs::default(), &|_| None, &|_| linter, None);
            resources += r.files.iter().map(|f| f.resources.len()).sum::<usize>();
            std::hint::black_box(&r);
        }
        check.push(t.elapsed());
    }
    let _ = std::fs::remove_dir_all(&root);
    let (p, c) = (median(parse), median(check));
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    println!(
        "Terraform sources: {} modules, {tf} .tf files (+{} variables files), {} bytes, {resources} DDM/GeminiDB resources; median of {runs} runs, one thread",
        dirs.len(),
        files.len() - tf,
        bytes
    );
    println!("| what | median |");
    println!("|---|---:|");
    println!(
        "| hcl-edit parse of every file (read + parse_body) | {} |",
        ms(p)
    );
    println!(
        "| check of every module (read, parse, evaluate, lint) | {} |",
        ms(c)
    );
    println!(
        "tfsource check/parse ratio: {:.2}",
        c.as_secs_f64() / p.as_secs_f64()
    );
}
