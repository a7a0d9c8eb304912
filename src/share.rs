//! Share links: the page's whole state (scenarios A and B with their seeds, and the view)
//! in the URL fragment, compactly: JSON, deflated, base64url, behind a version tag
//! (`#v1.` then the payload). Decoding never panics: a corrupted, truncated, oversized or
//! other-version link gives a message saying which, and the page opens its defaults.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::sim::ScenarioConfig;

/// The current format's tag.
pub const VERSION: &str = "v1";
/// Longest fragment accepted (characters).
pub const MAX_LINK: usize = 64 * 1024;
/// Largest inflated payload accepted (bytes).
pub const MAX_JSON: usize = 1024 * 1024;

/// What a link restores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shared {
    /// Scenario A (its seed included).
    pub a: ScenarioConfig,
    /// Scenario B, when comparing.
    #[serde(default)]
    pub b: Option<ScenarioConfig>,
    /// Which side the controls edit: `"a"` or `"b"`.
    #[serde(default)]
    pub editing: String,
    /// `"light"` or `"dark"`.
    #[serde(default)]
    pub theme: String,
}

/// Encode to a fragment (without the `#`).
pub fn encode(s: &Shared) -> String {
    let json = serde_json::to_vec(s).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("{VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Decode a fragment (with or without the `#`), validating both scenarios.
///
/// ```
/// use herdsim::share::{decode, encode, Shared};
/// use herdsim::sim::presets;
/// let s = Shared { a: presets::config("retry-storm").unwrap(), b: None, editing: "a".into(), theme: "dark".into() };
/// assert_eq!(decode(&encode(&s)), Ok(s));
/// assert!(decode("v1.AAAA").is_err());
/// assert!(decode("v0.xyz").unwrap_err().contains("version"));
/// ```
pub fn decode(fragment: &str) -> Result<Shared, String> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    if f.len() > MAX_LINK {
        return Err(format!(
            "This link is too long ({} characters; at most {MAX_LINK}).",
            f.len()
        ));
    }
    let Some((version, payload)) = f.split_once('.') else {
        return Err("This link is not a herdsim link (no version tag).".into());
    };
    if version != VERSION {
        return Err(format!(
            "This link was made by another version of herdsim (format {version}; this page reads {VERSION})."
        ));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|e| format!("This link is corrupted or truncated ({e}): copy it again."))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_JSON).map_err(
        |e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                format!("This link holds more than {MAX_JSON} bytes of scenario.")
            }
            miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress => {
                "This link is truncated (it ends early): copy it again.".to_string()
            }
            _ => "This link is corrupted (its data does not unpack).".to_string(),
        },
    )?;
    let shared: Shared =
        serde_json::from_slice(&json).map_err(|e| format!("This link is corrupted ({e})."))?;
    for (side, cfg) in [("A", Some(&shared.a)), ("B", shared.b.as_ref())] {
        if let Some(cfg) = cfg {
            cfg.validate()
                .map_err(|e| format!("Scenario {side} of this link is not valid: {e}"))?;
        }
    }
    Ok(shared)
}

/// Parse a scenario JSON document (an imported file, say) with field-named errors.
pub fn scenario_from_json(text: &str) -> Result<ScenarioConfig, String> {
    let cfg = ScenarioConfig::from_json(text).map_err(|e| e.to_string())?;
    cfg.validate().map_err(|e| e.to_string())?;
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets;

    fn sample() -> Shared {
        let mut b = presets::config("herd-full-jitter").unwrap();
        b.seed = 99;
        Shared {
            a: presets::config("herd-no-jitter").unwrap(),
            b: Some(b),
            editing: "b".into(),
            theme: "light".into(),
        }
    }

    #[test]
    fn round_trips_and_stays_compact() {
        let s = sample();
        let link = encode(&s);
        assert_eq!(decode(&format!("#{link}")), Ok(s.clone()));
        let json = serde_json::to_string(&s).unwrap().len();
        assert!(
            link.len() < json / 2,
            "link {} chars for {json} bytes of JSON",
            link.len()
        );
    }

    #[test]
    fn services_breakers_and_budgets_round_trip() {
        let mut a = presets::config("breaker-per-service-vs-global").unwrap();
        a.budget = crate::sim::config::BudgetConfig::Ratio {
            percent: 10.0,
            min_per_s: 2.0,
            ttl_ms: 5000.0,
            scope: crate::sim::config::BudgetScopeConfig::PerClient,
        };
        let s = Shared {
            a,
            b: Some(presets::config("polly-v8").unwrap()),
            editing: "a".into(),
            theme: "dark".into(),
        };
        assert_eq!(decode(&encode(&s)), Ok(s));
    }

    #[test]
    fn every_kind_of_bad_link_says_what_is_wrong() {
        let link = encode(&sample());
        for cut in 1..16 {
            let err = decode(&link[..link.len() - cut]).unwrap_err();
            assert!(err.contains("truncated"), "{err}");
        }
        let mut flipped: Vec<char> = link.chars().collect();
        let mid = flipped.len() / 2;
        flipped[mid] = if flipped[mid] == 'A' { 'B' } else { 'A' };
        let flipped: String = flipped.into_iter().collect();
        let err = decode(&flipped).unwrap_err();
        assert!(
            err.contains("corrupted") || err.contains("truncated") || err.contains("not valid"),
            "{err}"
        );
        assert!(decode("v1.@@@").unwrap_err().contains("corrupted"));
        assert!(decode("hello").unwrap_err().contains("not a herdsim link"));
        assert!(decode("v2.abc").unwrap_err().contains("another version"));
        assert!(decode(&format!("v1.{}", "A".repeat(MAX_LINK)))
            .unwrap_err()
            .contains("too long"));
        // a bomb: a small link that inflates past the limit
        let big = miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_JSON + 10], 9);
        let bomb = format!("v1.{}", URL_SAFE_NO_PAD.encode(big));
        assert!(decode(&bomb).unwrap_err().contains("more than"));
        // valid encoding of an invalid scenario names the field
        let mut s = sample();
        s.a.clients.count = 0;
        let err = decode(&encode(&s)).unwrap_err();
        assert!(
            err.contains("Scenario A") && err.contains("clients.count"),
            "{err}"
        );
    }
}
