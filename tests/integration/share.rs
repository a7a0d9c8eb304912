//! Share links: a damaged link is refused, never opened as another scenario; old links
//! still open; decoding any input neither panics nor runs away.

use herdsim::share::{decode, encode, encode_v1, Shared};
use herdsim::sim::scenario::presets;
use proptest::prelude::*;
use std::sync::OnceLock;

/// A `v1` link as the page made it before links had a checksum (retry-storm, dark theme).
const OLD_LINK: &str = "v1.XVTBbtswDP0VQsCADfAMt0PWwrdhQIGddtixKAxGphM1tqRJclKvyL-PtK00rS-BSPHxvUcqrwpV_aosDqRqFSiF6WtMLgyqUC1FHYxPxlnO_YBI4Wg0ASa4v_sEvcMWYu9OEVp3stC5ABuIJfzsDdkUYUaDZAZyIx_Rthx6Ji2AUVCc1VTA6CE5rsSUaPApFvPNh18Pvy8dA6HeUwT5yfe4up_gtCcLhtH13BQMA2-5nUDuzJEYvYadc63nWEw4RbCEAf5RcKzA7gC7RAHSnmYtoqSEP5TAu97oqRzwpcnMBPSmANa5Eiv_jjRSo9GjNmmS_G1VwWeEObGgrhragIZln0zaGztnVme-LIJNYpnaHSnEks2PRK2qb3gKY0BxrBmiqr9X_JVVobajPlCaY3bs-0IJTzqK76q-rfJXqJMLB5kUT3BlwuCLWVEmr91o01JSKAzBHLGXeJq8bIR3Jkaef6GYBTWeQsNlVbk5M8WEITXR83TamcnMbGn2-CQX1oYMJzRYmarvC_XetNx7jnLHznROXWobMemKD714Z5m7YZYsmnDx5a6szkvrpkPN-7uSsZSkc9NSj9MVjOYNTMjCGUMMm8txy3NgdPHqQOQVxzocezHq8VIqW6Ky-CG7Lc3ILjbcbtbAwLXGs9dM5xu3eCrUslUzk2X6GULut2xkbyx9GGteP1VviuWJNvIiXxWFIEpTGKnIePm4vDTRks_dGN-OWx4aD6Rxnhiqwz4Sq92iPriuuzLKsh9KEpHeRnyt60YCPMucZZRnw4TDR5DzWRpkXdSaZOyOk8jw_Brm_58Ww0Gd_wM";

/// Real states (several presets, alone and compared, light and dark) with their links.
fn cases() -> &'static [(Shared, String)] {
    static CASES: OnceLock<Vec<(Shared, String)>> = OnceLock::new();
    CASES.get_or_init(|| {
        states()
            .into_iter()
            .map(|s| {
                let link = encode(&s);
                (s, link)
            })
            .collect()
    })
}

fn states() -> Vec<Shared> {
    let p = |n: &str| presets::config(n).unwrap();
    let mut b = p("herd-full-jitter");
    b.seed = 7;
    vec![
        Shared {
            a: p("herd-no-jitter"),
            b: Some(b),
            editing: "b".into(),
            theme: "light".into(),
        },
        Shared {
            a: p("breaker-per-service-vs-global"),
            b: Some(p("polly-v8")),
            editing: "a".into(),
            theme: "dark".into(),
        },
        Shared {
            a: p("budget-vs-storm"),
            b: None,
            editing: "a".into(),
            theme: "light".into(),
        },
        Shared {
            a: p("aws-sdk-2026"),
            b: None,
            editing: "a".into(),
            theme: "dark".into(),
        },
        Shared {
            a: p("resilience4j-breaker"),
            b: Some(p("gobreaker")),
            editing: "b".into(),
            theme: "light".into(),
        },
    ]
}

/// How a link gets damaged on its way: one character changed, added or removed, or the end cut off.
#[derive(Clone, Debug)]
enum Damage {
    Substitute(usize, char),
    Insert(usize, char),
    Delete(usize),
    Truncate(usize),
}

fn damage(link: &str, d: &Damage) -> String {
    let mut cs: Vec<char> = link.chars().collect();
    let n = cs.len();
    match *d {
        Damage::Substitute(i, c) => cs[i % n] = c,
        Damage::Insert(i, c) => cs.insert(i % (n + 1), c),
        Damage::Delete(i) => {
            cs.remove(i % n);
        }
        Damage::Truncate(i) => cs.truncate(i % n),
    }
    cs.into_iter().collect()
}

/// Characters a link may pick up: its own alphabet most often, and anything else.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".chars().collect::<Vec<_>>()
        ),
        1 => prop::sample::select(vec!['.', '#', '=', '+', '/', '%', ' ', 'é', '\u{200b}']),
        1 => any::<char>(),
    ]
}

fn any_damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any_char()).prop_map(|(i, c)| Damage::Substitute(i, c)),
        (any::<usize>(), any_char()).prop_map(|(i, c)| Damage::Insert(i, c)),
        any::<usize>().prop_map(Damage::Delete),
        any::<usize>().prop_map(Damage::Truncate),
    ]
}

/// The property: a damaged link is an error, or (when the damage is harmless, a `#` put in
/// front, say) exactly the same state, never a different one.
fn error_or_same(link: &str, damaged: &str, state: &Shared) -> Result<(), TestCaseError> {
    if let Ok(got) = decode(damaged) {
        prop_assert_eq!(
            &got,
            state,
            "{} opened a different state (from {})",
            damaged,
            link
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_damaged_link_never_opens_a_different_scenario(which in 0..5usize, d in any_damage()) {
        let (state, link) = &cases()[which];
        error_or_same(link, &damage(link, &d), state)?;
    }

    #[test]
    fn decoding_any_text_never_panics(text in ".{0,300}", tail in "[A-Za-z0-9_-]{0,600}") {
        let _ = decode(&text);
        let _ = decode(&format!("v2.{tail}"));
        let _ = decode(&format!("v1.{tail}"));
    }
}

/// Every position of every state's link, changed to a few characters, deleted, cut there:
/// the exhaustive version of the property above, for the damage a hand-copied link gets.
#[test]
fn every_one_character_change_of_a_link_is_refused_not_misread() {
    for (state, link) in cases() {
        let n = link.chars().count();
        let mut refused = 0;
        for i in 0..n {
            let mut damages = vec![Damage::Delete(i), Damage::Truncate(i)];
            for c in ['A', 'g', '_'] {
                damages.push(Damage::Substitute(i, c));
                damages.push(Damage::Insert(i, c));
            }
            for d in &damages {
                let damaged = damage(link, d);
                match decode(&damaged) {
                    Ok(got) => assert!(got == *state, "{d:?} of {link} opened a different state"),
                    Err(e) => {
                        refused += 1;
                        assert!(!e.is_empty());
                    }
                }
            }
        }
        // all but the substitutions that put back the same character
        assert!(
            refused > 7 * n,
            "{refused} of {} damaged links refused",
            8 * n
        );
    }
}

#[test]
fn links_made_before_the_checksum_still_open() {
    let s = decode(&format!("#{OLD_LINK}")).expect("the old link opens");
    // the link was made when the default event budget was 2e9 events; it keeps its own
    let mut then = presets::config("retry-storm").unwrap();
    then.max_events = 2_000_000_000;
    assert_eq!(s.a, then);
    assert_eq!((s.b, s.theme.as_str()), (None, "dark"));
    for state in states() {
        assert_eq!(decode(&encode_v1(&state)), Ok(state));
    }
}

#[test]
fn new_links_carry_the_version_with_the_checksum() {
    for state in states() {
        let link = encode(&state);
        assert!(link.starts_with("v2."), "{link}");
        assert_eq!(decode(&format!("#{link}")), Ok(state));
    }
}

/// An old-format link (no checksum) of any JSON, as a hand-edited or foreign link would be.
fn raw_v1(json: &str) -> String {
    use base64::Engine;
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    format!(
        "v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    )
}

#[test]
fn a_link_is_read_as_strictly_as_a_scenario_file() {
    let ok = r#"{"a": {"policy": {"jitter": {"type": "full"}}}, "theme": "dark"}"#;
    assert!(decode(&raw_v1(ok)).is_ok());
    for (json, word) in [
        (
            r#"{"a": {"policy": {"jitter": {"type": "full", "factr": 0.3}}}}"#,
            "factr",
        ),
        (r#"{"a": {"clients": [1000]}}"#, "clients"),
        (
            r#"{"a": {}, "b": {"clients": {"count": "10"}}}"#,
            "clients.count",
        ),
        (r#"{"a": {}, "extra": 1}"#, "extra"),
        (r#"[1, 2]"#, "does not hold"),
        (r#"{"a": {"seed": 1, "seed": 2}}"#, "seed"),
    ] {
        let e = decode(&raw_v1(json)).expect_err(json);
        assert!(e.contains(word), "{json}: {e}");
        assert!(
            !e.contains("invalid type") && !e.contains("expected"),
            "{json}: {e}"
        );
    }
}
