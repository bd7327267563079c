// Spor's service worker: the app shell works offline, and a new release waits for the user.
//
// The post_build hook (xtask/src/precache.rs) fills in BUILD_VERSION and PRECACHE from Trunk's output.
// The file names carry content hashes, so a new release changes this file, the browser installs the
// new worker beside the old one, and it precaches into a cache of its own. It activates only when the
// app asks (the user tapped "reload" in the update banner), never in the middle of a survey.
const BUILD_VERSION = "development";
const PRECACHE = [];

const CACHE_PREFIX = "spor-shell-";
const CACHE_NAME = CACHE_PREFIX + BUILD_VERSION;

self.addEventListener("install", (event) => {
  // The API goes straight to the network without waking this worker (static routing, where the
  // browser has it): a sync's large pushes are not handed through the worker and back.
  const routes = event.addRoutes
    ? event.addRoutes({ condition: { urlPattern: new URLPattern({ pathname: "/api/*" }) }, source: "network" }).catch(() => {})
    : Promise.resolve();
  event.waitUntil(Promise.all([routes, caches.open(CACHE_NAME).then((cache) => cache.addAll(PRECACHE))]));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") {
    self.skipWaiting();
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The API is never cached: sync must see the server, and answers hold personal data. The
  // privacy notice page is the server's own (the poster's QR code), never the app.
  const servers = url.pathname.startsWith("/api/") || url.pathname.startsWith("/privacy/");
  if (request.method !== "GET" || url.origin !== self.location.origin || servers) {
    return;
  }
  if (request.mode === "navigate") {
    // Every route is the same app: deep links open from the cached index.html, online or not.
    event.respondWith(
      caches
        .open(CACHE_NAME)
        .then((cache) => cache.match("/index.html"))
        .then((cached) => cached || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches
      .open(CACHE_NAME)
      .then((cache) => cache.match(request))
      .then((cached) => cached || fetch(request)),
  );
});
