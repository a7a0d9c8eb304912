//! Circuit breakers and retry budgets, table by table, against the semantics their
//! libraries document (sony/gobreaker, resilience4j, Polly v8; gRFC A6, the AWS SDK retry
//! quota, Finagle's RetryBudget, the SRE book's adaptive throttling).

use herdsim::sim::policy::breaker::*;
use herdsim::sim::policy::budget::*;

const ALL_FAIL: FailureOn = FailureOn {
    timeout: true,
    error: true,
    rejected: true,
    refused: true,
};

fn spec(trip: Trip, open: u64, calls: u32, successes: u32) -> BreakerSpec {
    BreakerSpec {
        scope: Scope::SharedGlobal,
        trip,
        open,
        open_multiplier: 1.0,
        open_max: open,
        half_open_calls: calls,
        half_open_successes: successes,
        failure_on: ALL_FAIL,
    }
}

const S: u64 = 1_000_000;

/// Step of a breaker table: a call that ends as failure (`F`), success (`O`) or slow
/// success (`W`) at a time, or the open timer firing.
#[derive(Clone, Copy)]
enum Step {
    F(u64),
    O(u64),
    W(u64),
    Timer,
}

/// Breaker 0 of a set, driven by steps; remembers the generation of its latest opening
/// so that a `Timer` step fires the right timer.
struct Driver {
    b: Breakers,
    gen: Option<u32>,
}

impl Driver {
    fn new(spec: BreakerSpec) -> Driver {
        Driver {
            b: Breakers::new(spec, 1),
            gen: None,
        }
    }

    /// Run steps (each call asks permission first); the states after each.
    fn run(&mut self, steps: &[Step]) -> Vec<State> {
        let mut out = vec![];
        for &s in steps {
            match s {
                Step::Timer => {
                    if let Some(g) = self.gen {
                        self.b.timer(0, g);
                    }
                }
                Step::F(t) | Step::O(t) | Step::W(t) => {
                    let p = self.b.permit(0);
                    if p != Permit::Rejected {
                        let (fail, slow) = (matches!(s, Step::F(_)), matches!(s, Step::W(_)));
                        if let Some(Transition::Opened { gen, .. }) =
                            self.b.record(0, t, fail, slow, p.trial())
                        {
                            self.gen = Some(gen);
                        }
                    }
                }
            }
            out.push(self.b.state(0));
        }
        out
    }
}

#[test]
fn gobreaker_defaults_trip_on_the_sixth_consecutive_failure_and_probe_once() {
    // ReadyToTrip: ConsecutiveFailures > 5; Timeout 60 s; MaxRequests 1
    let mut b = Driver::new(spec(Trip::Consecutive(6), 60 * S, 1, 1));
    let mut steps: Vec<Step> = (0..5).map(Step::F).collect();
    steps.push(Step::O(5)); // a success resets the count
    steps.extend((6..11).map(Step::F));
    let states = b.run(&steps);
    assert!(states.iter().all(|s| *s == State::Closed), "{states:?}");
    assert_eq!(b.run(&[Step::F(11)]), [State::Open]);
    assert_eq!(b.b.permit(0), Permit::Rejected, "open: ErrOpenState");
    b.run(&[Step::Timer]);
    assert_eq!(b.b.state(0), State::HalfOpen);
    let tag = b.b.permit(0).trial();
    assert!(tag.is_some(), "a trial");
    assert_eq!(
        b.b.permit(0),
        Permit::Rejected,
        "beyond MaxRequests: ErrTooManyRequests"
    );
    // the trial fails: open again for the same 60 s
    let t = b.b.record(0, 70 * S, true, false, tag);
    assert!(
        matches!(t, Some(Transition::Opened { from: State::HalfOpen, until, .. }) if until == 130 * S),
        "{t:?}"
    );
    // probe again; a success closes it (MaxRequests consecutive successes)
    let Some(Transition::Opened { gen, .. }) = t else {
        unreachable!()
    };
    b.b.timer(0, gen);
    let tag = b.b.permit(0).trial();
    assert!(tag.is_some());
    assert_eq!(
        b.b.record(0, 131 * S, false, false, tag),
        Some(Transition::Closed)
    );
    assert_eq!(b.b.permit(0), Permit::Allowed);
}

#[test]
fn a_stale_timer_and_results_from_before_a_trip_are_ignored() {
    let mut b = Breakers::new(spec(Trip::Consecutive(1), S, 2, 2), 1);
    let Some(Transition::Opened { gen: g1, .. }) = b.record(0, 0, true, false, None) else {
        panic!()
    };
    assert_eq!(b.timer(0, g1 + 7), None, "a timer of another generation");
    assert_eq!(b.timer(0, g1), Some(Transition::HalfOpened));
    assert_eq!(b.timer(0, g1), None, "fires once");
    // a call let through while it was closed ends now: not a trial, ignored
    assert_eq!(b.record(0, S, true, false, None), None);
    assert_eq!(b.state(0), State::HalfOpen);
}

#[test]
fn a_late_trial_of_an_earlier_half_open_period_does_not_count() {
    // two trials per period, both must succeed; trial A is let through, trial B fails and
    // re-opens it; in the next period A's late success must not count
    let mut b = Breakers::new(spec(Trip::Consecutive(1), S, 2, 2), 1);
    let Some(Transition::Opened { gen, .. }) = b.record(0, 0, true, false, None) else {
        panic!()
    };
    b.timer(0, gen);
    let (a, bb) = (b.permit(0).trial(), b.permit(0).trial());
    let Some(Transition::Opened { gen, .. }) = b.record(0, S, true, false, bb) else {
        panic!()
    };
    b.timer(0, gen);
    let c = b.permit(0).trial();
    assert_ne!(a, c, "each half-open period has its own tag");
    assert_eq!(
        b.record(0, 2 * S, false, false, a),
        None,
        "A belongs to the last period"
    );
    assert_eq!(
        b.record(0, 2 * S, false, false, c),
        None,
        "one success of two"
    );
    assert_eq!(b.state(0), State::HalfOpen);
}

#[test]
fn resilience4j_count_window_trips_at_half_failures_after_the_minimum_calls() {
    // failureRateThreshold 50, slidingWindowSize 100 (COUNT_BASED), minimumNumberOfCalls 100
    let rule = Trip::Rate {
        window: Window::Count(100),
        min_calls: 100,
        failure_rate: Some(0.5),
        slow_call: None,
        slow_rate: 1.0,
        on_failure_only: false,
    };
    let mut b = Driver::new(spec(rule, 60 * S, 10, 6));
    // 60 failures among the first 99 calls: below the minimum, no decision
    let steps: Vec<Step> = (0..99)
        .map(|i| if i < 60 { Step::F(i) } else { Step::O(i) })
        .collect();
    assert_eq!(*b.run(&steps).last().unwrap(), State::Closed);
    assert_eq!(
        b.run(&[Step::O(99)]),
        [State::Open],
        "100 calls, 60% failed"
    );

    // a full window of successes, then failures push the oldest successes out
    let mut b = Driver::new(spec(rule, 60 * S, 10, 6));
    let mut steps: Vec<Step> = (0..100).map(Step::O).collect();
    steps.extend((100..149).map(Step::F));
    assert_eq!(*b.run(&steps).last().unwrap(), State::Closed, "49%");
    assert_eq!(b.run(&[Step::F(149)]), [State::Open], "50% ≥ 50%");
}

#[test]
fn resilience4j_half_open_decides_on_the_rate_of_its_ten_trials() {
    // permittedNumberOfCallsInHalfOpenState 10, threshold 50%: ≥ 5 failed trials re-open,
    // so it closes on the 6th success and re-opens on the 5th failure
    let rule = Trip::Consecutive(1);
    let open_then_half = |b: &mut Breakers| {
        let Some(Transition::Opened { gen, .. }) = b.record(0, 0, true, false, None) else {
            panic!()
        };
        b.timer(0, gen);
        let tags: Vec<Option<u16>> = (0..10).map(|_| b.permit(0).trial()).collect();
        assert!(
            tags.iter().all(|t| t.is_some() && *t == tags[0]),
            "{tags:?}"
        );
        assert_eq!(b.permit(0), Permit::Rejected, "only 10 trials");
        tags[0]
    };
    let mut b = Breakers::new(spec(rule, S, 10, 6), 1);
    let tag = open_then_half(&mut b);
    for _ in 0..4 {
        assert_eq!(b.record(0, S, true, false, tag), None);
    }
    for _ in 0..5 {
        assert_eq!(b.record(0, S, false, false, tag), None);
    }
    assert_eq!(
        b.record(0, S, false, false, tag),
        Some(Transition::Closed),
        "4 of 10 failed: 40%"
    );
    let mut b = Breakers::new(spec(rule, S, 10, 6), 1);
    let tag = open_then_half(&mut b);
    for _ in 0..4 {
        assert_eq!(b.record(0, S, true, false, tag), None);
    }
    let t = b.record(0, S, true, false, tag);
    assert!(
        matches!(
            t,
            Some(Transition::Opened {
                from: State::HalfOpen,
                ..
            })
        ),
        "5 failed: 50%"
    );
}

#[test]
fn slow_calls_trip_a_rate_breaker_when_all_of_the_window_is_slow() {
    // resilience4j: slowCallRateThreshold 100%, slowCallDurationThreshold (a call is slow
    // when it takes longer)
    let rule = Trip::Rate {
        window: Window::Count(10),
        min_calls: 10,
        failure_rate: Some(0.5),
        slow_call: Some(2 * S),
        slow_rate: 1.0,
        on_failure_only: false,
    };
    let mut b = Driver::new(spec(rule, S, 1, 1));
    let mut steps: Vec<Step> = (0..9).map(Step::W).collect();
    steps.push(Step::O(9)); // one fast call: 90% slow
    steps.extend((10..18).map(Step::W));
    assert_eq!(*b.run(&steps).last().unwrap(), State::Closed);
    assert_eq!(
        b.run(&[Step::W(18)]),
        [State::Closed],
        "the fast one is still in"
    );
    assert_eq!(b.run(&[Step::W(19)]), [State::Open], "10 of 10 slow");
}

#[test]
fn polly_checks_only_on_failure_over_its_rolling_time_window() {
    // FailureRatio 0.1, MinimumThroughput 100, SamplingDuration 30 s in 10 buckets
    let rule = |on_failure_only| Trip::Rate {
        window: Window::Time {
            span: 30 * S,
            buckets: 10,
        },
        min_calls: 100,
        failure_rate: Some(0.1),
        slow_call: None,
        slow_rate: 1.0,
        on_failure_only,
    };
    // 10 failures, then 90 successes: 10% over 100 calls
    let steps: Vec<Step> = (0..100)
        .map(|i| {
            if i < 10 {
                Step::F(i * 1000)
            } else {
                Step::O(i * 1000)
            }
        })
        .collect();
    let mut polly = Driver::new(spec(rule(true), 5 * S, 1, 1));
    assert_eq!(
        *polly.run(&steps).last().unwrap(),
        State::Closed,
        "a success never trips Polly"
    );
    assert_eq!(
        polly.run(&[Step::F(100_000)]),
        [State::Open],
        "the next failure does"
    );
    let mut r4j = Driver::new(spec(rule(false), 5 * S, 1, 1));
    assert_eq!(
        *r4j.run(&steps).last().unwrap(),
        State::Open,
        "checked after every call"
    );

    // failures older than the window no longer count
    let mut b = Driver::new(spec(rule(true), 5 * S, 1, 1));
    let mut steps: Vec<Step> = (0..9).map(|i| Step::F(i * 1000)).collect();
    steps.extend((0..91).map(|i| Step::O(40 * S + i * 1000)));
    steps.push(Step::F(41 * S)); // 1 failure in 92 calls of the last 30 s
    assert_eq!(*b.run(&steps).last().unwrap(), State::Closed);
}

#[test]
fn the_open_time_grows_on_repeated_trips_and_resets_when_closed() {
    let mut s = spec(Trip::Consecutive(1), S, 1, 1);
    s.open_multiplier = 2.0;
    s.open_max = 5 * S;
    let mut b = Breakers::new(s, 1);
    let mut waits = vec![];
    let mut now = 0;
    let mut t = b.record(0, now, true, false, None);
    for _ in 0..5 {
        let Some(Transition::Opened { until, gen, .. }) = t else {
            panic!()
        };
        waits.push((until - now) / S);
        now = until;
        b.timer(0, gen);
        let tag = b.permit(0).trial();
        t = b.record(0, now, true, false, tag);
    }
    assert_eq!(waits, [1, 2, 4, 5, 5]);
    let Some(Transition::Opened { gen, until, .. }) = t else {
        panic!()
    };
    b.timer(0, gen);
    let tag = b.permit(0).trial();
    assert_eq!(
        b.record(0, until, false, false, tag),
        Some(Transition::Closed)
    );
    let Some(Transition::Opened { until: u2, .. }) = b.record(0, until + 1, true, false, None)
    else {
        panic!()
    };
    assert_eq!(u2 - (until + 1), S, "back to the first open time");
}

fn budget(kind: BudgetKind) -> Budgets {
    Budgets::new(
        BudgetSpec {
            kind,
            per_client: false,
        },
        1,
    )
}

#[test]
fn grpc_throttling_counts_tokens_as_a6_says() {
    let mut b = budget(BudgetKind::Grpc {
        max: 10.0,
        ratio: 0.1,
    });
    let mut cost = 0;
    let allowed: Vec<bool> = (0..7)
        .map(|_| {
            b.failed(0, 0, Class::Error);
            b.allow_retry(0, 0, Class::Error, &mut cost)
        })
        .collect();
    // 9, 8, 7, 6 > 5; then 5, 4, 3 are not
    assert_eq!(allowed, [true, true, true, true, false, false, false]);
    for _ in 0..100 {
        b.failed(0, 0, Class::Error);
    }
    assert_eq!(b.level(0, 0), 0.0, "never below 0");
    // 51 successes lift it to 5.1 > 5
    for k in 0..51 {
        assert!(!b.allow_retry(0, 0, Class::Error, &mut cost), "after {k}");
        b.succeeded(0, 0, None);
    }
    assert!(b.allow_retry(0, 0, Class::Error, &mut cost));
    for _ in 0..200 {
        b.succeeded(0, 0, None);
    }
    assert_eq!(b.level(0, 0), 10.0, "never above maxTokens");
}

fn aws(capacity: f64, retry: u8, timeout: u8, throttling: u8) -> Budgets {
    budget(BudgetKind::Aws {
        capacity,
        retry_cost: retry,
        timeout_cost: timeout,
        throttling_cost: throttling,
        refund: 1.0,
    })
}

#[test]
fn the_aws_quota_follows_the_sdk_test_vectors() {
    // 2026 update (aws-sdk-go-v2 retry2026_test.go): three 500s: 500 → 486 → 472, then a
    // success gives back the last acquisition: 486
    let mut b = aws(500.0, 14, 14, 5);
    let mut cost = 0;
    assert!(b.allow_retry(0, 0, Class::Error, &mut cost));
    assert!(b.allow_retry(0, 0, Class::Error, &mut cost));
    assert_eq!((b.level(0, 0), cost), (472.0, 14));
    b.succeeded(0, 0, Some(cost));
    assert_eq!(b.level(0, 0), 486.0);
    // a throttling error costs 5; the success gives it back: 500
    let mut b = aws(500.0, 14, 14, 5);
    let mut cost = 0;
    assert!(b.allow_retry(0, 0, Class::Throttling, &mut cost));
    assert_eq!(b.level(0, 0), 495.0);
    b.succeeded(0, 0, Some(cost));
    assert_eq!(b.level(0, 0), 500.0);
    // a quota of 14 allows one retry, then none; of 20, one (6 left)
    for cap in [14.0, 20.0] {
        let mut b = aws(cap, 14, 14, 5);
        let mut c = 0;
        assert!(b.allow_retry(0, 0, Class::Error, &mut c));
        assert!(!b.allow_retry(0, 0, Class::Error, &mut c));
        assert_eq!(b.level(0, 0), cap - 14.0);
    }
    // the long-standing standard mode: timeouts cost 10, a success with no retry gives 1
    let mut b = aws(500.0, 5, 10, 5);
    let mut c = 0;
    assert!(b.allow_retry(0, 0, Class::Timeout, &mut c));
    assert_eq!((b.level(0, 0), c), (490.0, 10));
    b.succeeded(0, 0, None);
    assert_eq!(b.level(0, 0), 491.0);
    for _ in 0..20 {
        b.succeeded(0, 0, None);
    }
    assert_eq!(b.level(0, 0), 500.0, "capped at the capacity");
    // a retry that cost nothing gives back nothing (botocore releases the recorded 0)
    let mut low = aws(100.0, 5, 5, 5);
    let mut c = 0;
    low.allow_retry(0, 0, Class::Error, &mut c);
    low.succeeded(0, 0, Some(0));
    assert_eq!(
        low.level(0, 0),
        95.0,
        "Some(0): nothing back, not the no-retry refund"
    );
}

#[test]
fn the_ratio_budget_allows_the_reserve_plus_a_share_of_recent_requests() {
    // Finagle defaults: ttl 10 s, 10 retries/s in reserve, 20% of requests
    let mut b = budget(BudgetKind::Ratio {
        fraction: 0.2,
        min_per_s: 10.0,
        ttl: 10 * S,
    });
    let mut c = 0;
    let n = (0..1000)
        .take_while(|_| b.allow_retry(0, S, Class::Error, &mut c))
        .count();
    assert_eq!(n, 100, "the reserve: 10/s × 10 s");
    for _ in 0..1000 {
        b.call_started(0, 2 * S);
    }
    let n = (0..1000)
        .take_while(|_| b.allow_retry(0, 2 * S, Class::Error, &mut c))
        .count();
    assert_eq!(n, 200, "20% of 1000 requests");
    // everything expires after the ttl: the reserve again
    let n = (0..1000)
        .take_while(|_| b.allow_retry(0, 13 * S, Class::Error, &mut c))
        .count();
    assert_eq!(n, 100);
}

#[test]
fn adaptive_throttling_rejects_with_the_sre_book_probability() {
    let mut b = budget(BudgetKind::Adaptive {
        k: 2.0,
        window: 120 * S,
    });
    // 100 requests, 40 accepted: p = (100 − 2 · 40) / 101
    for i in 0..100 {
        assert!(
            b.admit(0, 0, 0.999),
            "nothing rejected while requests ≤ K · accepts ({i})"
        );
        if i < 40 {
            b.succeeded(0, 0, None);
        }
    }
    let p = (100.0 - 80.0) / 101.0;
    assert!((b.level(0, 0) - p).abs() < 1e-12);
    assert!(!b.admit(0, 0, p - 1e-9), "a draw below p is rejected");
    // that rejection still counted as a request: p grows
    let p2 = (101.0 - 80.0) / 102.0;
    assert!(b.admit(0, 0, p2 + 1e-9));
    // an error answer is an accept; the window forgets after two minutes
    b.failed(0, 0, Class::Error);
    assert!(b.level(0, 0) < p2);
    assert_eq!(b.level(0, 200 * S), 0.0);
}
