//! How many SLA deadlines a core computes a second: `cargo bench -p sambandh-domain --bench sla`.
//!
//! A Chennai branch (Asia/Kolkata, `Mon-Fri 09:30-18:00; Sat 10:00-14:00`, 20 holidays a
//! year) and a London one (Europe/London, the same hours, so daylight saving applies),
//! each with 4,096 receipt instants spread over 2026–2028; each measured iteration
//! computes the deadline of every one of them. The throughput criterion prints is
//! deadlines a second.
#![expect(clippy::unwrap_used, reason = "a benchmark that cannot set up should panic")]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use sambandh_domain::{BusinessCalendar, SlaTarget, WeeklyHours, due};

const HOURS: &str = "Mon-Fri 09:30-18:00; Sat 10:00-14:00";
const RECEIPTS: usize = 4096;

/// 20 days off a year in 2026–2028, about every 18 days.
fn holidays() -> Vec<Date> {
    let mut days = Vec::new();
    for year in 2026..=2028 {
        let first = Date::new(year, 1, 1).unwrap();
        days.extend((0..20).map(|n| first.checked_add(jiff::Span::new().days(5 + n * 18)).unwrap()));
    }
    days
}

/// Instants spread over 2026–2028, to the nanosecond, from a fixed seed.
fn receipts() -> Vec<Timestamp> {
    let from = Timestamp::from_second(1_767_225_600).unwrap(); // 2026-01-01T00:00:00Z
    let mut state: u64 = 0x5EED_5A3B_A2D4_0001;
    (0..RECEIPTS)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let nanos = i64::try_from((state >> 11) % (3 * 365 * 86_400 * 1_000_000_000)).unwrap();
            from.checked_add(SignedDuration::from_nanos(nanos)).unwrap()
        })
        .collect()
}

fn bench_due(c: &mut Criterion) {
    let receipts = receipts();
    let targets = [
        ("end_of_business_day", SlaTarget::EndOfBusinessDay),
        ("within_4h", SlaTarget::Within(SignedDuration::from_hours(4))),
    ];
    let mut group = c.benchmark_group("due");
    group.throughput(Throughput::Elements(RECEIPTS as u64));
    for zone in ["Asia/Kolkata", "Europe/London"] {
        let calendar =
            BusinessCalendar::new(TimeZone::get(zone).unwrap(), WeeklyHours::parse(HOURS).unwrap(), holidays());
        for (name, target) in &targets {
            group.bench_function(format!("{zone}/{name}"), |b| {
                b.iter(|| {
                    for &received in &receipts {
                        black_box(due(&calendar, black_box(received), target, SignedDuration::ZERO));
                    }
                });
            });
        }
        // A paused ticket: the end-of-day deadline pushed on by 45 working minutes.
        group.bench_function(format!("{zone}/end_of_business_day_paused"), |b| {
            b.iter(|| {
                for &received in &receipts {
                    black_box(due(
                        &calendar,
                        black_box(received),
                        &SlaTarget::EndOfBusinessDay,
                        SignedDuration::from_mins(45),
                    ));
                }
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_due);
criterion_main!(benches);
