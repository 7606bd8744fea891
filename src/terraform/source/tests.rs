use super::load::Parsed;
use super::module::AttrInfo;
use super::value::{Place, Val, V};
use super::*;
use std::path::PathBuf;

fn module(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dirs");
        std::fs::write(p, text).expect("write");
    }
    dir
}

fn read(dir: &tempfile::TempDir, inputs: &VarInputs) -> Read {
    read_root(dir.path(), "m", inputs, &|_| None)
}

fn attr<'r>(r: &'r Read, address: &str, path: &str) -> &'r AttrInfo {
    let i = r
        .instances
        .iter()
        .find(|i| i.address == address)
        .unwrap_or_else(|| {
            panic!(
                "no {address}: {:?}",
                r.instances.iter().map(|i| &i.address).collect::<Vec<_>>()
            )
        });
    i.attrs
        .iter()
        .find(|a| a.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
}

fn text(v: &Val) -> String {
    match &v.v {
        V::Str(s) => s.clone(),
        V::Num(n) => value::number_text(*n),
        V::Unknown(t) => format!("unknown:{t}"),
        other => format!("{other:?}"),
    }
}

fn place(r: &Read, p: &Option<Place>) -> String {
    match p {
        Some(p) => {
            let f = &r.files[p.file];
            format!("{}:{}", f.display, &f.text[p.span.clone()])
        }
        None => "none".into(),
    }
}

const DDM: &str = r#"
variable "engine" {
  default = "RocksDB"
}
variable "nodes" {
  type    = number
  default = 2
}
variable "password" {
  type      = string
  sensitive = true
}
locals {
  prefix = "ddm-${var.env}"
  azs    = ["cn-north-4a", "cn-north-4b"]
}
variable "env" {
  default = "dev"
}
data "huaweicloud_availability_zones" "z" {}
resource "random_password" "p" {
  length = 12
}
resource "huaweicloud_ddm_instance" "this" {
  name               = "${local.prefix}-01"
  flavor_id          = var.env == "prod" ? "big" : "small"
  node_num           = var.nodes
  engine_id          = upper(var.engine)
  availability_zones = concat(local.azs, [])
  vpc_id             = try(data.huaweicloud_vpc.v.id, null)
  admin_password     = var.password
  time_zone          = "UTC+08:00" # a comment
  security_group_id  = lookup({ a = "sg-1" }, "a", "none")
  subnet_id          = format("%s-%d", "subnet", length(local.azs))
}
"#;

#[test]
fn literals_variables_locals_functions_and_unknowns() {
    let dir = module(&[
        ("main.tf", DDM),
        (
            "terraform.tfvars",
            "env = \"prod\"\npassword = \"Secr3t!pass\"\n",
        ),
    ]);
    let r = read(&dir, &VarInputs::default());
    let a = "huaweicloud_ddm_instance.this";
    assert_eq!(text(&attr(&r, a, "name").value), "ddm-prod-01");
    assert_eq!(text(&attr(&r, a, "flavor_id").value), "big");
    assert_eq!(text(&attr(&r, a, "node_num").value), "2");
    assert_eq!(text(&attr(&r, a, "engine_id").value), "ROCKSDB");
    assert_eq!(text(&attr(&r, a, "security_group_id").value), "sg-1");
    assert_eq!(text(&attr(&r, a, "subnet_id").value), "subnet-2");
    assert!(matches!(&attr(&r, a, "availability_zones").value.v, V::List(l) if l.len() == 2));
    assert_eq!(
        text(&attr(&r, a, "vpc_id").value),
        "unknown:try(data.huaweicloud_vpc.v.id, null)"
    );
    let tz = attr(&r, a, "time_zone");
    assert!(tz.literal);
    assert_eq!(place(&r, &tz.value.from), "m/main.tf:\"UTC+08:00\"");
    // A value from a variable comes from where the variable got it.
    assert_eq!(
        place(&r, &attr(&r, a, "node_num").value.from),
        "m/main.tf:2"
    );
    let pw = attr(&r, a, "admin_password");
    assert!(pw.value.secret && !pw.literal);
    assert_eq!(
        place(&r, &pw.value.from),
        "m/terraform.tfvars:\"Secr3t!pass\""
    );
    // Only the covered types are read.
    assert_eq!(r.instances.len(), 1);
}

#[test]
fn variable_precedence() {
    let dir = module(&[
        ("main.tf", "variable \"e\" { default = \"default\" }\nresource \"huaweicloud_geminidb_instance\" \"g\" { name = var.e }\n"),
        ("terraform.tfvars", "e = \"tfvars\"\n"),
        ("a.auto.tfvars", "e = \"a-auto\"\n"),
        ("b.auto.tfvars", "e = \"b-auto\"\n"),
        ("extra.tfvars", "e = \"var-file\"\n"),
    ]);
    let name = |inputs: &VarInputs, env: &dyn Fn(&str) -> Option<String>| {
        let r = read_root(dir.path(), "m", inputs, env);
        text(&attr(&r, "huaweicloud_geminidb_instance.g", "name").value)
    };
    let none = |_: &str| None;
    assert_eq!(name(&VarInputs::default(), &none), "b-auto");
    let with_file = VarInputs {
        var_files: vec![dir.path().join("extra.tfvars")],
        ..VarInputs::default()
    };
    assert_eq!(name(&with_file, &none), "var-file");
    let with_var = VarInputs {
        vars: vec![("e".into(), "cli".into())],
        ..with_file.clone()
    };
    assert_eq!(name(&with_var, &none), "cli");
    // TF_VAR_ is read only when asked, and loses to every file.
    let env = |k: &str| (k == "TF_VAR_e").then(|| "env".to_string());
    let only_env = module(&[("main.tf", "variable \"e\" { default = \"d\" }\nresource \"huaweicloud_geminidb_instance\" \"g\" { name = var.e }\n")]);
    let r = read_root(
        only_env.path(),
        "m",
        &VarInputs {
            env: true,
            ..VarInputs::default()
        },
        &env,
    );
    assert_eq!(
        text(&attr(&r, "huaweicloud_geminidb_instance.g", "name").value),
        "env"
    );
    let r = read_root(only_env.path(), "m", &VarInputs::default(), &env);
    assert_eq!(
        text(&attr(&r, "huaweicloud_geminidb_instance.g", "name").value),
        "d"
    );
}

#[test]
fn blocks_count_for_each_and_dynamic() {
    let dir = module(&[(
        "main.tf",
        r#"
resource "huaweicloud_gaussdb_cassandra_instance" "c" {
  count = 2
  name  = "c-${count.index}"
  datastore {
    engine         = "GeminiDB-Cassandra"
    storage_engine = "RocksDB"
  }
}
resource "huaweicloud_gaussdb_mongo_instance" "m" {
  for_each = { east = "a", west = "b" }
  name     = "m-${each.key}-${each.value}"
}
resource "huaweicloud_gaussdb_redis_instance" "r" {
  for_each = toset(data.x.names)
  name     = "r-${each.key}"
}
resource "huaweicloud_gaussdb_influx_instance" "none" {
  count = 0
  name  = "x"
}
"#,
    )]);
    let r = read(&dir, &VarInputs::default());
    assert_eq!(
        text(&attr(&r, "huaweicloud_gaussdb_cassandra_instance.c[0]", "name").value),
        "c-0"
    );
    let se = attr(
        &r,
        "huaweicloud_gaussdb_cassandra_instance.c[0]",
        "datastore[0].storage_engine",
    );
    assert!(se.literal);
    assert_eq!(text(&se.value), "RocksDB");
    assert_eq!(
        text(&attr(&r, "huaweicloud_gaussdb_mongo_instance.m[\"east\"]", "name").value),
        "m-east-a"
    );
    assert_eq!(
        text(&attr(&r, "huaweicloud_gaussdb_redis_instance.r", "name").value),
        "unknown:\"r-${each.key}\""
    );
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].reason, "no-instance");
    // The block is an array of objects, as in a plan.
    let c = r
        .instances
        .iter()
        .find(|i| i.rtype.ends_with("cassandra_instance"))
        .expect("c");
    assert!(matches!(&c.after.get("datastore").map(|d| &d.v), Some(V::List(l)) if l.len() == 1));
}

#[test]
fn local_child_modules_and_registry_modules() {
    let dir = module(&[
        (
            "root/main.tf",
            r#"
variable "size" { default = 3 }
module "db" {
  source   = "../modules/ddm"
  name     = "ddm-from-root"
  node_num = var.size
}
module "remote" {
  source  = "huaweicloud/ddm/huaweicloud"
  version = "1.0.0"
}
"#,
        ),
        (
            "modules/ddm/main.tf",
            "variable \"name\" {}\nvariable \"node_num\" {}\nvariable \"engine\" { default = \"e-1\" }\nresource \"huaweicloud_ddm_instance\" \"this\" {\n  name = var.name\n  node_num = var.node_num\n  engine_id = var.engine\n}\n",
        ),
    ]);
    let r = read_root(
        &dir.path().join("root"),
        "root",
        &VarInputs::default(),
        &|_| None,
    );
    let a = "module.db.huaweicloud_ddm_instance.this";
    assert_eq!(text(&attr(&r, a, "name").value), "ddm-from-root");
    // The argument's value is located in the caller, where it was written.
    assert_eq!(
        place(&r, &attr(&r, a, "name").value.from),
        "root/main.tf:\"ddm-from-root\""
    );
    assert_eq!(
        place(&r, &attr(&r, a, "node_num").value.from),
        "root/main.tf:3"
    );
    assert_eq!(text(&attr(&r, a, "engine_id").value), "e-1");
    let i = r
        .instances
        .iter()
        .find(|i| i.address == a)
        .expect("instance");
    assert_eq!(r.files[i.file].display, "modules/ddm/main.tf");
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].address, "module.remote");
    assert_eq!(r.skipped[0].reason, "module-not-local");
}

#[test]
fn syntax_errors_do_not_lose_the_other_files() {
    let dir = module(&[
        (
            "broken.tf",
            "resource \"huaweicloud_ddm_instance\" \"b\" {\n  name = \n}\n",
        ),
        (
            "good.tf",
            "resource \"huaweicloud_ddm_instance\" \"g\" {\n  name = \"ok\"\n}\n",
        ),
    ]);
    let r = read(&dir, &VarInputs::default());
    let failed: Vec<&str> = r
        .files
        .iter()
        .filter(|f| matches!(f.parsed, Parsed::Failed(_)))
        .map(|f| f.display.as_str())
        .collect();
    assert_eq!(failed, ["m/broken.tf"]);
    assert_eq!(
        text(&attr(&r, "huaweicloud_ddm_instance.g", "name").value),
        "ok"
    );
}

#[test]
fn json_syntax() {
    let dir = module(&[(
        "main.tf.json",
        r#"{
  "variable": {"engine": {"default": "RocksDB"}},
  "locals": {"n": 3},
  "resource": {"huaweicloud_geminidb_instance": {"g": {
    "name": "g-${local.n}",
    "datastore": {"engine": "cassandra", "storage_engine": "${var.engine}"},
    "flavor": [{"num": "${local.n}", "spec_code": "geminidb.cassandra.xlarge.4"}],
    "tags": {"a": "b"}
  }}}
}"#,
    )]);
    let r = read(&dir, &VarInputs::default());
    let a = "huaweicloud_geminidb_instance.g";
    assert_eq!(text(&attr(&r, a, "name").value), "g-3");
    assert_eq!(
        text(&attr(&r, a, "datastore[0].storage_engine").value),
        "RocksDB"
    );
    assert!(attr(&r, a, "flavor[0].spec_code").literal);
    assert!(!attr(&r, a, "datastore[0].storage_engine").literal);
    assert_eq!(text(&attr(&r, a, "flavor[0].num").value), "3");
    assert!(matches!(attr(&r, a, "tags").value.v, V::Obj(_)));
}

#[test]
fn cycles_and_unknown_functions_stay_unknown() {
    let dir = module(&[(
        "main.tf",
        "locals {\n  a = local.b\n  b = local.a\n}\nresource \"huaweicloud_ddm_instance\" \"x\" {\n  name = local.a\n  engine_id = timestamp()\n  flavor_id = \"${random_password.p.result}x\"\n}\n",
    )]);
    let r = read(&dir, &VarInputs::default());
    let a = "huaweicloud_ddm_instance.x";
    assert!(attr(&r, a, "name").value.is_unknown());
    assert_eq!(text(&attr(&r, a, "engine_id").value), "unknown:timestamp()");
    assert_eq!(
        text(&attr(&r, a, "flavor_id").value),
        "unknown:\"${random_password.p.result}x\""
    );
}

#[test]
fn display_names_are_normalised() {
    assert_eq!(
        module::normalize(&PathBuf::from("envs/prod/../../modules/ddm")),
        PathBuf::from("modules/ddm")
    );
}

#[test]
fn password_unknowns_keep_only_references() {
    assert_eq!(
        module::references("var.p != \"\" ? var.p : try(random_password.p[0].result, null)"),
        "var.p var.p random_password.p[0].result"
    );
    assert_eq!(
        module::references("\"${var.prefix}Secr3t.x\""),
        "var.prefix"
    );
    assert_eq!(
        module::references("\"Secr3t.x${var.prefix}\""),
        "var.prefix"
    );
}

#[test]
fn instance_keys_are_left_out_of_addresses() {
    assert_eq!(without_keys("module.db[0].x.y[\"a]b\"]"), "module.db.x.y");
    assert_eq!(without_keys("x.y"), "x.y");
}
