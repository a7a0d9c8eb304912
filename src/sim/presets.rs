//! The scenarios shipped with the app and the CLI (`static/presets/*.json`, compiled in).

use super::config::ScenarioConfig;
use super::validate::ScenarioError;

/// Every preset: `(name, JSON text)`, in menu order.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "herd-no-jitter",
        include_str!("../../static/presets/herd-no-jitter.json"),
    ),
    (
        "herd-full-jitter",
        include_str!("../../static/presets/herd-full-jitter.json"),
    ),
    (
        "no-timeout-hang",
        include_str!("../../static/presets/no-timeout-hang.json"),
    ),
    (
        "retry-storm",
        include_str!("../../static/presets/retry-storm.json"),
    ),
    (
        "metastable",
        include_str!("../../static/presets/metastable.json"),
    ),
    (
        "aws-occ-none",
        include_str!("../../static/presets/aws-occ-none.json"),
    ),
    (
        "aws-occ-exponential",
        include_str!("../../static/presets/aws-occ-exponential.json"),
    ),
    (
        "aws-occ-equal",
        include_str!("../../static/presets/aws-occ-equal.json"),
    ),
    (
        "aws-occ-full",
        include_str!("../../static/presets/aws-occ-full.json"),
    ),
    (
        "aws-occ-decorrelated",
        include_str!("../../static/presets/aws-occ-decorrelated.json"),
    ),
];

/// The JSON text of preset `name`.
pub fn json(name: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(n, _)| *n == name).map(|(_, j)| *j)
}

/// The names of all presets, in menu order.
pub fn names() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|(n, _)| *n)
}

/// Preset `name` as a config, or an error naming the allowed presets.
pub fn config(name: &str) -> Result<ScenarioConfig, ScenarioError> {
    match json(name) {
        Some(text) => ScenarioConfig::from_json(text),
        None => Err(ScenarioError::Parse {
            path: "preset".into(),
            message: format!(
                "unknown preset `{name}`; allowed: {}",
                names().collect::<Vec<_>>().join(", ")
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_validates_and_is_named_after_its_file() {
        for (name, _) in PRESETS {
            let cfg = config(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(cfg.name, *name);
            assert!(!cfg.description.is_empty(), "{name} has a description");
            cfg.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert!(config("nope").is_err());
    }
}
