//! Small seeded random streams, one per entity.
//!
//! Every entity (a client, a service) owns a [`Rng`] of 8 bytes whose starting state is
//! derived from `(seed, entity id)` alone, so adding an entity never changes another one's
//! draws, and a seed gives the same numbers natively and in wasm. The generator is
//! SplitMix64 (Steele, Lea, Flood 2014), which passes BigCrush; the float transforms use the
//! pure-Rust `libm` so results are bit-identical on every platform.

/// Streams of different kinds of entity never share a key: a client `i` and a service `i`
/// get different streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    /// A client, by index.
    Client(u32),
    /// A service, by index.
    Service(u32),
    /// A replicated service's cluster (crashes, detection, promotion), by service index.
    Failover(u32),
    /// A replicated service's replication lags, by service index.
    Replication(u32),
    /// One node (0 the primary, 1… the replicas) of a replicated service: its random
    /// crashes and repairs.
    Node(u32, u8),
}

/// A SplitMix64 stream: 8 bytes of state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rng(u64);

const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The stream of `entity` under `seed`.
    ///
    /// ```
    /// use herdsim::sim::random::rng::{Entity, Rng};
    /// let mut a = Rng::stream(7, Entity::Client(3));
    /// let mut b = Rng::stream(7, Entity::Client(3));
    /// assert_eq!(a.next_u64(), b.next_u64());
    /// assert_ne!(Rng::stream(7, Entity::Client(4)), Rng::stream(7, Entity::Client(3)));
    /// ```
    pub fn stream(seed: u64, entity: Entity) -> Rng {
        let key = match entity {
            Entity::Client(i) => u64::from(i),
            Entity::Service(i) => (1 << 40) | u64::from(i),
            Entity::Failover(i) => (2 << 40) | u64::from(i),
            Entity::Replication(i) => (3 << 40) | u64::from(i),
            Entity::Node(i, n) => (4 << 40) | (u64::from(i) << 8) | u64::from(n),
        };
        Rng(mix(mix(seed).wrapping_add(mix(key.wrapping_mul(GAMMA)))))
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        mix(self.0)
    }

    /// A uniform float in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        super::unit(self.next_u64())
    }

    /// A uniform integer in `[lo, hi]` (both inclusive; `lo` if `hi <= lo`), by Lemire's
    /// multiply-shift (bias below 2^-64 per draw for the ranges used here).
    #[inline]
    pub fn range_inclusive(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo;
        if span == u64::MAX {
            return self.next_u64();
        }
        let r = (u128::from(self.next_u64()) * u128::from(span + 1)) >> 64;
        lo + r as u64
    }

    /// An exponential draw with the given mean (ziggurat).
    #[inline]
    pub fn exponential(&mut self, mean: f64) -> f64 {
        mean * super::ziggurat::exponential(&mut || self.next_u64())
    }

    /// A standard normal draw (ziggurat).
    #[inline]
    pub fn std_normal(&mut self) -> f64 {
        super::ziggurat::normal(&mut || self.next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_do_not_depend_on_creation_order() {
        let a: Vec<u64> = (0..4)
            .map(|i| Rng::stream(1, Entity::Client(i)).next_u64())
            .collect();
        let b: Vec<u64> = (0..4)
            .rev()
            .map(|i| Rng::stream(1, Entity::Client(i)).next_u64())
            .collect();
        assert_eq!(a, b.into_iter().rev().collect::<Vec<_>>());
        assert_ne!(
            Rng::stream(1, Entity::Client(0)),
            Rng::stream(1, Entity::Service(0))
        );
        assert_ne!(
            Rng::stream(1, Entity::Client(0)),
            Rng::stream(2, Entity::Client(0))
        );
    }

    #[test]
    fn range_stays_in_bounds_and_hits_both_ends() {
        let mut r = Rng::stream(9, Entity::Client(0));
        let (mut lo_hit, mut hi_hit) = (false, false);
        for _ in 0..10_000 {
            let v = r.range_inclusive(3, 7);
            assert!((3..=7).contains(&v));
            lo_hit |= v == 3;
            hi_hit |= v == 7;
        }
        assert!(lo_hit && hi_hit);
        assert_eq!(r.range_inclusive(5, 5), 5);
        assert_eq!(r.range_inclusive(6, 2), 6);
    }

    #[test]
    fn moments_match_the_distributions() {
        let mut r = Rng::stream(42, Entity::Service(1));
        let n = 200_000;
        let (mut su, mut se, mut sn, mut sn2) = (0.0, 0.0, 0.0, 0.0);
        for _ in 0..n {
            su += r.unit();
            se += r.exponential(2.0);
            let z = r.std_normal();
            sn += z;
            sn2 += z * z;
        }
        let n = n as f64;
        assert!((su / n - 0.5).abs() < 0.005, "uniform mean {}", su / n);
        assert!((se / n - 2.0).abs() < 0.03, "exponential mean {}", se / n);
        assert!((sn / n).abs() < 0.01, "normal mean {}", sn / n);
        assert!((sn2 / n - 1.0).abs() < 0.02, "normal variance {}", sn2 / n);
    }
}
