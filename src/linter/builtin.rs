//! The rules the engine and the linter report their own findings under (invalid JSON, a missing
//! member, a duplicate key...): common-pack rules found by name when a linter is built. A pack
//! that lacks one is a build defect, refused then with the name, never a finding filed under
//! another rule.

use crate::config::ConfigError;
use crate::engine::Generic;
use crate::packs::RuleDoc;

/// Rules the linter emits itself, around the engine (global rule indexes).
#[derive(Debug, Clone)]
// The readers' rules are read only by the readers (the `terraform` feature).
#[cfg_attr(not(feature = "terraform"), allow(dead_code))]
pub(super) struct Special {
    pub(super) invalid_json: usize,
    pub(super) not_object: usize,
    pub(super) duplicate_key: usize,
    pub(super) too_large: usize,
    pub(super) too_deep: usize,
    pub(super) invalid_utf8: usize,
    pub(super) unknown_api: usize,
    pub(super) template_value: usize,
    pub(super) unknown_value: usize,
    pub(super) plan_format: usize,
    pub(super) plan_errored: usize,
    pub(super) plan_incomplete: usize,
    pub(super) provider_quirk: usize,
}

/// Rules looked up by name elsewhere: the CLI files an unreadable input under this one.
const ELSEWHERE: &[&str] = &["unreadable-input"];

/// The engine's and the linter's own rules in `docs` (indexes into it), or the error naming the
/// first one missing.
pub(super) fn resolve(docs: &[RuleDoc]) -> Result<(Generic, Special), ConfigError> {
    let id = |name: &str| {
        docs.iter()
            .position(|d| d.name == name)
            .ok_or_else(|| ConfigError::MissingRule { name: name.into() })
    };
    for name in ELSEWHERE {
        id(name)?;
    }
    let generic = Generic {
        missing_required: id("missing-required")?,
        wrong_type: id("wrong-type")?,
        coerced_type: id("coerced-type")?,
        null_value: id("null-member")?,
        unknown_member: id("unknown-member")?,
        placeholder: id("placeholder-value")?,
        plaintext_password: id("plaintext-password")?,
    };
    let special = Special {
        invalid_json: id("invalid-json")?,
        not_object: id("not-an-object")?,
        duplicate_key: id("duplicate-key")?,
        too_large: id("input-too-large")?,
        too_deep: id("nesting-too-deep")?,
        invalid_utf8: id("invalid-utf8")?,
        unknown_api: id("unknown-api")?,
        template_value: id("template-value")?,
        unknown_value: id("unknown-value")?,
        plan_format: id("plan-format-version")?,
        plan_errored: id("plan-errored")?,
        plan_incomplete: id("plan-incomplete")?,
        provider_quirk: id("provider-group-id")?,
    };
    Ok((generic, special))
}

#[cfg(test)]
mod tests {
    use super::resolve;
    use crate::config::ConfigError;
    use crate::packs::packs;

    /// Every rule the linter relies on, by name.
    const NAMES: [&str; 21] = [
        "missing-required",
        "wrong-type",
        "coerced-type",
        "null-member",
        "unknown-member",
        "placeholder-value",
        "plaintext-password",
        "invalid-json",
        "not-an-object",
        "duplicate-key",
        "input-too-large",
        "nesting-too-deep",
        "invalid-utf8",
        "unknown-api",
        "template-value",
        "unknown-value",
        "unreadable-input",
        "plan-format-version",
        "plan-errored",
        "plan-incomplete",
        "provider-group-id",
    ];

    #[test]
    fn the_built_in_packs_have_every_rule_the_linter_relies_on() {
        let docs = &packs().unwrap().docs;
        let (generic, special) = resolve(docs).unwrap();
        assert_eq!(docs[generic.missing_required].id, "HC004");
        assert_eq!(docs[special.invalid_json].id, "HC001");
        assert_eq!(docs[special.template_value].id, "HC016");
        assert_eq!(docs[special.unknown_value].id, "HC017");
        // None of them is mistaken for another (a silent index 0 would be HC001).
        let mut all = vec![
            generic.missing_required,
            generic.wrong_type,
            generic.coerced_type,
            generic.null_value,
            generic.unknown_member,
            generic.placeholder,
            generic.plaintext_password,
            special.invalid_json,
            special.not_object,
            special.duplicate_key,
            special.too_large,
            special.too_deep,
            special.invalid_utf8,
            special.unknown_api,
            special.template_value,
            special.unknown_value,
            special.plan_format,
            special.plan_errored,
            special.plan_incomplete,
            special.provider_quirk,
        ];
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 20);
    }

    #[test]
    fn packs_lacking_one_of_them_are_refused_naming_it() {
        let docs = &packs().unwrap().docs;
        for name in NAMES {
            let lacking: Vec<_> = docs.iter().filter(|d| d.name != name).cloned().collect();
            assert_eq!(lacking.len(), docs.len() - 1, "{name} is in the packs once");
            let err = resolve(&lacking).map(|_| ()).unwrap_err();
            assert_eq!(
                err,
                ConfigError::MissingRule {
                    name: name.to_string()
                }
            );
            assert!(err.to_string().contains(&format!("`{name}`")), "{err}");
        }
    }
}
