//! The whole trends page (every figure, monthly, all activities) over a generated year of one
//! organisation, and over ten times that. Results: `cargo xtask bench` -> docs/BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use spor_core::demo::{DemoSize, generate};
use spor_core::organisation::ReportingSettings;
use spor_core::period::Granularity;
use spor_core::trends::{Query, Trends};

fn trends_page(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("a valid date");
    let query = Query {
        from: today - chrono::Days::new(364),
        to: today,
        granularity: Granularity::Month,
        activity: None,
        settings: ReportingSettings::default(),
    };
    let year = DemoSize::YEAR;
    let ten_years_worth = DemoSize {
        activities: year.activities * 10,
        participants: year.participants * 10,
        attendances: year.attendances * 10,
        responses: year.responses * 10,
    };
    let mut group = c.benchmark_group("trends_page");
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    for (name, size) in [("year", year), ("year_x10", ten_years_worth)] {
        let data = generate(size, 2026, today, spor_core::Language::Da).dataset();
        group.bench_function(name, |b| {
            b.iter(|| Trends::compute(black_box(&data), black_box(&query)))
        });
    }
    group.finish();
}

criterion_group!(benches, trends_page);
criterion_main!(benches);
