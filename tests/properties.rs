//! Property tests: bodies generated from the packs' own metadata (the engine table, the field
//! metadata of `Linter::fields`, the rules' character classes and forbidden values) are valid;
//! breaking one constraint of one field gives an error at that field's pointer.

mod common;

use hcdb_lint::{check_value, Api, FieldMeta, Linter, Report, Severity};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Value};
use std::sync::OnceLock;

struct Meta {
    gdb_pack: Value,
    ddm_pack: Value,
    gdb_fields: Vec<FieldMeta>,
    ddm_fields: Vec<FieldMeta>,
}

fn meta() -> &'static Meta {
    static M: OnceLock<Meta> = OnceLock::new();
    M.get_or_init(|| Meta {
        gdb_pack: serde_json::from_str(include_str!("../rules/geminidb-create-instance.json"))
            .unwrap(),
        ddm_pack: serde_json::from_str(include_str!("../rules/ddm-create-instance.json")).unwrap(),
        gdb_fields: Linter::default_ref().fields(Api::GeminidbCreateInstance),
        ddm_fields: Linter::default_ref().fields(Api::DdmCreateInstance),
    })
}

fn field<'a>(fields: &'a [FieldMeta], p: &str) -> &'a FieldMeta {
    fields
        .iter()
        .find(|f| f.pointer == p)
        .expect("declared field")
}

fn enum_of(fields: &[FieldMeta], p: &str) -> Vec<String> {
    field(fields, p)
        .enumeration
        .as_ref()
        .expect("an enumeration")
        .iter()
        .map(|e| e.value.clone())
        .collect()
}

fn rule<'a>(pack: &'a Value, id: &str) -> &'a Value {
    pack["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("rule {id}"))
}

/// The special characters of a password class rule (the class that is not a named one).
fn specials(pack: &Value, id: &str) -> Vec<char> {
    rule(pack, id)["check"]["classes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|c| !matches!(*c, "upper" | "lower" | "digits" | "letters"))
        .expect("a literal class")
        .chars()
        .collect()
}

/// A string for a name field: first character from the letters, the rest from the allowed set.
fn name_strategy(f: &FieldMeta) -> impl Strategy<Value = String> {
    let min = f.min_length.unwrap_or(1).max(1);
    let max = f.max_length.unwrap_or(64);
    let allowed: Vec<char> = expand(f.allowed_chars.as_deref().unwrap_or("a-z"));
    let first: Vec<char> = expand(f.first_char.as_deref().unwrap_or("a-z"));
    (
        select(first),
        proptest::collection::vec(select(allowed), min - 1..max),
    )
        .prop_map(|(c, rest)| std::iter::once(c).chain(rest).collect())
}

/// Expand a description such as `-0-9A-Z_a-z` (a leading `-` is a member).
fn expand(desc: &str) -> Vec<char> {
    let c: Vec<char> = desc.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if i + 2 < c.len() && c[i + 1] == '-' {
            out.extend(c[i]..=c[i + 2]);
            i += 3;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// A password with every class present, from the given specials, `min..=max` characters.
fn password_strategy(specials: Vec<char>, min: usize, max: usize) -> impl Strategy<Value = String> {
    let mut all: Vec<char> = ('A'..='Z').chain('a'..='z').chain('0'..='9').collect();
    all.extend(&specials);
    (
        select(('A'..='Z').collect::<Vec<_>>()),
        select(('a'..='z').collect::<Vec<_>>()),
        select(('0'..='9').collect::<Vec<_>>()),
        select(specials),
        proptest::collection::vec(select(all), min - 4..=max - 4),
        any::<u64>(),
    )
        .prop_map(|(u, l, d, s, rest, seed)| {
            let mut v: Vec<char> = vec![u, l, d, s];
            v.extend(rest);
            // A deterministic shuffle so the classes are not always in front.
            let n = v.len();
            let mut x = seed | 1;
            for i in (1..n).rev() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                v.swap(i, (x % (i as u64 + 1)) as usize);
            }
            v.into_iter().collect()
        })
}

fn range_of(v: &Value) -> (i64, i64) {
    let min = v["min"].as_i64().unwrap_or(1);
    (min, v["max"].as_i64().unwrap_or(min + 50))
}

/// A valid GeminiDB body, engine/mode/version/num from the pack's engine table.
fn gdb_body() -> impl Strategy<Value = Value> {
    let m = meta();
    let engines = m.gdb_pack["tables"]["engines"].as_object().unwrap().clone();
    let combos: Vec<(String, String, Value, i64, i64, i64)> = engines
        .iter()
        .flat_map(|(e, ev)| {
            let size_min = ev["size"]["min"].as_i64().unwrap_or(1);
            ev["modes"]
                .as_object()
                .unwrap()
                .iter()
                .flat_map(move |(mode, mv)| {
                    let (lo, hi) = range_of(&mv["num"]);
                    mv["versions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| (e.clone(), mode.clone(), v.clone(), lo, hi, size_min))
                        .collect::<Vec<_>>()
                })
        })
        .collect();
    let f = &m.gdb_fields;
    let forbidden: Vec<i64> = rule(&m.gdb_pack, "GDB150")["check"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str().and_then(|s| s.parse().ok()))
        .collect();
    let port_field = rule(&m.gdb_pack, "GDB148")["check"].clone();
    let (port_lo, port_hi) = (
        port_field["min"].as_i64().unwrap(),
        port_field["max"].as_i64().unwrap(),
    );
    let minutes: Vec<u32> = rule(&m.gdb_pack, "GDB127")["check"]["minutes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect();
    let kd = field(f, "/backup_strategy/keep_days");
    let (kd_lo, kd_hi) = (kd.minimum.unwrap(), kd.maximum.unwrap());
    let month = rule(&m.gdb_pack, "GDB135")["check"].clone();
    let year = rule(&m.gdb_pack, "GDB136")["check"].clone();
    let charge = prop_oneof![
        Just(json!({"charge_mode": "postPaid"})),
        (month["min"].as_i64().unwrap()..=month["max"].as_i64().unwrap(), any::<bool>())
            .prop_map(|(n, b)| json!({"charge_mode": "prePaid", "period_type": "month", "period_num": n, "is_auto_renew": b.to_string()})),
        (year["min"].as_i64().unwrap()..=year["max"].as_i64().unwrap())
            .prop_map(|n| json!({"charge_mode": "prePaid", "period_type": "year", "period_num": n})),
    ];
    (
        select(combos),
        "[a-z]{1,8}",
        name_strategy(field(f, "/name")),
        password_strategy(specials(&m.gdb_pack, "GDB113"), 8, 32),
        proptest::collection::btree_set("az[0-9]{1,2}", 1..=3),
        (0u32..24, select(minutes), kd_lo..=kd_hi),
        (
            select(enum_of(f, "/ssl_option")),
            select(enum_of(f, "/flavor/*/storage")),
            select(enum_of(f, "/datastore/storage_engine")),
        ),
        charge,
        (port_lo..=port_hi).prop_filter("allowed port", move |p| !forbidden.contains(p)),
        (0i64..50, 0i64..2000),
    )
        .prop_map(
            |(
                (engine, mode, version, lo, hi, size_min),
                free_mode,
                name,
                password,
                azs,
                (hh, mm, keep),
                (ssl, storage, storage_engine),
                charge,
                port,
                (dn, ds),
            )| {
                let mode = if mode == "*" { free_mode } else { mode };
                let num = lo + dn % (hi - lo + 1);
                let mut b = json!({
                    "name": name,
                    "datastore": {"type": engine, "version": version, "storage_engine": storage_engine},
                    "region": "cn-north-4",
                    "availability_zone": azs.into_iter().collect::<Vec<_>>().join(","),
                    "vpc_id": "v1", "subnet_id": "s1", "security_group_id": "g1",
                    "password": password,
                    "mode": mode,
                    "flavor": [{"num": num, "size": size_min.max(100) + ds, "storage": storage,
                                "spec_code": format!("geminidb.{engine}.large.4")}],
                    "backup_strategy": {"start_time": format!("{hh:02}:{mm:02}-{:02}:{mm:02}", (hh + 1) % 24), "keep_days": keep},
                    "ssl_option": ssl,
                    "charge_info": charge,
                });
                if engine == "redis" {
                    b["port"] = json!(port.to_string());
                    if mode == "CloudNativeCluster" {
                        b["product_type"] = json!("Capacity");
                    }
                }
                b
            },
        )
}

fn errors_at(r: &Report, pointer: &str) -> bool {
    r.diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && d.pointer == pointer)
}

fn no_errors(r: &Report) -> Result<(), TestCaseError> {
    let e: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {} {}", d.rule, d.pointer, d.message))
        .collect();
    prop_assert!(e.is_empty(), "{:?}", e);
    Ok(())
}

/// One way to break one field, and the pointer that must then carry an error.
fn gdb_mutation() -> impl Strategy<Value = (usize, i64)> {
    (0usize..13, any::<i64>())
}

fn mutate_gdb(b: &mut Value, which: usize, k: i64) -> &'static str {
    let m = meta();
    let name = field(&m.gdb_fields, "/name");
    let k = k.unsigned_abs() as usize;
    let engines = &m.gdb_pack["tables"]["engines"];
    let engine = b["datastore"]["type"].as_str().unwrap().to_string();
    match which {
        0 => {
            b["name"] = json!("a".repeat(k % name.min_length.unwrap()));
            "/name"
        }
        1 => {
            b["name"] = json!("a".repeat(name.max_length.unwrap() + 1 + k % 10));
            "/name"
        }
        2 => {
            b["name"] = json!(format!("{}{}", k % 10, b["name"].as_str().unwrap()));
            "/name"
        }
        3 => {
            let mode = b["mode"].as_str().unwrap();
            let modes = &engines[&engine]["modes"];
            let r = modes.get(mode).unwrap_or(&modes["*"]);
            b["flavor"][0]["num"] = match r["num"]["max"].as_i64() {
                Some(max) if k % 2 == 0 => json!(max + 1 + (k % 5) as i64),
                // Two below: one below the minimum (2 nodes for Redis Replication, ...) may be
                // an observed acceptance, a warning.
                _ => json!(r["num"]["min"].as_i64().unwrap() - 2 - (k % 5) as i64),
            };
            "/flavor/0/num"
        }
        4 => {
            b["backup_strategy"]["keep_days"] = json!(if k % 2 == 0 {
                36 + (k % 100) as i64
            } else {
                -1 - (k % 100) as i64
            });
            "/backup_strategy/keep_days"
        }
        5 => {
            let h = k % 24;
            b["backup_strategy"]["start_time"] = json!(format!("{h:02}:00-{:02}:00", (h + 2) % 24));
            "/backup_strategy/start_time"
        }
        6 => {
            b["ssl_option"] = json!((2 + k % 8).to_string());
            "/ssl_option"
        }
        7 => {
            b["charge_info"] = json!({"charge_mode": "prePaid", "period_type": "month", "period_num": 10 + k % 50});
            "/charge_info/period_num"
        }
        8 => {
            b["password"] = json!("Aa1~aaa"[..(k % 8).clamp(1, 7)].to_string());
            "/password"
        }
        9 => {
            b["flavor"][0]["storage"] = json!(["ultrahigh", "SSD", "COMMON"][k % 3]);
            "/flavor/0/storage"
        }
        10 => {
            b["datastore"]["type"] = json!(["mysql", "Redis", "CASSANDRA", ""][k % 4]);
            "/datastore/type"
        }
        11 => {
            b["datastore"]["version"] = json!(format!("{}.{}", 10 + k % 90, k % 10));
            "/datastore/version"
        }
        _ => {
            let az = b["availability_zone"].as_str().unwrap().to_string();
            let first = az.split(',').next().unwrap().to_string();
            b["availability_zone"] = json!(format!("{az},{first}"));
            "/availability_zone"
        }
    }
}

fn ddm_body() -> impl Strategy<Value = Value> {
    let m = meta();
    let f = &m.ddm_fields;
    let year_max = rule(&m.ddm_pack, "DDM124")["check"]["max"]
        .as_i64()
        .unwrap();
    let month_max = rule(&m.ddm_pack, "DDM123")["check"]["max"]
        .as_i64()
        .unwrap();
    // UTC+04:00 is a warning (one edition only): the generator keeps to the common values.
    let zones: Vec<String> = enum_of(f, "/instance/time_zone")
        .into_iter()
        .filter(|z| z != "UTC+04:00")
        .collect();
    let charge = prop_oneof![
        Just(json!({"charge_mode": "postPaid"})),
        Just(json!({})),
        (1..=month_max, select(vec!["true", "false"])).prop_map(|(n, b)| json!({"charge_mode": "prePaid", "period_type": "month", "period_num": n, "is_auto_pay": b})),
        (1..=year_max).prop_map(|n| json!({"charge_mode": "prePaid", "period_type": "year", "period_num": n})),
    ];
    (
        name_strategy(field(f, "/instance/name")).prop_map(|n| n.replace('_', "-")),
        name_strategy(field(f, "/instance/admin_user_name")),
        password_strategy(specials(&m.ddm_pack, "DDM116"), 8, 32),
        select(zones),
        1i64..200,
        proptest::collection::vec("az[0-9]{1,2}", 1..=3),
        charge,
    )
        .prop_map(|(name, user, pw, tz, nodes, azs, ext)| {
            let mut b = json!({"instance": {
                "name": name, "flavor_id": "f1", "node_num": nodes, "engine_id": "e1",
                "available_zones": azs, "vpc_id": "v1", "security_group_id": "g1", "subnet_id": "s1",
                "time_zone": tz, "admin_user_name": user, "admin_user_password": pw}});
            if ext.as_object().is_some_and(|o| !o.is_empty()) {
                b["extend_param"] = ext;
            }
            b
        })
}

fn mutate_ddm(b: &mut Value, which: usize, k: i64) -> &'static str {
    let k = k.unsigned_abs() as usize;
    let i = &mut b["instance"];
    match which {
        0 => {
            i["name"] = json!("ab_c d"[..1 + k % 5].to_string() + " ");
            "/instance/name"
        }
        1 => {
            i["node_num"] = json!(-((k % 100) as i64));
            "/instance/node_num"
        }
        2 => {
            i["time_zone"] = json!(format!("UTC+{:02}:30", k % 13));
            "/instance/time_zone"
        }
        3 => {
            i["admin_user_name"] = json!(format!("{}admin", k % 10));
            "/instance/admin_user_name"
        }
        4 => {
            i["admin_user_password"] = json!("aaaaaaaaa".repeat(1 + k % 3));
            "/instance/admin_user_password"
        }
        5 => {
            i["available_zones"] = json!([]);
            "/instance/available_zones"
        }
        _ => {
            b["extend_param"] =
                json!({"charge_mode": "prePaid", "period_type": "year", "period_num": 2 + k % 9});
            "/extend_param/period_num"
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_geminidb_bodies_are_valid(b in gdb_body()) {
        let r = check_value(Api::GeminidbCreateInstance, &b);
        no_errors(&r)?;
        prop_assert!(Linter::default_ref().is_valid(Api::GeminidbCreateInstance, &b));
        // The text path agrees.
        let text = serde_json::to_string_pretty(&b).unwrap();
        no_errors(&hcdb_lint::check(Api::GeminidbCreateInstance, &text))?;
    }

    #[test]
    fn one_broken_geminidb_field_gives_an_error_there(mut b in gdb_body(), (which, k) in gdb_mutation()) {
        let at = mutate_gdb(&mut b, which, k);
        let r = check_value(Api::GeminidbCreateInstance, &b);
        prop_assert!(errors_at(&r, at), "no error at {}: {:?}", at, r.diagnostics.iter().map(|d| (&d.rule, &d.pointer)).collect::<Vec<_>>());
        prop_assert!(!Linter::default_ref().is_valid(Api::GeminidbCreateInstance, &b));
    }

    #[test]
    fn generated_ddm_bodies_are_valid(b in ddm_body()) {
        no_errors(&check_value(Api::DdmCreateInstance, &b))?;
    }

    #[test]
    fn one_broken_ddm_field_gives_an_error_there(mut b in ddm_body(), which in 0usize..7, k in any::<i64>()) {
        let at = mutate_ddm(&mut b, which, k);
        let r = check_value(Api::DdmCreateInstance, &b);
        prop_assert!(errors_at(&r, at), "no error at {}: {:?}", at, r.diagnostics.iter().map(|d| (&d.rule, &d.pointer)).collect::<Vec<_>>());
    }

    #[test]
    fn scale_out_bodies(n in 1i64..10_000, bad in i64::MIN..1, group in proptest::option::of("[a-z0-9]{1,36}"), pay in any::<bool>()) {
        let mut b = json!({"flavor_id": "f1", "node_number": n, "is_auto_pay": pay});
        if let Some(g) = group {
            b["group_id"] = json!(g);
        }
        no_errors(&check_value(Api::DdmScaleOut, &b))?;
        b["node_number"] = json!(bad);
        prop_assert!(errors_at(&check_value(Api::DdmScaleOut, &b), "/node_number"));
    }
}
