//! Share links: the page's whole state (scenarios A and B with their seeds, and the view)
//! in the URL fragment, compactly: JSON, deflated, base64url, behind a version tag.
//!
//! - `#v2.` then base64url(deflate(JSON) ‖ CRC-32 of the deflated bytes, big-endian): what
//!   [`encode`] writes. CRC-32 detects every error burst of up to 32 bits, so any one
//!   changed character (6 bits) is caught; an added, removed or cut-off character shifts
//!   everything after it and is caught unless 32 bits happen to match (one in 4 billion).
//! - `#v1.` then base64url(deflate(JSON)): older links, still opened (without a checksum).
//!
//! Decoding never panics and its cost is bounded (at most [`MAX_LINK`] characters in,
//! [`MAX_JSON`] bytes inflated): a damaged, cut-off, oversized or other-version link gives a
//! message in plain words saying which.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use miniz_oxide::inflate::TINFLStatus;
use serde::{Deserialize, Serialize};

use crate::sim::scenario::validate::text::TextError;
use crate::sim::ScenarioConfig;

/// The current format's tag.
pub const VERSION: &str = "v2";
/// The older format (no checksum), still read.
pub const VERSION_1: &str = "v1";
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

/// Encode to a fragment (without the `#`), in the current format (`v2`, with a checksum).
pub fn encode(s: &Shared) -> String {
    let json = serde_json::to_vec(s).unwrap_or_default();
    let mut packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    let sum = crc32(&packed);
    packed.extend_from_slice(&sum.to_be_bytes());
    format!("{VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Encode in the old `v1` format (no checksum): for tests that old links still open.
pub fn encode_v1(s: &Shared) -> String {
    let json = serde_json::to_vec(s).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("{VERSION_1}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Decode a fragment (with or without the `#`), validating both scenarios.
///
/// ```
/// use herdsim::share::{decode, encode, Shared};
/// use herdsim::sim::scenario::presets;
/// let s = Shared { a: presets::config("retry-storm").unwrap(), b: None, editing: "a".into(), theme: "dark".into() };
/// let link = encode(&s);
/// assert_eq!(decode(&link), Ok(s));
/// // one character changed: an error, never another scenario
/// let mut bad: Vec<char> = link.chars().collect();
/// bad[40] = if bad[40] == 'x' { 'y' } else { 'x' };
/// assert!(decode(&bad.into_iter().collect::<String>()).unwrap_err().contains("damaged"));
/// assert!(decode("v0.xyz").unwrap_err().contains("version"));
/// ```
pub fn decode(fragment: &str) -> Result<Shared, String> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    if f.len() > MAX_LINK {
        return Err(format!(
            "This link is too long ({} characters; a herdsim link has at most {MAX_LINK}).",
            f.chars().count()
        ));
    }
    let Some((version, payload)) = f.split_once('.') else {
        return Err(
            "This is not a herdsim link: it does not start with a version such as “v2.”.".into(),
        );
    };
    let json = match version {
        VERSION => {
            let bytes = base64(payload)?;
            let Some(split) = bytes.len().checked_sub(4) else {
                return Err(CUT_SHORT.into());
            };
            let (packed, sum) = bytes.split_at(split);
            if crc32(packed).to_be_bytes() != sum {
                // A cut-off link ends inside the deflated data or inside the checksum after
                // it: say so, it is the usual way a link gets damaged.
                let cut = match inflate(&bytes) {
                    Err(status) => status == TINFLStatus::FailedCannotMakeProgress,
                    Ok((_, used)) => used + 4 > bytes.len(),
                };
                return Err(if cut {
                    CUT_SHORT.into()
                } else {
                    "This link is damaged: a character in it was changed, added or removed \
                     (its checksum does not match). Copy the whole link again."
                        .into()
                });
            }
            inflate_all(packed)?
        }
        VERSION_1 => inflate_all(&base64(payload)?)?,
        _ => {
            let shown: String = version.chars().take(12).collect();
            return Err(format!(
                "This link was made by another version of herdsim (format “{shown}”; this page \
                 reads {VERSION} and {VERSION_1})."
            ));
        }
    };
    read_shared(&json)
}

/// The state in a link's unpacked JSON: read as strictly as a scenario file (unknown
/// fields, arrays in place of objects and bad values are refused by name), both scenarios
/// validated.
fn read_shared(json: &[u8]) -> Result<Shared, String> {
    const DAMAGED: &str = "This link is damaged: it does not hold a herdsim state.";
    let text = std::str::from_utf8(json).map_err(|_| DAMAGED.to_string())?;
    let top = crate::sim::scenario::validate::text::parse(text).map_err(|e| match e {
        TextError::Duplicate { .. } => format!("{DAMAGED} ({e})"),
        TextError::Syntax(_) => DAMAGED.to_string(),
    })?;
    let serde_json::Value::Object(mut top) = top else {
        return Err(DAMAGED.into());
    };
    if let Some(k) = top
        .keys()
        .find(|k| !["a", "b", "editing", "theme"].contains(&k.as_str()))
    {
        return Err(format!(
            "{DAMAGED} (unknown part “{}”)",
            crate::sim::scenario::bounds::shorten(k)
        ));
    }
    let text =
        |top: &mut serde_json::Map<String, serde_json::Value>, key: &str| match top.remove(key) {
            None | Some(serde_json::Value::Null) => Ok(String::new()),
            Some(serde_json::Value::String(s)) if s.len() <= 16 => Ok(s),
            Some(_) => Err(format!("{DAMAGED} (its “{key}” is not a short text)")),
        };
    let editing = text(&mut top, "editing")?;
    let theme = text(&mut top, "theme")?;
    let side = |name: &str, v: serde_json::Value| {
        let cfg = crate::sim::ScenarioConfig::from_value(v)
            .map_err(|e| format!("Scenario {name} of this link does not read: {e}"))?;
        cfg.validate()
            .map_err(|e| format!("Scenario {name} of this link is not valid: {e}"))?;
        Ok::<_, String>(cfg)
    };
    let a = side("A", top.remove("a").ok_or(DAMAGED)?)?;
    let b = match top.remove("b") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(side("B", v)?),
    };
    Ok(Shared {
        a,
        b,
        editing,
        theme,
    })
}

const CUT_SHORT: &str = "This link is cut short (its end is missing): copy the whole link again.";

/// The bytes of a base64url payload, or a message naming the character that does not belong.
fn base64(payload: &str) -> Result<Vec<u8>, String> {
    use base64::DecodeError;
    URL_SAFE_NO_PAD.decode(payload).map_err(|e| match e {
        DecodeError::InvalidByte(at, _) => match payload.get(at..).and_then(|s| s.chars().next()) {
            Some(ch) => format!(
                "This link is damaged: it contains “{}”, which no herdsim link contains. \
                 Copy the whole link again.",
                ch.escape_debug()
            ),
            None => "This link is damaged: it contains a character no herdsim link contains. \
                     Copy the whole link again."
                .into(),
        },
        _ => "This link is damaged or cut short: copy the whole link again.".into(),
    })
}

/// Inflate one deflate stream of at most [`MAX_JSON`] bytes: the bytes and how much of the
/// input the stream took (anything after it is not part of the stream).
fn inflate(mut input: &[u8]) -> Result<(Vec<u8>, usize), TINFLStatus> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut out = vec![0; input.len().saturating_mul(4).clamp(64, MAX_JSON)];
    let mut decomp = Box::<DecompressorOxide>::default();
    let (mut out_pos, mut used) = (0, 0);
    loop {
        let (status, consumed, written) = decompress(&mut decomp, input, &mut out, out_pos, flags);
        out_pos += written;
        used += consumed;
        match status {
            TINFLStatus::Done => {
                out.truncate(out_pos);
                return Ok((out, used));
            }
            TINFLStatus::HasMoreOutput if consumed <= input.len() && out.len() < MAX_JSON => {
                input = &input[consumed..];
                out.resize(out.len().saturating_mul(2).min(MAX_JSON), 0);
            }
            other => return Err(other),
        }
    }
}

/// The whole of `bytes` as one deflate stream, with nothing after it.
fn inflate_all(bytes: &[u8]) -> Result<Vec<u8>, String> {
    match inflate(bytes) {
        Ok((json, used)) if used == bytes.len() => Ok(json),
        Ok(_) => Err(
            "This link is damaged: it goes on after its data ends. Copy the whole link again."
                .into(),
        ),
        Err(status) => Err(inflate_message(status)),
    }
}

fn inflate_message(status: TINFLStatus) -> String {
    match status {
        TINFLStatus::HasMoreOutput => {
            format!("This link holds more than {MAX_JSON} bytes of scenario, more than any herdsim link.")
        }
        TINFLStatus::FailedCannotMakeProgress => CUT_SHORT.into(),
        _ => "This link is damaged: its data does not unpack. Copy the whole link again.".into(),
    }
}

/// CRC-32 (IEEE 802.3, as in zip and PNG).
///
/// ```
/// assert_eq!(herdsim::share::crc32(b"123456789"), 0xCBF4_3926);
/// ```
pub fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    };
    !data.iter().fold(!0u32, |c, &b| {
        TABLE[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// Files the page hands out: their names, and the CSV of A and B in one file.
pub mod files {
    /// A file name for `scenario`'s export: `herd-no-jitter-A-arrivals.png` from
    /// `("herd-no-jitter", &["A", "arrivals"], "png")`. A name written in a scenario file
    /// may hold anything: characters other than letters, digits, `-`, `_` and `.` become
    /// `-`, and it is cut to 80 characters.
    pub fn name(scenario: &str, parts: &[&str], ext: &str) -> String {
        name_of(scenario, parts, ext)
    }

    /// The scenario part of a file that holds A and B: `herd-no-jitter-vs-herd-full-jitter`,
    /// or the one name when both have it.
    pub fn pair(a: &str, b: &str) -> String {
        if a == b {
            a.to_string()
        } else {
            format!("{}-vs-{}", cut(a), cut(b))
        }
    }

    /// At most 40 characters of a name, so that a pair still fits the 80 of a file name.
    fn cut(s: &str) -> String {
        s.chars().take(40).collect()
    }

    fn name_of(scenario: &str, parts: &[&str], ext: &str) -> String {
        let mut clean = String::new();
        for c in scenario.chars().take(80) {
            let ok = c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
            if ok {
                clean.push(c);
            } else if !clean.ends_with('-') {
                clean.push('-');
            }
        }
        let clean = clean.trim_matches(['-', '.']);
        let base = if clean.is_empty() { "herdsim" } else { clean };
        let mut out = base.to_string();
        for p in parts {
            out.push('-');
            out.push_str(p);
        }
        format!("{out}.{ext}")
    }

    /// Several sides' CSVs in one table, as a spreadsheet reads it: a first column `side`
    /// (`A`, `B`), then every column any side has (A's in order, then B's others), one row
    /// per side and time bucket, A's rows first; a side without a column leaves it empty.
    pub fn stack_csv(sides: &[(&str, &str)]) -> String {
        let heads: Vec<Vec<&str>> = sides
            .iter()
            .map(|(_, csv)| csv.lines().next().unwrap_or("").split(',').collect())
            .collect();
        let mut columns: Vec<&str> = Vec::new();
        for h in &heads {
            for c in h {
                if !c.is_empty() && !columns.contains(c) {
                    columns.push(c);
                }
            }
        }
        let mut out = format!("side,{}\n", columns.join(","));
        for ((side, csv), head) in sides.iter().zip(&heads) {
            let at: Vec<Option<usize>> = columns
                .iter()
                .map(|c| head.iter().position(|h| h == c))
                .collect();
            for line in csv.lines().skip(1) {
                let cells: Vec<&str> = line.split(',').collect();
                out.push_str(side);
                for i in &at {
                    out.push(',');
                    out.push_str(i.and_then(|i| cells.get(i).copied()).unwrap_or(""));
                }
                out.push('\n');
            }
        }
        out
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn names_say_scenario_side_and_chart() {
            assert_eq!(
                name("herd-no-jitter", &["A", "arrivals"], "png"),
                "herd-no-jitter-A-arrivals.png"
            );
            assert_eq!(name("my scenario/ü", &["AB"], "csv"), "my-scenario-AB.csv");
            let both = pair("herd-no-jitter", "herd-full-jitter");
            assert_eq!(
                name(&both, &["AB"], "csv"),
                "herd-no-jitter-vs-herd-full-jitter-AB.csv"
            );
            assert_eq!(pair("same", "same"), "same");
            assert_eq!(name("../..", &["B"], "json"), "herdsim-B.json");
        }

        #[test]
        fn a_and_b_stack_under_one_header_with_a_side_column() {
            let a = "t_ms,x\n0,1\n10,2\n";
            let b = "t_ms,x,s.x\n0,3,4\n";
            assert_eq!(
                stack_csv(&[("A", a), ("B", b)]),
                "side,t_ms,x,s.x\nA,0,1,\nA,10,2,\nB,0,3,4\n"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::presets;

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
        assert!(link.starts_with("v2."), "{link}");
        assert_eq!(decode(&format!("#{link}")), Ok(s.clone()));
        let json = serde_json::to_string(&s).unwrap().len();
        assert!(
            link.len() < json / 2,
            "link {} chars for {json} bytes of JSON",
            link.len()
        );
    }

    #[test]
    fn v1_links_still_open() {
        let s = sample();
        assert_eq!(decode(&format!("#{}", encode_v1(&s))), Ok(s));
    }

    #[test]
    fn services_breakers_and_budgets_round_trip() {
        let mut a = presets::config("breaker-per-service-vs-global").unwrap();
        a.budget = crate::sim::scenario::config::BudgetConfig::Ratio {
            percent: 10.0,
            min_per_s: 2.0,
            ttl_ms: 5000.0,
            scope: crate::sim::scenario::config::BudgetScopeConfig::PerClient,
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
            assert!(err.contains("cut short"), "cut {cut}: {err}");
        }
        let mut flipped: Vec<char> = link.chars().collect();
        let mid = flipped.len() / 2;
        flipped[mid] = if flipped[mid] == 'A' { 'B' } else { 'A' };
        let flipped: String = flipped.into_iter().collect();
        let err = decode(&flipped).unwrap_err();
        assert!(err.contains("damaged") && err.contains("checksum"), "{err}");
        let err = decode("v2.ab%cd").unwrap_err();
        assert!(err.contains("contains “%”"), "{err}");
        assert!(decode("v2.ab").unwrap_err().contains("cut short"));
        assert!(decode("v1.@@@").unwrap_err().contains("damaged"));
        assert!(decode("hello").unwrap_err().contains("not a herdsim link"));
        assert!(decode("v3.abc").unwrap_err().contains("another version"));
        assert!(decode(&format!("v2.{}", "A".repeat(MAX_LINK)))
            .unwrap_err()
            .contains("too long"));
        // a bomb: a small link that inflates past the limit
        let big = miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_JSON + 10], 9);
        let bomb = format!("v1.{}", URL_SAFE_NO_PAD.encode(&big));
        assert!(decode(&bomb).unwrap_err().contains("more than"));
        let mut big = big;
        let sum = crc32(&big);
        big.extend_from_slice(&sum.to_be_bytes());
        let bomb = format!("v2.{}", URL_SAFE_NO_PAD.encode(&big));
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
