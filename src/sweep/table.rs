//! A finished sweep as a table: one row a point, its axis values and each metric's
//! [`Stats`] over the seeds; written as JSON or CSV, the same from the CLI and the page.
//!
//! JSON (keys in this order; metrics in the order asked for):
//!
//! ```text
//! {"vary": ["policy.max_attempts"], "seeds": 5,
//!  "points": [{"values": {"policy.max_attempts": 1},
//!              "mean": {"availability": 0.97, …}, "min": {…}, "max": {…},
//!              "p10": {…}, "p90": {…}, "count": {"availability": 5, …}}, …]}
//! ```
//!
//! `count` is how many seeds had a value for the metric (see [`Stats`]); a figure no seed
//! had is `null`. CSV: a header of the axis paths, then for each metric `m_mean, m_min,
//! m_max, m_p10, m_p90, m_count`; one row per point; an empty cell where JSON has `null`.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::sweep::Stats;

/// A finished sweep: rows in point order.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub(crate) vary: Vec<String>,
    pub(crate) seeds: u32,
    pub(crate) metrics: Vec<String>,
    pub(crate) points: Vec<Row>,
}

/// One point: its values on each axis and each metric's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Each axis's value as `--set` takes it (`3`, `0.25`), in axis order.
    pub texts: Vec<String>,
    /// Those values as numbers (whole numbers for whole fields).
    pub values: Vec<Value>,
    /// Each metric's figures, in metric order.
    pub stats: Vec<Stats>,
}

impl Table {
    /// The axes' paths.
    pub fn vary(&self) -> &[String] {
        &self.vary
    }

    /// Seeds per point.
    pub fn seeds(&self) -> u32 {
        self.seeds
    }

    /// The metrics' names, in order.
    pub fn metrics(&self) -> &[String] {
        &self.metrics
    }

    /// The points, in order.
    pub fn points(&self) -> &[Row] {
        &self.points
    }

    /// The figures of metric `name` at every point, in point order.
    pub fn column(&self, name: &str) -> Option<Vec<Stats>> {
        let m = self.metrics.iter().position(|x| x == name)?;
        Some(self.points.iter().map(|p| p.stats[m]).collect())
    }

    /// As pretty-printed JSON (see the module's notes), with a final line break.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).map_or_else(|e| e.to_string(), |s| s + "\n")
    }

    /// As CSV (see the module's notes).
    pub fn to_csv(&self) -> String {
        let mut head: Vec<String> = self.vary.clone();
        for m in &self.metrics {
            for (f, _) in Stats::default().figures() {
                head.push(format!("{m}_{f}"));
            }
            head.push(format!("{m}_count"));
        }
        let mut out = head.join(",") + "\n";
        for p in &self.points {
            let mut cells = p.texts.clone();
            for s in &p.stats {
                for (_, v) in s.figures() {
                    cells.push(v.map_or(String::new(), |x| format!("{x}")));
                }
                cells.push(s.count.to_string());
            }
            out += &(cells.join(",") + "\n");
        }
        out
    }
}

/// A map written in the order given.
struct Ordered<'a, V>(Vec<(&'a str, V)>);

impl<V: Serialize> Serialize for Ordered<'_, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

struct Point<'a>(&'a Table, &'a Row);

impl Serialize for Point<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Point(t, row) = self;
        let mut map = s.serialize_map(Some(7))?;
        let values = t.vary.iter().map(String::as_str).zip(row.values.iter());
        map.serialize_entry("values", &Ordered(values.collect()))?;
        for (i, (figure, _)) in Stats::default().figures().into_iter().enumerate() {
            let col = (t.metrics.iter().zip(&row.stats))
                .map(|(m, st)| (m.as_str(), st.figures()[i].1))
                .collect();
            map.serialize_entry(figure, &Ordered(col))?;
        }
        let count = (t.metrics.iter().zip(&row.stats))
            .map(|(m, st)| (m.as_str(), st.count))
            .collect();
        map.serialize_entry("count", &Ordered(count))?;
        map.end()
    }
}

impl Serialize for Table {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("vary", &self.vary)?;
        map.serialize_entry("seeds", &self.seeds)?;
        let points: Vec<Point> = self.points.iter().map(|p| Point(self, p)).collect();
        map.serialize_entry("points", &points)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table() -> Table {
        let st = |v: &[Option<f64>]| Stats::of(v);
        Table {
            vary: vec!["policy.max_attempts".into(), "budget.token_ratio".into()],
            seeds: 2,
            metrics: vec!["availability".into(), "time_to_recover_ms".into()],
            points: vec![
                Row {
                    texts: vec!["1".into(), "0.5".into()],
                    values: vec![json!(1), json!(0.5)],
                    stats: vec![st(&[Some(0.5), Some(1.0)]), st(&[None, Some(250.0)])],
                },
                Row {
                    texts: vec!["2".into(), "0.5".into()],
                    values: vec![json!(2), json!(0.5)],
                    stats: vec![st(&[Some(1.0), Some(1.0)]), st(&[None, None])],
                },
            ],
        }
    }

    #[test]
    fn json_has_the_shape_and_order_asked_for() {
        let text = table().to_json();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["points"][0],
            json!({
                "values": {"policy.max_attempts": 1, "budget.token_ratio": 0.5},
                "mean": {"availability": 0.75, "time_to_recover_ms": 250.0},
                "min": {"availability": 0.5, "time_to_recover_ms": 250.0},
                "max": {"availability": 1.0, "time_to_recover_ms": 250.0},
                "p10": {"availability": 0.55, "time_to_recover_ms": 250.0},
                "p90": {"availability": 0.95, "time_to_recover_ms": 250.0},
                "count": {"availability": 2, "time_to_recover_ms": 1},
            })
        );
        assert_eq!(v["points"][1]["mean"]["time_to_recover_ms"], Value::Null);
        assert_eq!(
            v["vary"],
            json!(["policy.max_attempts", "budget.token_ratio"])
        );
        assert_eq!(v["seeds"], 2);
        // keys in the order given, not sorted
        let at = |k: &str| text.find(k).unwrap();
        assert!(at("\"vary\"") < at("\"seeds\"") && at("\"seeds\"") < at("\"points\""));
        assert!(at("\"policy.max_attempts\": 1") < at("\"budget.token_ratio\": 0.5"));
        assert!(at("\"mean\"") < at("\"min\"") && at("\"p90\"") < at("\"count\""));
        assert!(!text.contains("NaN"));
    }

    #[test]
    fn csv_has_a_header_and_a_row_per_point() {
        let csv = table().to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "policy.max_attempts,budget.token_ratio,\
             availability_mean,availability_min,availability_max,availability_p10,availability_p90,availability_count,\
             time_to_recover_ms_mean,time_to_recover_ms_min,time_to_recover_ms_max,time_to_recover_ms_p10,time_to_recover_ms_p90,time_to_recover_ms_count"
        );
        assert_eq!(
            lines[1],
            "1,0.5,0.75,0.5,1,0.55,0.95,2,250,250,250,250,250,1"
        );
        assert_eq!(lines[2], "2,0.5,1,1,1,1,1,2,,,,,,0");
        assert_eq!(lines.len(), 3);
    }
}
