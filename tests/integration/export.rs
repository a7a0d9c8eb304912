//! Exports to real libraries. Golden snippets and reports of every exporter on the
//! library presets; each library's own preset read back from its snippet as that
//! library's documented defaults; and a round trip per exporter over every preset: the
//! snippet's numbers, read back (JSON and YAML with their parsers) and put through the
//! library's own delay formula as its source has it, give each retry the sleep interval
//! that herdsim simulates for the policy as the library runs it.

use std::path::PathBuf;

use herdsim::export::{export, Export, Library, Status};
use herdsim::sim::scenario::config::{BackoffConfig, JitterConfig, ScheduleConfig};
use herdsim::sim::scenario::presets;
use herdsim::sim::ScenarioConfig;
use herdsim::suite::LIBRARY_PRESETS;

/// The presets every golden file covers: the libraries' own, and one each of a breaker,
/// a ratio budget, full jitter and no backoff at all.
fn golden_presets() -> Vec<&'static str> {
    let mut v = LIBRARY_PRESETS.to_vec();
    v.extend([
        "herd-full-jitter",
        "retry-storm",
        "budget-vs-storm",
        "breaker-per-service-vs-global",
    ]);
    v
}

fn cfg(name: &str) -> ScenarioConfig {
    presets::config(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn exported(name: &str, l: Library) -> (ScenarioConfig, Export) {
    let c = cfg(name);
    let e = export(&c, l).unwrap_or_else(|e| panic!("{name} to {}: {e}", l.id()));
    (c, e)
}

#[test]
fn every_exporter_matches_its_golden_file() {
    let bless = std::env::var_os("HERDSIM_BLESS").is_some();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/export");
    let mut changed = Vec::new();
    for l in Library::ALL {
        let mut now = String::new();
        for p in golden_presets() {
            let (c, e) = exported(p, l);
            now += &format!(
                "==== {p} (the library runs {} policy)\n{}\n{}\n",
                if e.differs(&c) { "another" } else { "the same" },
                e.snippet,
                e.report_text()
            );
        }
        let path = dir.join(format!("{}.txt", l.id()));
        if bless {
            std::fs::create_dir_all(&dir).expect("create tests/golden/export");
            std::fs::write(&path, &now).expect("write a golden export");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(now.as_str()) {
            changed.push(l.id());
        }
    }
    assert!(
        changed.is_empty(),
        "exports changed; if on purpose, run `make golden` and commit the diff: {changed:?}"
    );
}

/// The JSON form has exactly the fields `herdsim export --format json` promises.
#[test]
fn the_json_form_has_the_promised_fields() {
    let (_, e) = exported("polly-v8", Library::Polly);
    let v = serde_json::to_value(&e).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    keys.sort();
    assert_eq!(
        keys,
        ["fidelity", "library", "snippet", "version", "warnings"]
    );
    for f in v["fidelity"].as_array().unwrap() {
        let s = f["status"].as_str().unwrap();
        assert!(
            ["exact", "approximated", "not_expressible"].contains(&s),
            "{s}"
        );
        assert!(f["parameter"].is_string() && f["note"].is_string());
    }
    assert_eq!(v["library"], "polly");
}

// ---- reading numbers back out of a snippet ----

/// The text after `key` up to the end of its value (`,`, `)` or the line's end), with
/// the separator (`=`, `:`, `(`) and spaces skipped.
fn after<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    let i = s.find(key)? + key.len();
    let rest = s[i..].trim_start_matches([' ', '=', ':', '(']);
    let end = rest.find([',', '\n']).unwrap_or(rest.len());
    let v = rest[..end].trim();
    // a balanced call like `TimeSpan.FromSeconds(2)` keeps its parentheses
    let opens = v.matches('(').count();
    let mut v = v.to_string();
    while v.matches(')').count() > opens {
        v.pop();
    }
    Some(Box::leak(v.trim().to_string().into_boxed_str()))
}

fn number(s: &str) -> f64 {
    s.trim()
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

/// A Go duration (`500 * time.Millisecond`, `time.Minute`, `0`) in ms.
fn go_ms(s: &str) -> f64 {
    let s = s.trim();
    if s == "0" {
        return 0.0;
    }
    let (n, unit) = match s.split_once(" * ") {
        Some((n, u)) => (number(n), u),
        None => (1.0, s),
    };
    n * match unit {
        "time.Minute" => 60_000.0,
        "time.Second" => 1000.0,
        "time.Millisecond" => 1.0,
        "time.Microsecond" => 0.001,
        u => panic!("unit {u}"),
    }
}

/// A protobuf JSON duration (`0.1s`) in ms.
fn proto_ms(s: &str) -> f64 {
    number(s.trim().trim_matches('"').trim_end_matches('s')) * 1000.0
}

/// A Spring duration (`500ms`, `60s`) in ms.
fn spring_ms(s: &str) -> f64 {
    let s = s.trim();
    if let Some(n) = s.strip_suffix("ms") {
        number(n)
    } else if let Some(n) = s.strip_suffix("us") {
        number(n) / 1000.0
    } else {
        number(s.trim_end_matches('s')) * 1000.0
    }
}

/// A C# `TimeSpan.FromX(n)` in ms.
fn cs_ms(s: &str) -> f64 {
    let (unit, n) = s
        .trim()
        .trim_start_matches("TimeSpan.")
        .split_once('(')
        .unwrap();
    number(n.trim_end_matches(')'))
        * match unit {
            "FromSeconds" => 1000.0,
            "FromMilliseconds" => 1.0,
            "FromMicroseconds" => 0.001,
            u => panic!("unit {u}"),
        }
}

/// A Rust `Duration::from_x(n)` in ms.
fn rust_ms(s: &str) -> f64 {
    if s.contains("ZERO") {
        return 0.0;
    }
    let (unit, n) = s
        .trim()
        .trim_start_matches("Duration::")
        .split_once('(')
        .unwrap();
    number(n.trim_end_matches(')'))
        * match unit {
            "from_secs" => 1000.0,
            "from_millis" => 1.0,
            "from_micros" => 0.001,
            u => panic!("unit {u}"),
        }
}

/// What a library will do, read from its snippet: attempts (None: no limit) and, for
/// retries 1..=6, the interval each sleep is drawn from (ms), by the library's formula.
struct Read {
    attempts: Option<u32>,
    sleeps: Option<Vec<(f64, f64)>>,
}

/// cenkalti's `ExponentialBackOff` (and failsafe-go's backoff with a jitter factor):
/// interval `i` from `init`, × `mult` up to `max` (cap before randomising), drawn in
/// `[i·(1 − f), i·(1 + f)]`.
fn around(init: f64, f: f64, mult: f64, max: f64) -> Vec<(f64, f64)> {
    let mut i = init;
    (1..=6)
        .map(|_| {
            let out = (i * (1.0 - f), i * (1.0 + f));
            i = if i >= max / mult { max } else { i * mult };
            out
        })
        .collect()
}

fn read(l: Library, s: &str) -> Read {
    let pow = |a: f64, m: f64, n: u32, cap: f64| (a * m.powi(n as i32 - 1)).min(cap);
    match l {
        Library::CenkaltiV4 | Library::CenkaltiV5 => Read {
            attempts: if l == Library::CenkaltiV4 {
                after(s, "WithMaxRetries(b, ").map(|n| number(n) as u32 + 1)
            } else {
                after(s, "WithMaxTries").map(|n| number(n) as u32)
            },
            sleeps: Some(around(
                go_ms(after(s, "b.InitialInterval").unwrap()),
                number(after(s, "b.RandomizationFactor").unwrap()),
                number(after(s, "b.Multiplier").unwrap()),
                go_ms(after(s, "b.MaxInterval").unwrap()),
            )),
        },
        Library::FailsafeGo => {
            let f = after(s, "WithJitterFactor").map_or(0.0, number);
            let sleeps = if let Some(args) = s.split("WithBackoffFactor(").nth(1) {
                let args: Vec<&str> = args.split(')').next().unwrap().split(", ").collect();
                around(go_ms(args[0]), f, number(args[2]), go_ms(args[1]))
            } else if let Some(d) = after(s, "WithDelay") {
                let d = go_ms(d);
                around(d, f, 1.0, d)
            } else {
                vec![(0.0, 0.0); 6]
            };
            Read {
                attempts: after(s, "WithMaxAttempts").map(|n| number(n) as u32),
                sleeps: Some(sleeps),
            }
        }
        Library::Tenacity => {
            let wait = s[s.find("wait=").unwrap() + 5..].lines().next().unwrap();
            let sleeps = (1..=6)
                .map(|n| {
                    let mut lo_hi = (0.0, 0.0);
                    let wait = wait.trim_end_matches(',');
                    let terms: Vec<&str> = if wait.starts_with("(lambda") {
                        vec![wait]
                    } else {
                        wait.split(" + ").collect()
                    };
                    for term in terms {
                        let arg = |k: &str| number(after(term, &format!("{k}=")).unwrap());
                        let (lo, hi) = if term.starts_with("wait_exponential") {
                            let d = pow(arg("multiplier"), arg("exp_base"), n, arg("max"));
                            (d, d)
                        } else if term.starts_with("wait_random_exponential") {
                            (0.0, pow(arg("multiplier"), arg("exp_base"), n, arg("max")))
                        } else if term.starts_with("wait_fixed") {
                            let d = number(
                                term.trim_start_matches("wait_fixed(").trim_end_matches(')'),
                            );
                            (d, d)
                        } else if term.starts_with("wait_random(") {
                            let args = term
                                .trim_start_matches("wait_random(")
                                .trim_end_matches(')');
                            let (a, b) = args.split_once(", ").unwrap();
                            (number(a), number(b))
                        } else if term.starts_with("(lambda rs: min(") {
                            // min(cap, base · n) · (floor + spread · U(0, 1))
                            let nums: Vec<f64> = term
                                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                                .filter_map(|t| t.parse::<f64>().ok())
                                .collect();
                            let d = (nums[1] * f64::from(n)).min(nums[0]);
                            (d * nums[2], d * (nums[2] + nums[3]))
                        } else if term.starts_with("wait_incrementing") {
                            let d = (arg("start") + arg("increment") * f64::from(n - 1))
                                .min(arg("max"));
                            (d, d)
                        } else {
                            assert_eq!(term, "wait_none()");
                            (0.0, 0.0)
                        };
                        lo_hi = (lo_hi.0 + lo * 1000.0, lo_hi.1 + hi * 1000.0);
                    }
                    lo_hi
                })
                .collect();
            Read {
                attempts: after(s, "stop=stop_after_attempt(").map(|n| number(n) as u32),
                sleeps: Some(sleeps),
            }
        }
        Library::Urllib3 => {
            let f = number(after(s, "backoff_factor").unwrap()) * 1000.0;
            let max = number(after(s, "backoff_max").unwrap()) * 1000.0;
            // urllib3's get_backoff_time: 0 after one error, then f · 2^(k−1), ≤ max
            let sleeps = (1..=6)
                .map(|n| {
                    let d = if n <= 1 {
                        0.0
                    } else {
                        (f * 2f64.powi(n - 1)).min(max)
                    };
                    (d, d)
                })
                .collect();
            Read {
                attempts: Some(number(after(s, "total").unwrap()) as u32 + 1),
                sleeps: Some(sleeps),
            }
        }
        Library::Backon => {
            let jitter = s.contains("with_jitter()");
            let (init, m, max) = match after(s, "with_min_delay") {
                Some(d) => (
                    rust_ms(d),
                    number(after(s, "with_factor").unwrap()),
                    rust_ms(after(s, "with_max_delay").unwrap()),
                ),
                None => {
                    let d = rust_ms(after(s, "with_delay").unwrap());
                    (d, 1.0, d)
                }
            };
            // backon: the first delay is min_delay, then × factor up to max_delay; jitter
            // adds d · U(0, 1)
            let mut d = init;
            let sleeps = (1..=6)
                .map(|_| {
                    let out = (d, if jitter { 2.0 * d } else { d });
                    d = (d * m).min(max);
                    out
                })
                .collect();
            Read {
                attempts: after(s, "with_max_times").map(|n| number(n) as u32 + 1),
                sleeps: Some(sleeps),
            }
        }
        Library::Resilience4j => {
            let y: serde_yaml::Value = serde_yaml::from_str(s).expect("the YAML reads");
            let r = &y["resilience4j"]["retry"]["instances"]["backend"];
            let wait = spring_ms(r["waitDuration"].as_str().unwrap());
            let exp = r["enableExponentialBackoff"].as_bool() == Some(true);
            let m = r["exponentialBackoffMultiplier"].as_f64().unwrap_or(1.0);
            let max = r["exponentialMaxWaitDuration"]
                .as_str()
                .map_or(f64::INFINITY, spring_ms);
            let f = r["randomizedWaitFactor"].as_f64().unwrap_or(0.0);
            // IntervalFunction.ofExponentialRandomBackoff: min(randomize(c), max)
            let sleeps = (1..=6)
                .map(|n| {
                    let c = if exp { wait * m.powi(n - 1) } else { wait };
                    ((c * (1.0 - f)).min(max), (c * (1.0 + f)).min(max))
                })
                .collect();
            Read {
                // Integer.MAX_VALUE: no limit, as far as a run can tell
                attempts: r["maxAttempts"]
                    .as_u64()
                    .filter(|&n| n < i32::MAX as u64)
                    .map(|n| n as u32),
                sleeps: Some(sleeps),
            }
        }
        Library::Polly => {
            let attempts = match after(s, "MaxRetryAttempts") {
                Some("int.MaxValue") => None,
                Some(n) => Some(number(n) as u32 + 1),
                None => Some(1),
            };
            let sleeps = if let Some(gen) = s.split("double d = ").nth(1) {
                let d = gen.split(';').next().unwrap();
                let spread = gen.split("double sleep = d * (").nth(1).unwrap();
                let (lo, span) = spread.split_once(" + ").unwrap();
                let span = number(span.split(" * ").next().unwrap());
                let lo = number(lo);
                let nums: Vec<f64> = d
                    .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .filter_map(|t| t.parse::<f64>().ok())
                    .collect();
                Some(
                    (1..=6)
                        .map(|n: i32| {
                            let v = if d.contains("Math.Pow") {
                                (nums[1] * nums[2].powi(n - 1)).min(nums[0])
                            } else if d.contains("AttemptNumber + 1") {
                                (nums[1] * f64::from(n)).min(nums[0])
                            } else {
                                nums[0]
                            };
                            (v * lo, v * (lo + span))
                        })
                        .collect(),
                )
            } else if let Some(kind) = after(s, "BackoffType = DelayBackoffType.") {
                let d = cs_ms(after(s, "Delay =").unwrap());
                let max = after(s, "MaxDelay").map_or(f64::INFINITY, cs_ms);
                let jitter = after(s, "UseJitter") == Some("true");
                if kind == "Exponential" && jitter {
                    None // DecorrelatedJitterBackoffV2: the engine's own, checked elsewhere
                } else {
                    Some(
                        (1..=6)
                            .map(|n: i32| {
                                // RetryHelper: Constant d, Linear (attempt + 1) · d, Exponential 2^attempt · d
                                let v = match kind {
                                    "Constant" => d,
                                    "Linear" => d * f64::from(n),
                                    _ => d * 2f64.powi(n - 1),
                                }
                                .min(max);
                                if jitter {
                                    ((v * 0.75).min(max), (v * 1.25).min(max))
                                } else {
                                    (v, v)
                                }
                            })
                            .collect(),
                    )
                }
            } else {
                None
            };
            Read { attempts, sleeps }
        }
        Library::Grpc => {
            let v: serde_json::Value = serde_json::from_str(s).expect("the JSON reads");
            let p = &v["methodConfig"][0]["retryPolicy"];
            if p.is_null() {
                return Read {
                    attempts: Some(1),
                    sleeps: None,
                };
            }
            let (init, max) = (
                proto_ms(p["initialBackoff"].as_str().unwrap()),
                proto_ms(p["maxBackoff"].as_str().unwrap()),
            );
            let m = p["backoffMultiplier"].as_f64().unwrap();
            Read {
                attempts: p["maxAttempts"].as_u64().map(|n| n as u32),
                // A6 (2024): min(initial · m^(n−1), max) · U(0.8, 1.2)
                sleeps: Some(
                    (1..=6)
                        .map(|n| {
                            let d = pow(init, m, n, max);
                            (0.8 * d, 1.2 * d)
                        })
                        .collect(),
                ),
            }
        }
        Library::Envoy => {
            let docs: Vec<serde_yaml::Value> = serde_yaml::Deserializer::from_str(s)
                .map(|d| serde::Deserialize::deserialize(d).expect("the YAML reads"))
                .collect();
            let p = &docs[0]["route"]["retry_policy"];
            let b = proto_ms(p["retry_back_off"]["base_interval"].as_str().unwrap());
            let max = proto_ms(p["retry_back_off"]["max_interval"].as_str().unwrap());
            // JitteredExponentialBackOffStrategy: U[0, I), I from base doubling to max
            let mut i = b;
            let sleeps = (1..=6)
                .map(|_| {
                    let out = (0.0, i);
                    i = if i < max / 2.0 { i * 2.0 } else { max };
                    out
                })
                .collect();
            Read {
                attempts: p["num_retries"].as_u64().map(|n| n as u32 + 1),
                sleeps: Some(sleeps),
            }
        }
        Library::AwsSdk => Read {
            attempts: after(s, "max_attempts =").map(|n| number(n) as u32),
            sleeps: None,
        },
        Library::Gobreaker => Read {
            attempts: None,
            sleeps: None,
        },
    }
}

/// The interval herdsim draws retry `n`'s sleep from (ms), for a stateless jitter.
fn simulated(b: &BackoffConfig, j: &JitterConfig, n: u32) -> Option<(f64, f64)> {
    let d = if b.immediate_first && n == 1 {
        0.0
    } else {
        match b.kind {
            ScheduleConfig::None => 0.0,
            ScheduleConfig::Constant => b.base_ms,
            ScheduleConfig::Linear => (b.base_ms * f64::from(n)).min(b.cap_ms),
            ScheduleConfig::Exponential => {
                (b.base_ms * b.multiplier.powi(n as i32 - 1)).min(b.cap_ms)
            }
        }
    };
    Some(match *j {
        JitterConfig::None => (d, d),
        JitterConfig::Full => (0.0, d),
        JitterConfig::Equal => (d / 2.0, d),
        JitterConfig::Proportional { factor } => (d * (1.0 - factor), d * (1.0 + factor)),
        JitterConfig::Multiplier { min, max } => (d * min, d * max),
        JitterConfig::Decorrelated | JitterConfig::DecorrelatedV2 => return None,
    })
}

/// Equal within 50 µs: a snippet writes durations in whole µs, and a library multiplies
/// a rounded first delay up to its cap.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.05 + 1e-9 * a.abs().max(b.abs())
}

/// Every exporter over every preset: the snippet read back and run through the library's
/// own formula gives the attempts and, retry by retry, the sleep interval that herdsim
/// simulates for the policy as the library runs it (`as_library`); where every line of
/// the report about them is exact, that is the policy itself.
#[test]
fn every_snippet_reads_back_as_the_policy_the_library_runs() {
    let mut checked = 0;
    // every preset, and herd-full-jitter with each schedule and jitter
    let mut cases: Vec<(String, ScenarioConfig)> =
        presets::names().map(|p| (p.to_string(), cfg(p))).collect();
    let jitters = [
        JitterConfig::None,
        JitterConfig::Full,
        JitterConfig::Equal,
        JitterConfig::Decorrelated,
        JitterConfig::DecorrelatedV2,
        JitterConfig::Proportional { factor: 0.3 },
        JitterConfig::Multiplier { min: 0.8, max: 1.2 },
        JitterConfig::Multiplier {
            min: 0.75,
            max: 1.25,
        },
        JitterConfig::Multiplier { min: 1.0, max: 2.0 },
    ];
    for kind in [
        ScheduleConfig::Constant,
        ScheduleConfig::Linear,
        ScheduleConfig::Exponential,
    ] {
        for (i, j) in jitters.iter().enumerate() {
            let mut c = cfg("herd-full-jitter");
            c.policy.backoff.kind = kind;
            c.policy.backoff.multiplier = 3.0;
            c.policy.jitter = j.clone();
            cases.push((format!("herd-full-jitter {kind:?} jitter {i}"), c));
        }
    }
    for (p, c) in &cases {
        for l in Library::ALL {
            let e = export(c, l).unwrap_or_else(|err| panic!("{p} to {}: {err}", l.id()));
            let c = c.clone();
            let r = read(l, &e.snippet);
            let lib = &e.as_library.policy;
            let what = format!("{p} to {}", l.id());
            if let Err(err) = e.as_library.validate() {
                panic!("{what}: the policy as the library runs it does not validate: {err}");
            }
            if l != Library::Gobreaker {
                assert_eq!(
                    r.attempts, lib.max_attempts,
                    "{what}: attempts\n{}",
                    e.snippet
                );
            }
            let exact = |param: &str| {
                e.fidelity
                    .iter()
                    .filter(|f| f.parameter == param)
                    .all(|f| f.status == Status::Exact)
            };
            if exact("max_attempts") {
                assert_eq!(lib.max_attempts, c.policy.max_attempts, "{what}");
            }
            let (Some(sleeps), true) = (r.sleeps, lib.max_attempts != Some(1)) else {
                continue;
            };
            for (n, &(lo, hi)) in (1..).zip(&sleeps) {
                let Some((slo, shi)) = simulated(&lib.backoff, &lib.jitter, n) else {
                    continue;
                };
                // resilience4j clamps a randomised wait at its cap, which herdsim's jitter
                // does not do: past the cap its report says the jitter is approximated
                if l == Library::Resilience4j && shi > lib.backoff.cap_ms {
                    assert!(
                        !exact("jitter"),
                        "{what}: jitter past the cap reported exact"
                    );
                    continue;
                }
                assert!(
                    close(lo, slo) && close(hi, shi),
                    "{what}, retry {n}: the library sleeps {lo}..{hi} ms, herdsim simulates {slo}..{shi}\n{}",
                    e.snippet
                );
                checked += 1;
            }
            let all_exact = |prefix: &str| {
                e.fidelity
                    .iter()
                    .filter(|f| f.parameter.starts_with(prefix))
                    .all(|f| f.status == Status::Exact)
            };
            if all_exact("backoff") && exact("jitter") {
                assert_eq!(
                    lib.backoff, c.policy.backoff,
                    "{what}: an exact backoff is the policy's"
                );
                assert_eq!(
                    lib.jitter, c.policy.jitter,
                    "{what}: an exact jitter is the policy's"
                );
            }
        }
    }
    assert!(checked > 1000, "only {checked} sleeps compared");
}

/// Each library's own preset exports as that library's documented defaults, read back
/// from the snippet, and the library runs exactly the simulated backoff.
#[test]
fn each_librarys_own_preset_exports_its_documented_defaults() {
    let s = |p: &str, l: Library| exported(p, l).1.snippet;
    // cenkalti/backoff: 500 ms × 1.5 up to 60 s, ±50%, MaxElapsedTime 15 min
    for l in [Library::CenkaltiV4, Library::CenkaltiV5] {
        let t = s("cenkalti-backoff-v4", l);
        assert_eq!(go_ms(after(&t, "b.InitialInterval").unwrap()), 500.0);
        assert_eq!(number(after(&t, "b.RandomizationFactor").unwrap()), 0.5);
        assert_eq!(number(after(&t, "b.Multiplier").unwrap()), 1.5);
        assert_eq!(go_ms(after(&t, "b.MaxInterval").unwrap()), 60_000.0);
        let elapsed = if l == Library::CenkaltiV4 {
            "b.MaxElapsedTime"
        } else {
            "WithMaxElapsedTime"
        };
        assert_eq!(go_ms(after(&t, elapsed).unwrap()), 900_000.0, "{t}");
        // the documented table of exponential.go: retry 1..5 intervals 0.5, 0.75, 1.125, 1.6875, 2.53125 s
        let r = read(l, &t).sleeps.unwrap();
        for (i, want) in [500.0, 750.0, 1125.0, 1687.5, 2531.25].iter().enumerate() {
            assert!(
                close(r[i].0, want * 0.5) && close(r[i].1, want * 1.5),
                "{i}: {:?}",
                r[i]
            );
        }
    }
    // gobreaker: trips on the 6th consecutive failure, 60 s open, 1 trial
    let t = s("gobreaker", Library::Gobreaker);
    assert!(t.contains("counts.ConsecutiveFailures >= 6"), "{t}");
    assert_eq!(number(after(&t, "MaxRequests").unwrap()), 1.0);
    assert_eq!(go_ms(after(&t, "Timeout").unwrap()), 60_000.0);
    // tenacity: wait_random_exponential(multiplier=1, max=60), stop_never
    let t = s("tenacity-random-exponential", Library::Tenacity);
    assert!(
        t.contains("wait=wait_random_exponential(multiplier=1, exp_base=2, max=60)"),
        "{t}"
    );
    assert!(t.contains("stop=stop_never"), "{t}");
    // urllib3: Retry(3), no backoff, 120 s max; its docstring's factor 0.1 sleeps 0, 0.2, 0.4, 0.8
    let t = s("urllib3-retry", Library::Urllib3);
    assert_eq!(number(after(&t, "total").unwrap()), 3.0);
    assert_eq!(number(after(&t, "backoff_factor").unwrap()), 0.0);
    assert_eq!(number(after(&t, "backoff_max").unwrap()), 120.0);
    let mut c = cfg("urllib3-retry");
    c.policy.backoff.kind = ScheduleConfig::Exponential;
    c.policy.backoff.base_ms = 100.0;
    c.policy.backoff.immediate_first = true;
    let e = export(&c, Library::Urllib3).unwrap();
    assert_eq!(number(after(&e.snippet, "backoff_factor").unwrap()), 0.1);
    let r = read(Library::Urllib3, &e.snippet).sleeps.unwrap();
    assert_eq!(
        r[..4].iter().map(|x| x.0).collect::<Vec<_>>(),
        [0.0, 200.0, 400.0, 800.0]
    );
    // backon: ExponentialBuilder::default(): 1 s × 2 up to 60 s, 3 retries, no jitter
    let t = s("backon-exponential", Library::Backon);
    assert_eq!(rust_ms(after(&t, "with_min_delay").unwrap()), 1000.0);
    assert_eq!(number(after(&t, "with_factor").unwrap()), 2.0);
    assert_eq!(rust_ms(after(&t, "with_max_delay").unwrap()), 60_000.0);
    assert_eq!(number(after(&t, "with_max_times").unwrap()), 3.0);
    assert!(!t.contains("with_jitter"));
    // resilience4j: retry 3 attempts every 500 ms; breaker 100 calls, 50%, 60 s, 10 trials
    let t = s("resilience4j-breaker", Library::Resilience4j);
    let y: serde_yaml::Value = serde_yaml::from_str(&t).unwrap();
    let r = &y["resilience4j"]["retry"]["instances"]["backend"];
    assert_eq!(r["maxAttempts"].as_u64(), Some(3));
    assert_eq!(r["waitDuration"].as_str(), Some("500ms"));
    let b = &y["resilience4j"]["circuitbreaker"]["instances"]["backend"];
    assert_eq!(b["slidingWindowType"].as_str(), Some("COUNT_BASED"));
    for (k, v) in [
        ("slidingWindowSize", 100.0),
        ("minimumNumberOfCalls", 100.0),
        ("failureRateThreshold", 50.0),
        ("slowCallRateThreshold", 100.0),
        ("permittedNumberOfCallsInHalfOpenState", 10.0),
    ] {
        assert_eq!(b[k].as_f64(), Some(v), "{k}");
    }
    assert_eq!(b["waitDurationInOpenState"].as_str(), Some("60s"));
    assert_eq!(b["slowCallDurationThreshold"].as_str(), Some("60s"));
    // Polly: 3 retries every 2 s; breaker 10% of 100 calls in 30 s, 5 s break
    let t = s("polly-v8", Library::Polly);
    assert_eq!(number(after(&t, "MaxRetryAttempts").unwrap()), 3.0);
    assert_eq!(cs_ms(after(&t, "Delay =").unwrap()), 2000.0);
    assert_eq!(number(after(&t, "FailureRatio").unwrap()), 0.1);
    assert_eq!(cs_ms(after(&t, "SamplingDuration").unwrap()), 30_000.0);
    assert_eq!(number(after(&t, "MinimumThroughput").unwrap()), 100.0);
    assert_eq!(cs_ms(after(&t, "BreakDuration").unwrap()), 5000.0);
    // gRPC: A6's example, 4 attempts, 0.1 s × 2 up to 1 s, throttling 10 / 0.1
    let t = s("grpc-retry-throttling", Library::Grpc);
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    let p = &v["methodConfig"][0]["retryPolicy"];
    assert_eq!(p["maxAttempts"], 4);
    assert_eq!(p["initialBackoff"], "0.1s");
    assert_eq!(p["maxBackoff"], "1s");
    assert_eq!(p["backoffMultiplier"], 2);
    assert_eq!(
        p["retryableStatusCodes"],
        serde_json::json!(["UNAVAILABLE"])
    );
    assert_eq!(
        v["retryThrottling"],
        serde_json::json!({"maxTokens": 10, "tokenRatio": 0.1})
    );
    // AWS: standard mode, 3 attempts
    let t = s("aws-sdk-standard", Library::AwsSdk);
    assert!(
        t.contains("retry_mode = standard\nmax_attempts = 3\n"),
        "{t}"
    );
    // and each library runs exactly the simulated backoff of its own preset
    for (p, l) in [
        ("cenkalti-backoff-v4", Library::CenkaltiV4),
        ("cenkalti-backoff-v4", Library::CenkaltiV5),
        ("tenacity-random-exponential", Library::Tenacity),
        ("urllib3-retry", Library::Urllib3),
        ("backon-exponential", Library::Backon),
        ("resilience4j-breaker", Library::Resilience4j),
        ("polly-v8", Library::Polly),
        ("grpc-retry-throttling", Library::Grpc),
        ("aws-sdk-standard", Library::AwsSdk),
        ("aws-sdk-2026", Library::AwsSdk),
        ("gobreaker", Library::Gobreaker),
    ] {
        let (c, e) = exported(p, l);
        for f in &e.fidelity {
            let configured = f.parameter.starts_with("backoff")
                || f.parameter == "jitter"
                || f.parameter == "max_attempts"
                || f.parameter.starts_with("breaker")
                || f.parameter == "budget";
            assert!(
                !configured || f.status == Status::Exact,
                "{p} to {}: {} is {:?}: {}",
                l.id(),
                f.parameter,
                f.status,
                f.note
            );
        }
        let lib = &e.as_library;
        assert_eq!(
            (
                &lib.policy.backoff,
                &lib.policy.jitter,
                &lib.breaker,
                &lib.budget
            ),
            (&c.policy.backoff, &c.policy.jitter, &c.breaker, &c.budget),
            "{p} to {}",
            l.id()
        );
    }
}

/// What the reports say of things a library cannot do is what the library runs.
#[test]
fn what_a_library_cannot_express_is_left_out_of_the_run() {
    // a retry budget in Polly or resilience4j
    for l in [Library::Polly, Library::Resilience4j, Library::CenkaltiV4] {
        let (_, e) = exported("budget-vs-storm", l);
        let f = e
            .fidelity
            .iter()
            .find(|f| f.parameter == "budget")
            .expect("budget reported");
        assert_eq!(f.status, Status::NotExpressible, "{}", l.id());
        assert_eq!(
            e.as_library.budget,
            herdsim::sim::scenario::config::BudgetConfig::None
        );
    }
    // gRPC clamps maxAttempts to 5
    let mut c = cfg("grpc-retry-throttling");
    c.policy.max_attempts = Some(8);
    let e = export(&c, Library::Grpc).unwrap();
    assert_eq!(e.as_library.policy.max_attempts, Some(5));
    assert!(e
        .warnings
        .iter()
        .any(|w| w.contains("clamps maxAttempts to 5")));
    assert!(e.differs(&c));
    // full jitter in gRPC becomes its fixed ±20%
    let (c, e) = exported("herd-full-jitter", Library::Grpc);
    assert_eq!(
        e.as_library.policy.jitter,
        JitterConfig::Multiplier { min: 0.8, max: 1.2 }
    );
    assert!(e.differs(&c));
    // a half-open breaker of 10 trials in Polly: one probe
    let (_, e) = exported("resilience4j-breaker", Library::Polly);
    assert_eq!(e.as_library.breaker.half_open_calls, 1);
    assert!(e.warnings.iter().any(|w| w.contains("exactly one call")));
    // Envoy's circuit breakers are concurrency limits
    let (_, e) = exported("polly-v8", Library::Envoy);
    assert!(e.warnings.iter().any(|w| w.contains("not a breaker")));
    // a bad scenario is refused, naming the field, not exported
    let mut c = cfg("retry-storm");
    c.policy.backoff.multiplier = -1.0;
    let err = export(&c, Library::Tenacity).unwrap_err().to_string();
    assert!(err.contains("policy.backoff.multiplier"), "{err}");
}

/// `herdsim export`: the snippet and its report, JSON as promised, every library in the
/// help, bad input named; `scorecard --as-library` runs the library's version as B.
#[test]
fn the_cli_exports_to_every_library_and_names_bad_input() {
    use crate::cli::{bad, ok_json, ok_text};
    for l in Library::ALL {
        let text = ok_text(&["export", "--preset", "herd-full-jitter", "--to", l.id()]);
        let (_, e) = exported("herd-full-jitter", l);
        assert!(text.starts_with(&e.snippet), "{}", l.id());
        assert!(text.contains(&e.report_text()), "{}", l.id());
        let v = ok_json(&[
            "export",
            "--preset",
            "herd-full-jitter",
            "--to",
            l.id(),
            "--format",
            "json",
        ]);
        assert_eq!(v, serde_json::to_value(&e).unwrap(), "{}", l.id());
    }
    let help = ok_text(&["export", "--help"]);
    for l in Library::ALL {
        assert!(
            help.contains(l.id()) && help.contains(l.version()),
            "{}",
            l.id()
        );
    }
    // --set reaches the export
    let v = ok_json(&[
        "export",
        "--preset",
        "grpc-retry-throttling",
        "--to",
        "grpc",
        "--set",
        "policy.max_attempts=3",
        "--format=json",
    ]);
    assert!(v["snippet"]
        .as_str()
        .unwrap()
        .contains("\"maxAttempts\": 3"));
    bad(
        &["export", "--preset", "retry-storm", "--to", "hystrix"],
        None,
        &["--to", "hystrix", "cenkalti-v4"],
    );
    bad(
        &["export", "--preset", "retry-storm"],
        None,
        &["--to LIBRARY"],
    );
    bad(&["export", "--to", "grpc"], None, &["--preset NAME"]);
    bad(
        &[
            "export",
            "--preset",
            "retry-storm",
            "--to",
            "grpc",
            "--set",
            "policy.max_attempts=0",
        ],
        None,
        &["policy.max_attempts"],
    );
    bad(
        &[
            "scorecard",
            "--preset",
            "retry-storm",
            "--as-library",
            "grpc",
            "--vs-preset",
            "polly-v8",
        ],
        None,
        &["--as-library"],
    );
    let ab = ok_json(&[
        "scorecard",
        "--preset",
        "herd-full-jitter",
        "--as-library",
        "grpc",
        "--seeds",
        "1",
        "--format",
        "json",
    ]);
    assert!(
        ab.to_string().contains("herd-full-jitter as grpc runs it"),
        "{ab}"
    );
}
