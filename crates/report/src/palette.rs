//! The page's colours: one Okabe-Ito hue per backend family (a palette chosen to stay
//! distinguishable under the common colour-vision deficiencies), and shades of it for the
//! backends within a family, the same on every chart. Okabe-Ito's yellow and sky blue are
//! left out: too little contrast on white.

use shootout_core::Family;

/// Shades per family: a fifth backend of a family repeats the first's.
pub const SHADES: usize = 4;

/// The families in palette order.
const FAMILIES: [Family; 6] = [
    Family::AsyncRuntime,
    Family::IoUringRuntime,
    Family::ThreadPool,
    Family::Threads,
    Family::Processes,
    Family::Sequential,
];

/// Okabe & Ito (2008), "Color Universal Design": blue, bluish green, orange, vermillion,
/// reddish purple and black, one per family in [`FAMILIES`] order.
const HUES: [(u8, u8, u8); 6] = [
    (0, 114, 178),
    (0, 158, 115),
    (230, 159, 0),
    (213, 94, 0),
    (204, 121, 167),
    (0, 0, 0),
];

/// The colour index of the `shade`-th backend of `family` (see [`rgb`]).
pub fn index(family: Family, shade: usize) -> usize {
    let slot = FAMILIES.iter().position(|&f| f == family).unwrap_or(0);
    slot * SHADES + shade % SHADES
}

/// The colour of index `index`: the family's hue, then darker, lighter and lightest shades
/// of it (black's shades are greys).
pub fn rgb(index: usize) -> (u8, u8, u8) {
    let (r, g, b) = HUES[(index / SHADES) % HUES.len()];
    let mix = |c: u8, to: f64, amount: f64| (c as f64 + (to - c as f64) * amount).round() as u8;
    // Black darkens to itself: its second shade is a dark grey instead.
    let (to, amount) = match (index % SHADES, (r, g, b)) {
        (0, _) => (0.0, 0.0),
        (1, (0, 0, 0)) => (255.0, 0.25),
        (1, _) => (0.0, 0.35),
        (2, _) => (255.0, 0.4),
        _ => (255.0, 0.62),
    };
    (mix(r, to, amount), mix(g, to, amount), mix(b, to, amount))
}

/// `#0072b2`.
pub fn hex(index: usize) -> String {
    let (r, g, b) = rgb(index);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Every colour a chart may fill or stroke a series with, for checks.
pub fn all() -> Vec<String> {
    (0..FAMILIES.len() * SHADES).map(hex).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_family_has_its_own_okabe_ito_hue_and_distinct_shades() {
        assert_eq!(hex(index(Family::AsyncRuntime, 0)), "#0072b2");
        assert_eq!(hex(index(Family::ThreadPool, 0)), "#e69f00");
        assert_eq!(hex(index(Family::Sequential, 0)), "#000000");
        let all = all();
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len(), "{all:?}");
        // A fifth backend of a family reuses the first shade, never another family's hue.
        assert_eq!(
            index(Family::AsyncRuntime, SHADES),
            index(Family::AsyncRuntime, 0)
        );
    }
}
