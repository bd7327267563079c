//! Server ingest under load (`cargo xtask bench`): 100 paired devices push check-ins concurrently
//! for 30 s to a real server on 127.0.0.1, each waiting for its answer before the next push. Prints
//! (and with SPOR_BENCH_OUT writes) records/s, push latency percentiles and the error count. The
//! data goes to a temporary SQLite file, or with SPOR_BENCH_STORAGE=postgres to a PostgreSQL
//! server the bench starts on 127.0.0.1 (as the server tests do).

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
use spor_server::storage::{NewPairingCode, Storage};
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
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (url, storage) = server_runtime.block_on(async {
        let storage = storage::open(backend).await;
        let listener = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0).await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        // The load is far above a device's normal sync, so the per-device limit is lifted here.
        let unlimited = RateLimit {
            burst: u32::MAX,
            per_second: f64::MAX,
        };
        let app = router(
            AppState::new(storage.db.clone(), Settings::new(&url), unlimited),
            None,
        );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (url, storage)
    });

    let client_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut results = client_runtime.block_on(load(&url, &storage.db));
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

/// Pairs the devices through the API, with codes made for them in the database.
async fn pair_devices(http: &reqwest::Client, url: &str, db: &Database) -> Vec<(DeviceId, String)> {
    let (organisation, _) = create_organisation(db, "Belastning").await.unwrap();
    let mut devices = Vec::new();
    for _ in 0..DEVICES {
        let code = auth::new_pairing_code();
        db.add_pairing_code(NewPairingCode {
            code_hash: auth::pairing_code_hash(&code),
            organisation,
            role: DeviceRole::Volunteer,
            expires_at: Utc::now() + chrono::TimeDelta::hours(1),
        })
        .await
        .unwrap();
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
    let devices = pair_devices(&http, url, db).await;
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
    latencies.sort_by(f64::total_cmp);
    let percentile = |p: f64| {
        latencies
            .get(((p / 100.0) * latencies.len().saturating_sub(1) as f64).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    serde_json::json!({
        "devices": DEVICES,
        "batch": BATCH,
        "seconds": seconds,
        "records": records,
        "records_per_second": records as f64 / seconds,
        "pushes": latencies.len(),
        "push_latency_ms": {"p50": percentile(50.0), "p99": percentile(99.0), "max": percentile(100.0)},
        "errors": errors.load(Ordering::Relaxed),
    })
}
