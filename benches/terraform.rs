//! `cargo bench --bench terraform`: reading a large Terraform plan beside the cost of parsing it.
//!
//! The plan is generated here: 2,000 resource changes, 50 of them the huaweicloud provider's DDM
//! and GeminiDB instances inside modules (with count and for_each addresses), the rest other
//! providers' resources of realistic size, and a configuration section; about 5 MB of the
//! compact JSON that `terraform show -json` writes. Two functions are measured on the same bytes:
//!
//! * `floor`  `serde_json::from_slice::<Value>` (reading the document);
//! * `check`  `Linter::check_terraform_plan` (reading it, building and judging the 50 bodies).
//!
//! The medians and their ratio (budget: 1.5) are printed after criterion has run.
//! `HCDB_WRITE_PLAN=<file>` writes the plan and exits (scripts/bench.sh measures the CLI's peak
//! memory on it).

use criterion::Criterion;
use hcdb_lint::Linter;
use serde_json::{json, Value};
use std::hint::black_box;
use std::time::Duration;

const TOTAL: usize = 2_000;
const HUAWEI: usize = 50;

fn ddm(i: usize) -> Value {
    json!({
        "name": format!("ddm-orders-{i:02}"), "flavor_id": "8f2e696c-a9c1-30bd-af90-25522bc67606",
        "node_num": 2 + i % 3, "engine_id": "2325a707-0361-8be6-dd01-13474bbac437",
        "availability_zones": ["cn-north-4a", "cn-north-4b"], "vpc_id": "e1d886ec-cfe7-4cd4-b748-fc55a10b4172",
        "security_group_id": "035b70ed-319b-4086-9fd7-62a2e8548b2e", "subnet_id": "f942f970-1a02-4eee-8927-3f1c2b9a7d10",
        "admin_user": "root_admin", "admin_password": format!("Str0ng-Passw0rd?{i}"), "charging_mode": "postPaid",
        "time_zone": "UTC+08:00", "delete_rds_data": null, "period": null, "period_unit": null, "auto_renew": null,
    })
}

fn redis(i: usize) -> Value {
    json!({
        "name": format!("cache-{i:02}"), "availability_zone": "cn-north-4a", "flavor": "geminidb.redis.large.4",
        "node_num": 3 + i % 20, "volume_size": 16, "password": format!("Redis#Pass{i}x"), "vpc_id": "v", "subnet_id": "s",
        "security_group_id": "sg", "mode": "Cluster", "port": 6379, "ssl": false,
        "datastore": [{"engine": "redis", "version": "5.0", "storage_engine": "rocksDB"}],
        "backup_strategy": [{"start_time": "08:15-09:15", "keep_days": 7}],
    })
}

/// Another provider's resource: about 2.5 KB of attributes, as a compute instance has.
fn other(i: usize) -> Value {
    let tags: serde_json::Map<String, Value> = (0..36)
        .map(|t| {
            (
                format!("tag-{t}"),
                json!(format!("value-{i}-{t}-{}", "x".repeat(20))),
            )
        })
        .collect();
    json!({
        "ami": "ami-0123456789abcdef0", "instance_type": "t3.micro", "tags": tags,
        "root_block_device": [{"volume_size": 8 + i % 30, "volume_type": "gp3", "encrypted": true, "iops": 3000}],
        "user_data": "#!/bin/sh\necho hello\n".repeat(10), "subnet_id": format!("subnet-{i:08}"),
        "vpc_security_group_ids": ["sg-0123456789abcdef0", "sg-0fedcba9876543210"],
        "metadata_options": [{"http_endpoint": "enabled", "http_tokens": "required", "http_put_response_hop_limit": 1}],
    })
}

fn change(i: usize) -> (Value, Value) {
    let module = format!("module.svc[\"s{}\"]", i % 40);
    let (ty, after, sensitive) = match i % (TOTAL / HUAWEI) {
        0 if i % 2 == 0 => (
            "huaweicloud_ddm_instance",
            ddm(i),
            json!({"admin_password": true}),
        ),
        0 => (
            "huaweicloud_gaussdb_redis_instance",
            redis(i),
            json!({"password": true}),
        ),
        _ => ("aws_instance", other(i), json!({})),
    };
    let provider = if ty == "aws_instance" {
        "hashicorp/aws"
    } else {
        "huaweicloud/huaweicloud"
    };
    let rc = json!({
        "address": format!("{module}.{ty}.r[{i}]"), "module_address": module, "mode": "managed",
        "type": ty, "name": "r", "index": i, "provider_name": format!("registry.terraform.io/{provider}"),
        "change": {"actions": ["create"], "before": null, "after": after.clone(),
            "after_unknown": {"id": true, "arn": true, "region": true}, "before_sensitive": false,
            "after_sensitive": sensitive},
    });
    let expressions: serde_json::Map<String, Value> = after
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), json!({"constant_value": v})))
        .collect();
    let conf = json!({"address": format!("{ty}.r"), "mode": "managed", "type": ty, "name": "r",
        "expressions": expressions, "schema_version": 0});
    (rc, conf)
}

fn plan() -> String {
    let (changes, config): (Vec<Value>, Vec<Value>) = (0..TOTAL).map(change).unzip();
    // One configuration block per type, as count and for_each write them.
    let mut blocks: Vec<Value> = Vec::new();
    for c in config {
        if !blocks.iter().any(|b| b["address"] == c["address"]) {
            blocks.push(c);
        }
    }
    let doc = json!({
        "format_version": "1.2", "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": []}},
        "resource_changes": changes,
        "configuration": {"root_module": {"module_calls": {"svc": {"source": "./svc",
            "module": {"resources": blocks}}}}},
    });
    doc.to_string()
}

fn main() {
    let text = plan();
    if let Some(path) = std::env::var_os("HCDB_WRITE_PLAN") {
        std::fs::write(&path, &text).expect("write the plan");
        return;
    }
    let linter = Linter::default_ref();
    let report = linter.check_terraform_plan(&text).expect("a plan");
    let linted = report.resources.iter().filter(|r| r.linted()).count();
    assert_eq!(linted, HUAWEI, "the Huawei resources are linted");
    let quick = std::env::args().any(|a| a == "--quick");
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(Duration::from_secs(if quick { 2 } else { 8 }));
    let mut g = c.benchmark_group("plan-2000");
    g.bench_function("floor", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(text.as_bytes())).map(|_| ()))
    });
    g.bench_function("check", |b| {
        b.iter(|| linter.check_terraform_plan(black_box(&text)))
    });
    g.finish();
    c.final_summary();
    let median = |f: &str| -> Option<f64> {
        let path = format!("target/criterion/plan-2000/{f}/new/estimates.json");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
        v["median"]["point_estimate"].as_f64()
    };
    if let (Some(floor), Some(check)) = (median("floor"), median("check")) {
        println!(
            "plan of {TOTAL} resources ({:.1} MB, {HUAWEI} linted): floor {:.2} ms, check {:.2} ms, check/floor {:.2} (budget 1.5)",
            text.len() as f64 / 1e6,
            floor / 1e6,
            check / 1e6,
            check / floor
        );
    }
}
