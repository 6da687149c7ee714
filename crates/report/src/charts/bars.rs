//! Horizontal bars with min..max whiskers: one bar per backend.

use plotters::prelude::*;

use super::{colour, or_note};

/// One bar: a label, the median, and the trials' range.
#[derive(Clone, Debug)]
pub struct Bar {
    /// Backend (or backend and run).
    pub label: String,
    /// Median.
    pub median: f64,
    /// Smallest trial.
    pub min: f64,
    /// Largest trial.
    pub max: f64,
    /// Colour index, so a backend keeps its colour across charts.
    pub colour: usize,
}

/// A bar chart of `rows` titled `title`, values in `unit`.
pub fn bars(title: &str, unit: &str, rows: &[Bar]) -> String {
    or_note(draw(title, unit, rows))
}

fn draw(title: &str, unit: &str, rows: &[Bar]) -> Result<String, String> {
    if rows.is_empty() {
        return Err("no verified cells".into());
    }
    let mut svg = String::new();
    {
        let height = 80 + 28 * rows.len() as u32;
        let root = SVGBackend::with_string(&mut svg, (1000, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let x_max = rows.iter().map(|r| r.max.max(r.median)).fold(0.0, f64::max) * 1.08;
        let n = rows.len() as u32;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(170)
            .build_cartesian_2d(
                0f64..x_max.max(f64::MIN_POSITIVE),
                (0u32..n).into_segmented(),
            )
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 15))
            .x_desc(unit)
            .x_label_formatter(&|v| crate::format::number(*v))
            .y_labels(rows.len())
            .y_label_formatter(&|v| match v {
                // Segment 0 is at the bottom; rows run top-down, so segment i shows row n-1-i.
                SegmentValue::CenterOf(i) => rows
                    .len()
                    .checked_sub(1 + *i as usize)
                    .and_then(|row| rows.get(row))
                    .map(|r| r.label.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, row)| {
                let i = n - 1 - i as u32;
                let mut bar = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(i)),
                        (row.median, SegmentValue::Exact(i + 1)),
                    ],
                    colour(row.colour).mix(0.75).filled(),
                );
                bar.set_margin(3, 3, 0, 0);
                bar
            }))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, row)| {
                let y = SegmentValue::CenterOf(n - 1 - i as u32);
                PathElement::new(
                    vec![(row.min, y.clone()), (row.max, y)],
                    BLACK.stroke_width(2),
                )
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}
