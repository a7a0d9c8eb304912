//! The scorecard's text tables (columns aligned, figures in their units) and CSV.

use std::fmt::Write as _;

use herdsim::suite::scenarios::{CAPACITY_PER_S, CLIENTS, DURATION_MS, FAULT_START_MS};
use herdsim::suite::{
    show_mean, Comparison, Delta, LibraryTable, Metric, Row, Scorecard, Stat, Verdict, SCENARIOS,
};
use herdsim::units::{count, duration_ms, sig3};

use crate::output::{csv_cell, escape};

/// A line of a table: cells, or a line of text across it.
pub enum Line {
    Cells(Vec<String>),
    Text(String),
}

/// `head` and `lines` in aligned columns: the first `left` columns to the left, the others
/// (figures) to the right.
pub fn render(head: &[String], lines: &[Line], left: usize) -> String {
    let mut widths: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for line in lines {
        if let Line::Cells(cells) = line {
            for (w, c) in widths.iter_mut().zip(cells) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let row = |cells: &[String]| {
        let out: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, &w))| {
                let pad = " ".repeat(w.saturating_sub(c.chars().count()));
                if i < left {
                    format!("{c}{pad}")
                } else {
                    format!("{pad}{c}")
                }
            })
            .collect();
        out.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = row(head);
    for line in lines {
        match line {
            Line::Cells(cells) => out += &row(cells),
            Line::Text(t) => out += &format!("{t}\n"),
        }
    }
    out
}

fn head(first: &[&str]) -> Vec<String> {
    (first.iter().map(|s| s.to_string()))
        .chain(Metric::ALL.iter().map(|m| m.label().to_string()))
        .collect()
}

/// A row's means in their units.
fn means(row: &Row) -> impl Iterator<Item = String> + '_ {
    Metric::ALL
        .iter()
        .map(|&m| show_mean(m, row.stat(m), row.runs))
}

fn seeds_words(seeds: &[u64]) -> String {
    match seeds {
        [] => "no seeds".into(),
        [s] => format!("1 seed ({s})"),
        [a, .., b] => format!("{} seeds ({a} to {b})", seeds.len()),
    }
}

/// What the suite is and what the columns mean, under every table.
fn legend() -> String {
    let mut out = format!(
        "\nworld: {} clients at 1 request/s each (Poisson, open loop) to a service of capacity\n\
         {}/s (8 workers × 10 ms, queue 100), {}; each scenario is disturbed from {}:\n",
        count(u64::from(CLIENTS)),
        sig3(CAPACITY_PER_S),
        duration_ms(DURATION_MS),
        duration_ms(FAULT_START_MS),
    );
    let width = SCENARIOS.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for s in SCENARIOS {
        let _ = writeln!(out, "  {:<width$}  {}", s.name, s.description);
    }
    out += "failed: requests that failed (out of attempts, not retried, deadline, breaker or budget);\n";
    out += "success p50, p99: latency of the requests that succeeded; peak/capacity: the highest \
            arrival rate in a\n500 ms bucket after the disturbance over the capacity; recovery: \
            until the success rate is back to\n95% of its level before, never (n/K): n of the K \
            seeds never recovered; by breaker: calls a breaker\nrejected; by budget: retries a \
            budget denied. Means over the seeds (json and csv: min and max too).\n";
    out
}

/// One policy's scorecard as a table.
pub fn scorecard_text(card: &Scorecard) -> String {
    let mut out = format!(
        "scorecard: the policy of {} through the fault suite, {}\n",
        escape(&card.policy),
        seeds_words(&card.seeds)
    );
    let lines: Vec<Line> = card
        .rows
        .iter()
        .map(|r| {
            Line::Cells(
                std::iter::once(r.scenario.clone())
                    .chain(means(r))
                    .collect(),
            )
        })
        .collect();
    out += &render(&head(&["scenario"]), &lines, 1);
    out + &legend()
}

/// A difference as people read it, marked ✓ where B is better and ✗ where it is worse
/// (not when it reads as zero).
fn delta_cell(m: Metric, d: &Delta) -> String {
    let text = match d.delta {
        Some(x) => m.quantity().delta(x),
        None => "—".into(),
    };
    let shows_change = d.delta.is_none() || text.starts_with(['+', '−']);
    match d.verdict {
        Some(Verdict::Better) if shows_change => format!("{text} ✓"),
        Some(Verdict::Worse) if shows_change => format!("{text} ✗"),
        _ => text,
    }
}

/// A and B with B − A, three lines per scenario.
pub fn comparison_text(ab: &Comparison) -> String {
    let mut out = format!(
        "A/B: A is the policy of {}, B the policy of {}; {} each; ✓ B better, ✗ B worse\n",
        escape(&ab.a.policy),
        escape(&ab.b.policy),
        seeds_words(&ab.a.seeds)
    );
    let mut lines = vec![];
    for d in &ab.deltas {
        let (Some(ra), Some(rb)) = (ab.a.row(&d.scenario), ab.b.row(&d.scenario)) else {
            continue;
        };
        let side = |first: &str, s: &str, cells: Vec<String>| {
            Line::Cells(
                [first.to_string(), s.to_string()]
                    .into_iter()
                    .chain(cells)
                    .collect(),
            )
        };
        lines.push(side(&d.scenario, "A", means(ra).collect()));
        lines.push(side("", "B", means(rb).collect()));
        let deltas = Metric::ALL
            .iter()
            .map(|&m| delta_cell(m, d.deltas.get(m)))
            .collect();
        lines.push(side("", "B − A", deltas));
    }
    out += &render(&head(&["scenario", ""]), &lines, 2);
    out + &legend()
}

/// Every library's policy, grouped by scenario.
pub fn libraries_text(t: &LibraryTable) -> String {
    let mut out = format!(
        "libraries: each real library preset's policy through the fault suite, {}\n",
        seeds_words(&t.seeds)
    );
    let mut lines = vec![];
    for (i, group) in t.scenarios.iter().enumerate() {
        if i > 0 {
            lines.push(Line::Text(String::new()));
        }
        lines.push(Line::Text(format!(
            "{}: {}",
            group.scenario, group.description
        )));
        for r in &group.rows {
            let first = format!("  {}", escape(&r.policy));
            lines.push(Line::Cells(
                std::iter::once(first).chain(means(r)).collect(),
            ));
        }
    }
    out += &render(&head(&["policy"]), &lines, 1);
    out + &legend()
}

/// A figure in CSV: as JSON writes it, empty for none.
fn num(x: Option<f64>) -> String {
    x.map_or(String::new(), |x| x.to_string())
}

fn stat_head(verdicts: bool) -> String {
    let mut cols = vec![];
    for m in Metric::ALL {
        for part in ["mean", "min", "max", "missing"] {
            cols.push(format!("{}_{part}", m.key()));
        }
        if verdicts {
            cols.push(format!("{}_verdict", m.key()));
        }
    }
    cols.join(",")
}

fn stat_cells(s: &Stat) -> [String; 4] {
    [num(s.mean), num(s.min), num(s.max), s.missing.to_string()]
}

fn row_cells(r: &Row, verdicts: bool) -> String {
    let mut cells: Vec<String> = vec![
        csv_cell(&r.policy).into_owned(),
        csv_cell(&r.scenario).into_owned(),
        r.runs.to_string(),
        r.partial_runs.to_string(),
    ];
    for m in Metric::ALL {
        cells.extend(stat_cells(r.stat(m)));
        if verdicts {
            cells.push(String::new());
        }
    }
    cells.join(",")
}

/// A scorecard as CSV: a row per scenario.
pub fn scorecard_csv(card: &Scorecard) -> String {
    let mut out = format!("policy,scenario,runs,partial_runs,{}\n", stat_head(false));
    for r in &card.rows {
        out += &(row_cells(r, false) + "\n");
    }
    out
}

/// The libraries view as CSV: a row per scenario and policy, scenario by scenario.
pub fn libraries_csv(t: &LibraryTable) -> String {
    let mut out = format!("policy,scenario,runs,partial_runs,{}\n", stat_head(false));
    for r in t.scenarios.iter().flat_map(|g| &g.rows) {
        out += &(row_cells(r, false) + "\n");
    }
    out
}

/// A/B as CSV: A's rows, B's rows, then a row of differences per scenario.
pub fn comparison_csv(ab: &Comparison) -> String {
    let mut out = format!(
        "side,policy,scenario,runs,partial_runs,{}\n",
        stat_head(true)
    );
    for (side, card) in [("a", &ab.a), ("b", &ab.b)] {
        for r in &card.rows {
            out += &format!("{side},{}\n", row_cells(r, true));
        }
    }
    for d in &ab.deltas {
        let mut cells = vec![
            "b-a".to_string(),
            String::new(),
            csv_cell(&d.scenario).into_owned(),
            String::new(),
            String::new(),
        ];
        for m in Metric::ALL {
            let x = d.deltas.get(m);
            let verdict = match x.verdict {
                Some(Verdict::Better) => "better",
                Some(Verdict::Worse) => "worse",
                Some(Verdict::Same) => "same",
                None => "",
            };
            cells.extend([num(x.delta), String::new(), String::new(), String::new()]);
            cells.push(verdict.into());
        }
        out += &(cells.join(",") + "\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use herdsim::suite::{PerMetric, RunFigures};

    /// A scorecard whose every figure is `x` (time to recover: never when `never`).
    fn card(policy: &str, x: f64, never: bool) -> Scorecard {
        let runs = [RunFigures {
            seed: 1,
            partial: false,
            values: PerMetric::from_fn(|m| (!(never && m == Metric::TimeToRecover)).then_some(x)),
        }];
        Scorecard {
            policy: policy.into(),
            seeds: vec![1],
            rows: SCENARIOS
                .iter()
                .map(|s| Row::of(s.name, policy, &runs))
                .collect(),
        }
    }

    #[test]
    fn comparison_csv_has_a_rows_b_rows_then_b_minus_a_with_verdicts() {
        let ab = Comparison::of(card("p,a", 0.5, true), card("b", 0.75, false));
        let csv = comparison_csv(&ab);
        let lines: Vec<&str> = csv.lines().collect();
        let head: Vec<&str> = lines[0].split(',').collect();
        assert_eq!(
            head[..6],
            [
                "side",
                "policy",
                "scenario",
                "runs",
                "partial_runs",
                "availability_mean"
            ]
        );
        assert_eq!(head.len(), 5 + 5 * Metric::ALL.len());
        assert_eq!(lines.len(), 1 + 3 * SCENARIOS.len());
        assert!(
            lines[1].starts_with("a,\"p,a\",short-outage,1,0,0.5,0.5,0.5,0,"),
            "{}",
            lines[1]
        );
        let delta = lines[1 + 2 * SCENARIOS.len()];
        let cells: Vec<&str> = delta.split(',').collect();
        assert_eq!(cells[..5], ["b-a", "", "short-outage", "", ""]);
        let col = |key: &str| head.iter().position(|h| *h == key).unwrap();
        assert_eq!(cells[col("availability_mean")], "0.25");
        assert_eq!(cells[col("availability_verdict")], "better");
        assert_eq!(cells[col("amplification_verdict")], "worse");
        assert_eq!(cells[col("rejected_by_breaker_verdict")], "");
        // never → 0.75 s: no difference to give, but recovering is better
        assert_eq!(cells[col("time_to_recover_ms_mean")], "");
        assert_eq!(cells[col("time_to_recover_ms_verdict")], "better");
    }

    #[test]
    fn text_tables_align_their_columns_and_read_never() {
        let text = scorecard_text(&card("a", 2.0, true));
        let lines: Vec<&str> = text.lines().collect();
        let width = |l: &str| l.chars().count();
        for l in &lines[2..2 + SCENARIOS.len()] {
            assert_eq!(width(l), width(lines[1]), "{l}");
            assert!(
                l.contains("never") && l.contains("200.00%") && l.contains("2×"),
                "{l}"
            );
        }
        let ab = comparison_text(&Comparison::of(card("a", 2.0, true), card("b", 1.0, false)));
        assert!(ab.contains("−100.00 pp ✗"), "{ab}");
        assert!(ab.contains("−1× ✓"), "{ab}");
        assert!(ab.contains("— ✓"), "never to 1 ms reads better: {ab}");
        let libs = libraries_text(&LibraryTable::of(&[
            card("a", 1.0, false),
            card("b", 1.0, false),
        ]));
        assert_eq!(
            libs.lines().filter(|l| l.starts_with("  a ")).count(),
            SCENARIOS.len()
        );
    }
}
