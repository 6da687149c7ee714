//! Charts as SVG strings drawn with plotters: one file per kind of chart.

mod bars;
mod lines;

pub use bars::{Bar, bars};
pub use lines::{Guide, LineChart, Marker, Series, Stroke, lines};

use plotters::style::RGBColor;

/// The colour of palette index `index` ([`crate::palette`]), the same in every chart.
fn colour(index: usize) -> RGBColor {
    let (r, g, b) = crate::palette::rgb(index);
    RGBColor(r, g, b)
}

/// Turns a drawing error into an inline note, so one broken chart never breaks the page.
fn or_note(result: Result<String, String>) -> String {
    result.unwrap_or_else(|err| {
        format!(
            "<p class=\"note\">chart unavailable: {}</p>",
            crate::format::escape(&err)
        )
    })
}
