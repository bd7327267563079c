//! A heading over two routes and one IndexedDB read: what every Leptos app with a store pays to
//! start, the floor Spor's offline start is compared with.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use rexie::{ObjectStore, Rexie, TransactionMode};

async fn stored_count() -> Result<u32, String> {
    read_count().await.map_err(|error| error.to_string())
}

async fn read_count() -> Result<u32, rexie::Error> {
    let database = Rexie::builder("minimal-app")
        .version(1)
        .add_object_store(ObjectStore::new("visits").auto_increment(true))
        .build()
        .await?;
    let transaction = database.transaction(&["visits"], TransactionMode::ReadOnly)?;
    let count = transaction.store("visits")?.count(None).await?;
    transaction.done().await?;
    Ok(count)
}

#[component]
fn Today() -> impl IntoView {
    let count = LocalResource::new(stored_count);
    view! {
        <h1>"I dag"</h1>
        <p>{move || count.get().and_then(Result::ok).map(|count| count.to_string())}</p>
    }
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <main>
                <Routes fallback=|| "Ikke fundet">
                    <Route path=path!("/") view=Today />
                    <Route path=path!("/other") view=|| view! { <h1>"Andet"</h1> } />
                </Routes>
            </main>
        </Router>
    }
}

fn main() {
    mount_to_body(App);
}
