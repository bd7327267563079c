//! Server ingest under load (`cargo xtask bench`): 100 paired devices push check-ins concurrently
//! for 30 s to a real server on 127.0.0.1, each waiting for its answer before the next push. Prints
//! (and with SPOR_BENCH_OUT writes) records/s, push latency percentiles and the error count. The
//! data goes to a temporary SQLite file, or with SPOR_BENCH_STORAGE=postgres to a PostgreSQL
//! server the bench starts on 127.0.0.1 (as the server tests do).
//!
//! With SPOR_BENCH_SCENARIO=largest-bodies instead: one coordinator's device pushes the largest
//! body it may (4 MiB of patches the rulebook refuses, so every byte is read and nothing is
//! stored) as fast as the default rate limit lets it, for a minute, while a device of another
//! organisation syncs once a second. Reports the process's peak memory and the other device's
//! push latency.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use spor_core::Role;
use spor_core::access::DeviceRole;
use spor_core::attendance::Attendance;
use spor_core::ids::*;
use spor_core::protocol::{PROTOCOL_HEADER, PairResponse};
use spor_core::sync::{Change, Mutation, Outcome, PushRequest, PushResponse};
use spor_server::db::Database;
use spor_server::rate_limit::RateLimit;
use spor_server::storage::Storage;
use spor_server::{AppState, Settings, auth, bind, create_organisation, router};
use tokio::sync::Mutex;

#[path = "../tests/support/storage.rs"]
mod storage;

use storage::Backend;

const DEVICES: usize = 100;
const DURATION: Duration = Duration::from_secs(30);
/// Check-ins per push: a volunteer's phone after a busy session.
const BATCH: usize = 50;

fn main() {
    // reqwest's TLS (unused over loopback HTTP) needs a crypto provider chosen.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let backend = match std::env::var("SPOR_BENCH_STORAGE").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let largest_bodies = std::env::var("SPOR_BENCH_SCENARIO").as_deref() == Ok("largest-bodies");
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (url, storage) = server_runtime.block_on(async {
        let storage = storage::open(backend).await;
        let listener = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0).await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        // The ingest load is far above a device's normal sync, so the per-device limit is lifted
        // there; the largest bodies come as fast as the real limit lets them.
        let rate_limit = if largest_bodies {
            RateLimit::default()
        } else {
            RateLimit {
                burst: u32::MAX,
                per_second: f64::MAX,
            }
        };
        let app = router(
            AppState::new(storage.db.clone(), Settings::new(&url), rate_limit),
            None,
        );
        tokio::spawn(async move {
            spor_server::serve_on(listener, app, None, std::future::pending())
                .await
                .unwrap()
        });
        (url, storage)
    });

    let client_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut results = if largest_bodies {
        client_runtime.block_on(push_largest_bodies(&url, &storage.db))
    } else {
        client_runtime.block_on(load(&url, &storage.db))
    };
    results["storage"] = serde_json::json!(match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    });
    let text = serde_json::to_string_pretty(&results).unwrap();
    println!("{text}");
    if let Ok(path) = std::env::var("SPOR_BENCH_OUT") {
        std::fs::write(path, text).unwrap();
    }
    drop(server_runtime);
}

/// Pairs `count` devices with `role` in a new organisation through the API, with codes made for
/// them in the database.
async fn pair_devices(
    http: &reqwest::Client,
    url: &str,
    db: &Database,
    count: usize,
    role: DeviceRole,
) -> Vec<(DeviceId, String)> {
    let (organisation, _) = create_organisation(db, "Belastning").await.unwrap();
    let mut devices = Vec::new();
    for _ in 0..count {
        let (code, stored) =
            auth::issue_pairing_code(organisation, role, Utc::now() + chrono::TimeDelta::hours(1), None);
        db.add_pairing_code(stored).await.unwrap();
        let paired: PairResponse = http
            .post(format!("{url}/api/v1/pair"))
            .header(PROTOCOL_HEADER, "1")
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        devices.push((paired.device, paired.token));
    }
    devices
}

fn batch(device: DeviceId, activity: ActivityId) -> PushRequest {
    PushRequest {
        mutations: (0..BATCH)
            .map(|_| Mutation {
                id: MutationId::generate(),
                change: Change::CheckIn {
                    attendance: Attendance {
                        id: AttendanceId::generate(),
                        participant: ParticipantId::generate(),
                        activity,
                        date: Utc::now().date_naive(),
                        role: Role::Bruger,
                        recorded_at: Utc::now(),
                        recorded_by: device,
                    },
                },
            })
            .collect(),
    }
}

async fn load(url: &str, db: &Database) -> serde_json::Value {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(DEVICES)
        .build()
        .unwrap();
    let devices = pair_devices(&http, url, db, DEVICES, DeviceRole::Volunteer).await;
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + DURATION;
    let mut tasks = Vec::new();
    for (device, token) in devices {
        let (http, url) = (http.clone(), url.to_owned());
        let (latencies, errors) = (latencies.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let activity = ActivityId::generate();
            let mut applied = 0;
            while Instant::now() < deadline {
                let push = batch(device, activity);
                let sent = Instant::now();
                let answer = http
                    .post(format!("{url}/api/v1/sync/push"))
                    .header(PROTOCOL_HEADER, "1")
                    .bearer_auth(&token)
                    .json(&push)
                    .send()
                    .await;
                let pushed = match answer {
                    Ok(response) if response.status().is_success() => {
                        response.json::<PushResponse>().await.ok()
                    }
                    _ => None,
                };
                let elapsed = sent.elapsed();
                match pushed {
                    Some(pushed) if pushed.results.iter().all(|r| r.outcome == Outcome::Applied) => {
                        applied += pushed.results.len();
                        latencies.lock().await.push(elapsed.as_secs_f64() * 1000.0);
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            applied
        }));
    }
    let mut records = 0;
    for task in tasks {
        records += task.await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut latencies = latencies.lock().await.clone();
    let pushes = latencies.len();
    let percentile = percentiles(&mut latencies);
    serde_json::json!({
        "devices": DEVICES,
        "batch": BATCH,
        "seconds": seconds,
        "records": records,
        "records_per_second": records as f64 / seconds,
        "pushes": pushes,
        "push_latency_ms": {"p50": percentile(50.0), "p99": percentile(99.0), "max": percentile(100.0)},
        "errors": errors.load(Ordering::Relaxed),
    })
}

/// A function from a percentile (0-100) to the value there, of `values` (sorted here).
fn percentiles(values: &mut [f64]) -> impl Fn(f64) -> f64 + '_ {
    values.sort_by(f64::total_cmp);
    |p: f64| {
        values
            .get(((p / 100.0) * values.len().saturating_sub(1) as f64).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    }
}

/// This process's peak resident memory so far, in MB (`VmHWM`).
fn peak_memory_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// How long the largest-bodies run lasts.
const LARGEST_BODIES_FOR: Duration = Duration::from_secs(60);

/// A coordinator's largest push: patches of activities whose descriptions are far over their
/// limit, just under 4 MiB in all. Every byte is read; the rulebook refuses each patch.
fn largest_body() -> Vec<u8> {
    let description = "x".repeat(60 * 1024);
    let mutations: Vec<Mutation> = (0..66)
        .map(|_| Mutation {
            id: MutationId::generate(),
            change: Change::Patch {
                entity: spor_core::sync::EntityRef {
                    kind: spor_core::sync::EntityKind::Activity,
                    id: uuid::Uuid::now_v7(),
                },
                fields: [(
                    "description".to_owned(),
                    spor_core::sync::Stamped {
                        value: serde_json::json!(description),
                        stamp: spor_core::hlc::Hlc::start(DeviceId::generate()).tick(1),
                    },
                )]
                .into(),
            },
        })
        .collect();
    let body = serde_json::to_vec(&PushRequest { mutations }).unwrap();
    assert!(
        body.len() <= spor_server::api::MAX_BODY_BYTES,
        "{} bytes",
        body.len()
    );
    body
}

async fn push_largest_bodies(url: &str, db: &Database) -> serde_json::Value {
    let http = reqwest::Client::new();
    let memory_before = peak_memory_mb();
    let (flooder, flooder_token) = pair_devices(&http, url, db, 1, DeviceRole::Coordinator)
        .await
        .remove(0);
    let (other, other_token) = pair_devices(&http, url, db, 1, DeviceRole::Volunteer)
        .await
        .remove(0);
    let body = largest_body();
    let body_bytes = body.len();
    let deadline = Instant::now() + LARGEST_BODIES_FOR;
    let flood = {
        let (http, url) = (http.clone(), url.to_owned());
        tokio::spawn(async move {
            let (mut answered, mut limited) = (0, 0);
            while Instant::now() < deadline {
                let answer = http
                    .post(format!("{url}/api/v1/sync/push"))
                    .header(PROTOCOL_HEADER, "1")
                    .header("content-type", "application/json")
                    .bearer_auth(&flooder_token)
                    .body(body.clone())
                    .send()
                    .await;
                match answer.map(|response| response.status().as_u16()) {
                    Ok(200) => answered += 1,
                    Ok(429) => {
                        limited += 1;
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    _ => {}
                }
            }
            let _ = flooder;
            (answered, limited)
        })
    };
    let activity = ActivityId::generate();
    let mut latencies = Vec::new();
    while Instant::now() < deadline {
        let sent = Instant::now();
        let answer = http
            .post(format!("{url}/api/v1/sync/push"))
            .header(PROTOCOL_HEADER, "1")
            .bearer_auth(&other_token)
            .json(&batch(other, activity))
            .send()
            .await;
        if answer.is_ok_and(|response| response.status().is_success()) {
            latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let (answered, limited) = flood.await.unwrap();
    let other_pushes = latencies.len();
    let percentile = percentiles(&mut latencies);
    serde_json::json!({
        "body_bytes": body_bytes,
        "seconds": LARGEST_BODIES_FOR.as_secs(),
        "largest_pushes_answered": answered,
        "largest_pushes_limited": limited,
        "peak_memory_mb_before": memory_before,
        "peak_memory_mb": peak_memory_mb(),
        "other_organisation_pushes": other_pushes,
        "other_push_latency_ms": {"p50": percentile(50.0), "p95": percentile(95.0), "max": percentile(100.0)},
    })
}
