//! A step's own link: the fragment `tour=<name>&step=<n>` (1-based), with the
//! interventions made in it, in order (`&do=down@30000,down@40000`: a lever's code and the
//! simulated ms it was pulled at), made and read back strictly. Reading never panics and looks at no more than [`MAX_FRAGMENT`] characters; a
//! bad fragment gets a message saying what is wrong.

use std::fmt;

use crate::sim::scenario::bounds::shorten;
use crate::sim::scenario::intervene::Lever;

use super::MAX_STEPS;

/// Longest fragment read (characters).
pub const MAX_FRAGMENT: usize = 256;

/// Longest tour name (characters).
pub const MAX_NAME: usize = 64;

/// Most interventions one link replays.
pub const MAX_PULLS: usize = 12;

/// One intervention of a link: a lever pulled at a time (whole ms of simulated time).
pub type Pull = (Lever, u64);

/// Which slide of which tour a link opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TourLink {
    tour: String,
    step: usize,
    pulls: Vec<Pull>,
}

/// Whether `name` may name a tour: 1 to [`MAX_NAME`] ASCII letters, digits, `-` or `_`
/// (so that it needs no escaping in a link).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl TourLink {
    /// The link to step `step` (1-based) of tour `tour`, or why there is none.
    pub fn new(tour: &str, step: usize) -> Result<TourLink, String> {
        if !valid_name(tour) {
            return Err(format!(
                "tour = {:?}: allowed 1 to {MAX_NAME} letters, digits, - or _",
                shorten(tour)
            ));
        }
        if !(1..=MAX_STEPS).contains(&step) {
            return Err(format!("step = {step}: allowed 1..={MAX_STEPS}"));
        }
        Ok(TourLink {
            tour: tour.to_string(),
            step,
            pulls: Vec::new(),
        })
    }

    /// The same link with these interventions (at most [`MAX_PULLS`]; more are refused).
    pub fn with_pulls(self, pulls: Vec<Pull>) -> Result<TourLink, String> {
        if pulls.len() > MAX_PULLS {
            return Err(format!(
                "{} interventions; a link holds at most {MAX_PULLS}",
                pulls.len()
            ));
        }
        Ok(TourLink { pulls, ..self })
    }

    /// The interventions made in the step, in order.
    pub fn pulls(&self) -> &[Pull] {
        &self.pulls
    }

    /// The tour's name.
    pub fn tour(&self) -> &str {
        &self.tour
    }

    /// The step, counted from 1 as the slides are.
    pub fn step(&self) -> usize {
        self.step
    }

    /// The fragment, without the `#`: `tour=handling-failures&step=4`.
    pub fn fragment(&self) -> String {
        let mut f = format!("tour={}&step={}", self.tour, self.step);
        if !self.pulls.is_empty() {
            let pulls: Vec<String> = self
                .pulls
                .iter()
                .map(|(l, t)| format!("{}@{t}", l.code()))
                .collect();
            f = format!("{f}&do={}", pulls.join(","));
        }
        f
    }

    /// Whether a fragment (with or without `#`) is meant as a tour link, good or bad, as
    /// opposed to a share link (`v2.…`): it starts with `tour=` or `step=`.
    pub fn is_tour_fragment(fragment: &str) -> bool {
        let f = fragment.strip_prefix('#').unwrap_or(fragment);
        f.starts_with("tour=") || f.starts_with("step=")
    }

    /// Read a fragment (with or without the `#`): exactly `tour` and `step`, each once, in
    /// either order; the step a whole number 1..=[`MAX_STEPS`] written without sign or
    /// leading zero.
    ///
    /// ```
    /// use herdsim::tour::TourLink;
    /// let link = TourLink::parse("#tour=handling-failures&step=4").unwrap();
    /// assert_eq!((link.tour(), link.step()), ("handling-failures", 4));
    /// assert_eq!(TourLink::parse(&link.fragment()), Ok(link));
    /// assert!(TourLink::parse("tour=handling-failures&step=0").unwrap_err().contains("step"));
    /// ```
    pub fn parse(fragment: &str) -> Result<TourLink, String> {
        let f = fragment.strip_prefix('#').unwrap_or(fragment);
        if f.len() > MAX_FRAGMENT {
            return Err(format!(
                "the tour link is {} characters long; a tour link has at most {MAX_FRAGMENT}",
                f.len()
            ));
        }
        if f.is_empty() {
            return Err("the tour link is empty; expected tour=NAME&step=N".into());
        }
        let (mut tour, mut step, mut pulls) = (None, None, None);
        for part in f.split('&') {
            let Some((key, value)) = part.split_once('=') else {
                return Err(format!(
                    "`{}` in the tour link is not key=value; expected tour=NAME&step=N",
                    shorten(part)
                ));
            };
            let slot = match key {
                "tour" => &mut tour,
                "step" => &mut step,
                "do" => &mut pulls,
                other => {
                    return Err(format!(
                        "unknown part `{}` in the tour link; allowed: tour, step, do",
                        shorten(other)
                    ))
                }
            };
            if slot.replace(value).is_some() {
                return Err(format!("`{key}` is given twice in the tour link"));
            }
        }
        let tour = tour.ok_or("the tour link has no tour=NAME")?;
        let step = step.ok_or("the tour link has no step=N")?;
        let canonical = !step.is_empty()
            && step.len() <= 3
            && step.bytes().all(|b| b.is_ascii_digit())
            && !step.starts_with('0');
        let n = step.parse::<usize>().ok().filter(|_| canonical);
        let link = match n {
            Some(n) => TourLink::new(tour, n).map_err(|e| format!("in the tour link, {e}"))?,
            None => {
                return Err(format!(
                    "in the tour link, step = {:?}: allowed a whole number 1..={MAX_STEPS}",
                    shorten(step)
                ))
            }
        };
        match pulls {
            None => Ok(link),
            Some(text) => link
                .with_pulls(read_pulls(text)?)
                .map_err(|e| format!("in the tour link, {e}")),
        }
    }
}

/// `down@30000,spike@12000` read back: levers' codes and whole milliseconds.
fn read_pulls(text: &str) -> Result<Vec<Pull>, String> {
    let codes = || {
        Lever::ALL
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let parts: Vec<&str> = text.split(',').collect();
    if parts.len() > MAX_PULLS {
        return Err(format!(
            "in the tour link, do = {} interventions; allowed at most {MAX_PULLS}",
            parts.len()
        ));
    }
    parts
        .into_iter()
        .map(|p| {
            let bad = || {
                format!(
                    "in the tour link, do = {:?}: allowed LEVER@MS, LEVER one of {}, MS a whole number of milliseconds",
                    shorten(p),
                    codes()
                )
            };
            let (code, ms) = p.split_once('@').ok_or_else(bad)?;
            let lever = Lever::from_code(code).ok_or_else(bad)?;
            let ok = !ms.is_empty() && ms.len() <= 10 && ms.bytes().all(|b| b.is_ascii_digit());
            let t = ms.parse::<u64>().ok().filter(|_| ok).ok_or_else(bad)?;
            Ok((lever, t))
        })
        .collect()
}

impl fmt::Display for TourLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.fragment())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_writes_in_either_order_and_with_or_without_the_hash() {
        let link = TourLink::new("handling-failures", 10).unwrap();
        assert_eq!(link.fragment(), "tour=handling-failures&step=10");
        assert_eq!(link.to_string(), "#tour=handling-failures&step=10");
        for text in [
            "tour=handling-failures&step=10",
            "#tour=handling-failures&step=10",
            "step=10&tour=handling-failures",
        ] {
            assert_eq!(TourLink::parse(text).as_ref(), Ok(&link), "{text}");
        }
        assert!(TourLink::is_tour_fragment("#tour=x&step=1"));
        let pulled = link
            .clone()
            .with_pulls(vec![(Lever::Down, 30_000), (Lever::Spike, 0)])
            .unwrap();
        assert_eq!(
            pulled.fragment(),
            "tour=handling-failures&step=10&do=down@30000,spike@0"
        );
        assert_eq!(TourLink::parse(&pulled.fragment()), Ok(pulled));
        assert!(!TourLink::is_tour_fragment("#v2.abc"));
    }

    #[test]
    fn refuses_every_bad_fragment_with_a_message_naming_the_part() {
        let cases = [
            ("", "empty"),
            ("#", "empty"),
            ("tour=a", "no step"),
            ("step=1", "no tour"),
            ("tour=a&step=1&step=2", "given twice"),
            ("tour=a&tour=b&step=1", "given twice"),
            ("tour=a&step=1&x=2", "unknown part `x`"),
            ("tour=a&step", "not key=value"),
            ("tour=a&step=0", "step = \"0\""),
            ("tour=a&step=41", "step = 41"),
            ("tour=a&step=01", "step = \"01\""),
            ("tour=a&step=+1", "step = \"+1\""),
            ("tour=a&step=-1", "step = \"-1\""),
            ("tour=a&step=1.0", "step = \"1.0\""),
            ("tour=a&step=", "step = \"\""),
            ("tour=a&step=99999999999999999999999", "step = "),
            ("tour=&step=1", "tour = \"\""),
            ("tour=a b&step=1", "tour = \"a b\""),
            ("tour=a%2Fb&step=1", "tour = "),
            ("tour=é&step=1", "tour = "),
            ("tour=a&step=1&do=", "do = \"\""),
            ("tour=a&step=1&do=down", "LEVER@MS"),
            (
                "tour=a&step=1&do=up@5",
                "one of down, blackhole, spike, slow",
            ),
            ("tour=a&step=1&do=down@-5", "do = \"down@-5\""),
            ("tour=a&step=1&do=down@1.5", "do = \"down@1.5\""),
            ("tour=a&step=1&do=down@99999999999", "do = "),
            ("tour=a&step=1&do=down@1&do=down@2", "given twice"),
        ];
        for (text, want) in cases {
            let e = TourLink::parse(text).expect_err(text);
            assert!(e.contains(want), "{text}: {e}");
        }
        let long = format!("tour={}&step=1", "a".repeat(MAX_FRAGMENT));
        assert!(TourLink::parse(&long).unwrap_err().contains("at most 256"));
        let many = ["down@1"; MAX_PULLS + 1].join(",");
        let e = TourLink::parse(&format!("tour=a&step=1&do={many}")).unwrap_err();
        assert!(e.contains("at most 12"), "{e}");
        // a name of MAX_NAME characters is the longest accepted
        let edge = "a".repeat(MAX_NAME);
        assert!(TourLink::parse(&format!("tour={edge}&step=40")).is_ok());
        assert!(TourLink::parse(&format!("tour={edge}a&step=40")).is_err());
    }
}
