//! Randomness: one small seeded stream per entity ([`rng`]), the ziggurat draws it uses,
//! and the distributions scenarios are written in ([`dist`]).

pub mod dist;
pub mod rng;
mod ziggurat;

/// A uniform float in `[0, 1)` from the top 53 of 64 random bits.
#[inline]
fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}
