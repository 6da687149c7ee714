//! Lines over a size axis (tasks, concurrency, threads), one per backend, with markers
//! where a backend stopped (failed or skipped).

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::{colour, or_note};

/// One backend's points.
#[derive(Clone, Debug)]
pub struct Series {
    /// Backend (or backend and run).
    pub name: String,
    /// (x, y) points, in x order.
    pub points: Vec<(f64, f64)>,
    /// Colour index.
    pub colour: usize,
    /// How the line is drawn, to tell apart series of one backend.
    pub stroke: Stroke,
}

impl Series {
    /// A solid line.
    pub fn new(name: String, points: Vec<(f64, f64)>, colour: usize) -> Series {
        Series {
            name,
            points,
            colour,
            stroke: Stroke::Solid,
        }
    }
}

/// A line's pattern.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stroke {
    /// A plain line.
    #[default]
    Solid,
    /// Long dashes.
    Dashed,
    /// Short dots.
    Dotted,
    /// Short dashes far apart.
    Sparse,
}

impl Stroke {
    /// Dash length and gap in pixels, for the patterned strokes.
    fn dash(self) -> Option<(u32, u32)> {
        match self {
            Stroke::Solid => None,
            Stroke::Dashed => Some((10, 6)),
            Stroke::Dotted => Some((3, 5)),
            Stroke::Sparse => Some((5, 14)),
        }
    }
}

/// A point where a series stopped, drawn as a cross with a short label.
#[derive(Clone, Debug)]
pub struct Marker {
    /// Where on the x axis.
    pub x: f64,
    /// Where on the y axis (the series' last value, or the axis floor).
    pub y: f64,
    /// What happened, e.g. `threads: OS thread limit`.
    pub label: String,
    /// Colour index of the series it belongs to.
    pub colour: usize,
}

/// A line chart.
#[derive(Clone, Debug)]
pub struct LineChart {
    /// Caption.
    pub title: String,
    /// X axis description.
    pub x_label: String,
    /// Y axis description.
    pub y_label: String,
    /// Log scale on x (sizes that grow by 10x).
    pub log_x: bool,
    /// Log scale on y.
    pub log_y: bool,
    /// The lines.
    pub series: Vec<Series>,
    /// Where lines stopped.
    pub markers: Vec<Marker>,
    /// Vertical lines across the plot, e.g. where a rule of thumb starts to hold.
    pub guides: Vec<Guide>,
}

/// A vertical dashed line at `x` with a label at its top.
#[derive(Clone, Debug)]
pub struct Guide {
    /// Where on the x axis.
    pub x: f64,
    /// What it marks, e.g. `crossover: async faster beyond ±5%`.
    pub label: String,
}

/// Draws `chart` as SVG.
pub fn lines(chart: &LineChart) -> String {
    or_note(draw(chart))
}

fn draw(spec: &LineChart) -> Result<String, String> {
    let points = spec.series.iter().flat_map(|s| s.points.iter().copied());
    let all: Vec<(f64, f64)> = points
        .chain(spec.markers.iter().map(|m| (m.x, m.y)))
        .collect();
    if all.len() < 2 {
        return Err("fewer than two points".into());
    }
    let (x_min, x_max) = bounds(all.iter().map(|p| p.0), spec.log_x);
    let (y_min, y_max) = bounds(all.iter().map(|p| p.1), spec.log_y);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        match (spec.log_x, spec.log_y) {
            (true, true) => plot(
                &root,
                spec,
                (x_min..x_max).log_scale(),
                (y_min..y_max).log_scale(),
            ),
            (true, false) => plot(&root, spec, (x_min..x_max).log_scale(), y_min..y_max),
            (false, true) => plot(&root, spec, x_min..x_max, (y_min..y_max).log_scale()),
            (false, false) => plot(&root, spec, x_min..x_max, y_min..y_max),
        }?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

fn bounds(values: impl Iterator<Item = f64>, log: bool) -> (f64, f64) {
    let values: Vec<f64> = values
        .filter(|v| v.is_finite() && (!log || *v > 0.0))
        .collect();
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if log {
        (min / 1.5, max * 1.5)
    } else {
        (0.0_f64.min(min), max * 1.1 + f64::MIN_POSITIVE)
    }
}

fn plot<X, Y>(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    spec: &LineChart,
    x: X,
    y: Y,
) -> Result<(), String>
where
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(root)
        .caption(&spec.title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(80)
        .build_cartesian_2d(x, y)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 15))
        .x_desc(spec.x_label.as_str())
        .y_desc(spec.y_label.as_str())
        .x_label_formatter(&|v| crate::format::number(*v))
        .y_label_formatter(&|v| crate::format::number(*v))
        .draw()
        .map_err(|e| e.to_string())?;
    for series in &spec.series {
        let style = colour(series.colour).stroke_width(2);
        let points = series.points.iter().copied();
        let drawn = match series.stroke.dash() {
            None => chart.draw_series(LineSeries::new(points, style)),
            Some((size, gap)) => chart.draw_series(DashedLineSeries::new(points, size, gap, style)),
        }
        .map_err(|e| e.to_string())?;
        match series.stroke.dash() {
            None => drawn
                .label(series.name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style)),
            Some((size, gap)) => drawn.label(series.name.as_str()).legend(move |(x, y)| {
                DashedPathElement::new(vec![(x, y), (x + 20, y)], size, gap, style)
            }),
        };
        chart
            .draw_series(
                series
                    .points
                    .iter()
                    .map(|&p| Circle::new(p, 3, colour(series.colour).filled())),
            )
            .map_err(|e| e.to_string())?;
    }
    let (y_low, y_high) = {
        let range = chart.y_range();
        (range.start, range.end)
    };
    for guide in &spec.guides {
        let style = BLACK.mix(0.55).stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new(
                [(guide.x, y_low), (guide.x, y_high)],
                8,
                6,
                style,
            ))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series([Text::new(
                guide.label.clone(),
                (guide.x, y_high),
                ("sans-serif", 14).into_font(),
            )])
            .map_err(|e| e.to_string())?;
    }
    for marker in &spec.markers {
        let style = colour(marker.colour).stroke_width(3);
        chart
            .draw_series([Cross::new((marker.x, marker.y), 7, style)])
            .map_err(|e| e.to_string())?;
        chart
            .draw_series([Text::new(
                marker.label.clone(),
                (marker.x, marker.y),
                ("sans-serif", 14).into_font(),
            )])
            .map_err(|e| e.to_string())?;
    }
    chart
        .configure_series_labels()
        .label_font(("sans-serif", 14))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(())
}
