//! A server killed (SIGKILL) in the middle of pushes and started again on the same database: every
//! batch it answered is there, a batch it was applying is there whole or not at all, and the
//! clients' retries of the same batches leave every record exactly once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::{Notify, RwLock};
use uuid::Uuid;

#[path = "support/server_process.rs"]
mod server_process;

use server_process::ServerProcess;

const CLIENTS: usize = 4;
const BATCHES_PER_CLIENT: usize = 6;
const BATCH: usize = 250;
const KILLS: usize = 3;

/// One push: its mutation ids are fixed, so a retry is the very same batch.
struct Batch {
    body: Value,
    check_ins: BTreeSet<String>,
}

fn batch(device: &str, activity: &str) -> Batch {
    let mut check_ins = BTreeSet::new();
    let mutations: Vec<Value> = (0..BATCH)
        .map(|_| {
            let id = Uuid::now_v7().to_string();
            check_ins.insert(id.clone());
            json!({"id": Uuid::now_v7(), "change": {"type": "check_in", "attendance": {
                "id": id, "participant": Uuid::now_v7(), "activity": activity, "date": "2026-11-19",
                "role": "bruger", "recorded_at": "2026-11-19T10:00:00Z", "recorded_by": device}}})
        })
        .collect();
    Batch {
        body: json!({ "mutations": mutations }),
        check_ins,
    }
}

struct Api {
    http: reqwest::Client,
    url: RwLock<String>,
}

impl Api {
    /// A request to the server the clients currently push to.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let url = self.url.read().await.clone();
        self.request(&url, method, path, token)
    }

    fn request(
        &self,
        url: &str,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let request = self
            .http
            .request(method, format!("{url}/api/v1{path}"))
            .header("x-spor-protocol", "1");
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    async fn pair(&self, url: &str, code: &str) -> String {
        let paired: Value = self
            .request(url, reqwest::Method::POST, "/pair", None)
            .json(&json!({ "code": code }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        paired["token"].as_str().unwrap().to_owned()
    }

    /// Every check-in id the server holds, as often as it holds it, read by a newly paired device
    /// (a device is never sent its own changes).
    async fn held_check_ins(&self, url: &str, coordinator: &str) -> BTreeMap<String, usize> {
        let code: Value = self
            .request(url, reqwest::Method::POST, "/pairing-codes", Some(coordinator))
            .json(&json!({"role": "coordinator"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let reader = self.pair(url, code["code"].as_str().unwrap()).await;
        let mut held = BTreeMap::new();
        let mut since = 0;
        loop {
            let page: Value = self
                .request(
                    url,
                    reqwest::Method::GET,
                    &format!("/sync/pull?since={since}&limit=1000"),
                    Some(&reader),
                )
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            for pulled in page["changes"].as_array().unwrap() {
                if let Some(id) = pulled["change"]["attendance"]["id"].as_str() {
                    *held.entry(id.to_owned()).or_default() += 1;
                }
            }
            since = page["cursor"].as_u64().unwrap();
            if !page["has_more"].as_bool().unwrap() {
                return held;
            }
        }
    }
}

/// Pushes its batches in order; a push that fails (the server died under it) waits for the server
/// to be back and sends the same batch again. Returns how many pushes failed.
async fn client(
    api: Arc<Api>,
    token: String,
    batches: Vec<Batch>,
    answered: Arc<RwLock<BTreeSet<usize>>>,
    index: usize,
    back: Arc<Notify>,
) -> usize {
    let mut failed = 0;
    for (number, batch) in batches.iter().enumerate() {
        loop {
            let waiting = back.notified();
            let pushed = api
                .call(reqwest::Method::POST, "/sync/push", Some(&token))
                .await
                .json(&batch.body)
                .send()
                .await;
            match pushed {
                Ok(response) if response.status().is_success() => {
                    let results: Value = response.json().await.unwrap();
                    assert_eq!(results["results"].as_array().unwrap().len(), BATCH);
                    answered.write().await.insert(index * BATCHES_PER_CLIENT + number);
                    break;
                }
                _ => {
                    failed += 1;
                    waiting.await;
                }
            }
        }
    }
    failed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_answered_batch_applies_none_by_half_and_clients_resume() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let data = tempfile::TempDir::new().unwrap();
    let mut server = ServerProcess::start(data.path(), "warn");
    let api = Arc::new(Api {
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap(),
        url: RwLock::new(server.url.clone()),
    });
    let coordinator = api.pair(&server.url, server.first_code.as_deref().unwrap()).await;
    let activity = Uuid::now_v7().to_string();
    let device = Uuid::now_v7().to_string();
    let batches: Vec<Vec<Batch>> = (0..CLIENTS)
        .map(|_| {
            (0..BATCHES_PER_CLIENT)
                .map(|_| batch(&device, &activity))
                .collect()
        })
        .collect();
    let every_batch: Vec<BTreeSet<String>> = batches.iter().flatten().map(|b| b.check_ins.clone()).collect();

    let answered = Arc::new(RwLock::new(BTreeSet::new()));
    let back = Arc::new(Notify::new());
    let clients: Vec<_> = batches
        .into_iter()
        .enumerate()
        .map(|(index, batches)| {
            tokio::spawn(client(
                api.clone(),
                coordinator.clone(),
                batches,
                answered.clone(),
                index,
                back.clone(),
            ))
        })
        .collect();

    for kill in 1..=KILLS {
        // Killed once some more batches have been answered, while the others are being pushed.
        let target = kill * CLIENTS * BATCHES_PER_CLIENT / (KILLS + 1);
        while answered.read().await.len() < target {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        server.kill();
        let answered_before = answered.read().await.clone();
        server = ServerProcess::start(data.path(), "warn");
        assert!(
            server.first_code.is_none(),
            "a restart creates no second organisation"
        );

        // Read before the clients learn the new address: nothing is pushed while it is checked.
        let held = api.held_check_ins(&server.url, &coordinator).await;
        assert!(
            held.values().all(|&times| times == 1),
            "a check-in is held twice after kill {kill}"
        );
        for (number, check_ins) in every_batch.iter().enumerate() {
            let present = check_ins.iter().filter(|id| held.contains_key(*id)).count();
            if answered_before.contains(&number) {
                assert_eq!(
                    present, BATCH,
                    "batch {number}, answered before kill {kill}, lost records"
                );
            }
            assert!(
                present == 0 || present == BATCH,
                "batch {number} is half applied after kill {kill}: {present} of {BATCH}"
            );
        }
        *api.url.write().await = server.url.clone();
        back.notify_waiters();
    }

    let mut failed_pushes = 0;
    for client in clients {
        failed_pushes += client.await.unwrap();
    }
    let held = api.held_check_ins(&server.url, &coordinator).await;
    let expected: BTreeSet<String> = every_batch.iter().flatten().cloned().collect();
    assert_eq!(
        held.keys().cloned().collect::<BTreeSet<_>>(),
        expected,
        "every record is on the server"
    );
    assert!(
        held.values().all(|&times| times == 1),
        "every record exactly once"
    );
    assert!(failed_pushes >= 1, "some push was cut off by a kill");

    if let Some(out) = std::env::var_os("SPOR_RELIABILITY_OUT") {
        std::fs::create_dir_all(&out).unwrap();
        let figures = json!({
            "kills": KILLS,
            "clients": CLIENTS,
            "batches": CLIENTS * BATCHES_PER_CLIENT,
            "records": expected.len(),
            "pushes_cut_off": failed_pushes,
            "held_once": held.len(),
        });
        std::fs::write(
            std::path::Path::new(&out).join("server-crash.json"),
            figures.to_string(),
        )
        .unwrap();
    }
}
