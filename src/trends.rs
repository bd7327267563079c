//! Trends: the coordinator's key figures and charts for a period, with goals, reflections and
//! the export for funders. The figures are computed in `spor_core::trends`; these files lay them out.

pub mod chart_frame;
pub mod charts;
pub mod export_section;
pub mod goals_section;
pub mod mean_chart;
pub mod page;
pub mod reflections_section;
pub mod stacked_bars;
pub mod stories_section;
