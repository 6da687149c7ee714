//! Horizontal bars with min..max whiskers: one bar per backend.

use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordu32};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// A bar whose median exceeds this many times every other bar's largest trial runs off a
/// broken axis, so the others stay readable.
const DWARFS: f64 = 4.0;

/// Where the axis ends: past every bar, or, when one or more bars dwarf the rest (a
/// sequential baseline that does no concurrency at all), past the rest, those bars broken.
fn axis_end(rows: &[Bar]) -> (f64, Vec<usize>) {
    let reach = |r: &Bar| r.max.max(r.median);
    let all = rows.iter().map(reach).fold(0.0, f64::max);
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| rows[b].median.total_cmp(&rows[a].median));
    // The largest cut that leaves at least two bars on the scale.
    for cut in 1..rows.len().saturating_sub(1) {
        let rest = order[cut..]
            .iter()
            .map(|&i| reach(&rows[i]))
            .fold(0.0, f64::max);
        if rest > 0.0 && rows[order[cut - 1]].median > DWARFS * rest {
            return (rest * 1.25, order[..cut].to_vec());
        }
    }
    (all * 1.08, Vec::new())
}

fn draw(title: &str, unit: &str, rows: &[Bar]) -> Result<String, String> {
    match rows.len() {
        0 => return Err("no verified cells".into()),
        1 => return Err("one verified cell, nothing to compare it with".into()),
        _ => {}
    }
    let (x_max, broken) = axis_end(rows);
    let x_max = if x_max.is_finite() && x_max > 0.0 {
        x_max
    } else {
        1.0
    };
    let caption = if broken.is_empty() {
        title.to_string()
    } else {
        format!("{title}, axis broken")
    };
    let mut svg = String::new();
    {
        let n = rows.len() as u32;
        let height = 110 + 38 * n;
        let root = SVGBackend::with_string(&mut svg, (1000, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        // One segment per row: segments run from the bottom, row 0 on top.
        let mut chart = ChartBuilder::on(&root)
            .caption(&caption, ("sans-serif", 24))
            .margin(10)
            .x_label_area_size(56)
            .y_label_area_size(230)
            .build_cartesian_2d(0f64..x_max, (0u32..n - 1).into_segmented())
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .label_style(("sans-serif", 20))
            .axis_desc_style(("sans-serif", 20))
            .x_desc(unit)
            .x_labels(6)
            .x_label_formatter(&|v| crate::format::number(*v))
            .y_labels(rows.len())
            .y_label_formatter(&|v| match v {
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
        let segment = |i: usize| n - 1 - i as u32;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, row)| {
                let mut bar = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(segment(i))),
                        (row.median.min(x_max), SegmentValue::Exact(segment(i) + 1)),
                    ],
                    colour(row.colour).mix(0.8).filled(),
                );
                bar.set_margin(4, 4, 0, 0);
                bar
            }))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(
                rows.iter()
                    .enumerate()
                    .filter(|(i, _)| !broken.contains(i))
                    .map(|(i, row)| {
                        let y = SegmentValue::CenterOf(segment(i));
                        PathElement::new(
                            vec![(row.min, y.clone()), (row.max.min(x_max), y)],
                            BLACK.stroke_width(2),
                        )
                    }),
            )
            .map_err(|e| e.to_string())?;
        mark_broken(&mut chart, rows, &broken, x_max)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The chart [`draw`] draws on: values across, one segment per row.
type BarChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordu32>>>;

/// Each broken bar (`broken`, indices into `rows`): a white gap near the end of the axis,
/// and its value written on it.
fn mark_broken(
    chart: &mut BarChart<'_, '_>,
    rows: &[Bar],
    broken: &[usize],
    x_max: f64,
) -> Result<(), String> {
    let n = rows.len() as u32;
    let segment = |i: usize| n - 1 - i as u32;
    for &i in broken {
        let row = &rows[i];
        let y = SegmentValue::CenterOf(segment(i));
        let gap = [
            (x_max * 0.90, SegmentValue::Exact(segment(i))),
            (x_max * 0.92, SegmentValue::Exact(segment(i) + 1)),
        ];
        chart
            .draw_series(std::iter::once(Rectangle::new(gap, WHITE.filled())))
            .map_err(|e| e.to_string())?;
        let label = format!(
            "{} [{}–{}] off the scale",
            crate::format::number(row.median),
            crate::format::number(row.min),
            crate::format::number(row.max)
        );
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (x_max * 0.02, y),
                ("sans-serif", 18)
                    .into_font()
                    .color(&WHITE)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            )))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, median: f64) -> Bar {
        Bar {
            label: label.into(),
            median,
            min: median * 0.9,
            max: median * 1.1,
            colour: 0,
        }
    }

    #[test]
    fn a_bar_that_dwarfs_the_rest_breaks_the_axis() {
        let rows = [bar("a", 3.0), bar("baseline", 800.0), bar("b", 5.0)];
        let (end, broken) = axis_end(&rows);
        assert_eq!(broken, vec![1]);
        assert!((end - 5.5 * 1.25).abs() < 1e-9, "{end}");
        // Comparable bars keep one axis.
        let rows = [bar("a", 3.0), bar("b", 5.0), bar("c", 9.0)];
        let (end, broken) = axis_end(&rows);
        assert!(broken.is_empty());
        assert!((end - 9.9 * 1.08).abs() < 1e-9);
    }

    #[test]
    fn every_row_is_labelled_and_none_is_blank() {
        let rows = [bar("first", 3.0), bar("second", 5.0), bar("third", 800.0)];
        let svg = draw("t", "u", &rows).unwrap();
        for label in ["first", "second", "third"] {
            assert!(svg.contains(&format!(">\n{label}\n<")), "{label}");
        }
        assert!(svg.contains("off the scale"));
        // A single bar compares nothing: a note instead of a chart.
        assert!(draw("t", "u", &[bar("only", 1.0)]).is_err());
        // No empty segment above the first row: its label sits in the top row's band.
        let two = draw("t", "u", &[bar("top", 1.0), bar("bottom", 2.0)]).unwrap();
        let y = |label: &str| -> f64 {
            let at = two.find(&format!(">\n{label}\n<")).unwrap();
            let tag = &two[two[..at].rfind("<text").unwrap()..at];
            let y = tag.split(" y=\"").nth(1).unwrap();
            y[..y.find('"').unwrap()].parse().unwrap()
        };
        let height = 110.0 + 38.0 * 2.0;
        // Caption and margin above, the x axis below: the two rows share the plot evenly.
        assert!(y("top") < height / 2.0 && y("bottom") > height / 2.0 - 10.0);
        assert!(y("top") < 0.45 * height, "top row label at {}", y("top"));
    }
}
