//! The page's colours: one Okabe-Ito hue per backend family (a palette chosen to stay
//! distinguishable under the common colour-vision deficiencies), and shades of it for the
//! backends within a family, the same on every chart. Okabe-Ito's yellow and sky blue are
//! left out: too little contrast on white.

use shootout_core::Family;
use shootout_core::results::RunResults;

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

/// The backends of one page with their families, in the order the results list them (the
/// run's registry order), so each keeps one colour in every chart and one place in every
/// per-backend table.
#[derive(Clone, Debug, Default)]
pub struct Palette {
    backends: Vec<(String, Family)>,
}

impl Palette {
    /// The palette of a page made from `runs`.
    pub fn of(runs: &[RunResults]) -> Palette {
        let mut backends: Vec<(String, Family)> = Vec::new();
        for cell in runs.iter().flat_map(|r| &r.cells) {
            if !backends.iter().any(|(name, _)| *name == cell.backend) {
                backends.push((cell.backend.clone(), cell.family()));
            }
        }
        Palette { backends }
    }

    /// A backend's colour index: its family's hue, in the shade of its place within the
    /// family. A backend the page does not list gets the baseline's black.
    pub fn colour(&self, backend: &str) -> usize {
        let Some(at) = self.backends.iter().position(|(b, _)| b == backend) else {
            return index(Family::Sequential, 1);
        };
        let family = self.backends[at].1;
        let shade = self.backends[..at]
            .iter()
            .filter(|(_, f)| *f == family)
            .count();
        index(family, shade)
    }

    /// A backend's place in per-backend tables: the order the results list backends in.
    pub fn position(&self, backend: &str) -> usize {
        self.backends
            .iter()
            .position(|(b, _)| b == backend)
            .unwrap_or(self.backends.len())
    }
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
