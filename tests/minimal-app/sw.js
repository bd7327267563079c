// Keeps every file it fetches and answers from its cache first, so the app starts offline after
// one visit, as Spor's worker does (public/sw.js), without a build step to list the files.
const CACHE_NAME = "minimal-app";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  const key = request.mode === "navigate" ? "/index.html" : request;
  event.respondWith(
    caches.open(CACHE_NAME).then((cache) =>
      cache.match(key).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (response.ok) cache.put(key, response.clone());
            return response;
          }),
      ),
    ),
  );
});
