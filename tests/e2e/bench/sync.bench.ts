// Sync of 10,000 queued records from one browser to spor-server, beside the same records replicated
// by PouchDB (npm `pouchdb`) to `pouchdb-server --in-memory` on loopback, in the same browser.
// Writes its figures to SPOR_BENCH_OUT.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "../support/fixtures";
import { startServer } from "../support/server";
import { RECORDS, seed } from "./seed";

const HERE = dirname(fileURLToPath(import.meta.url));
const PEER = join(HERE, "peer/node_modules");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startPouchServer(): Promise<{ url: string; child: ChildProcess; scratch: string }> {
  const port = await freePort();
  // pouchdb-server writes a config and a log into its working directory: a scratch one.
  const scratch = mkdtempSync(join(tmpdir(), "spor-pouchdb-"));
  const child = spawn(
    join(PEER, ".bin/pouchdb-server"),
    ["--in-memory", "--host", "127.0.0.1", "--port", String(port)],
    { stdio: "ignore", cwd: scratch },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(url)).ok) return { url, child, scratch };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error("pouchdb-server did not start");
}

test("10,000 queued records to the server, beside PouchDB replication", async ({ browser }) => {
  test.setTimeout(600_000);
  const server = await startServer();
  const context = await browser.newContext();
  const page = await context.newPage();
  const today = new Date().toISOString().slice(0, 10);
  const backup = seed(today);

  // Spor: the records are queued by importing them, then the device pairs, which starts a sync.
  await page.goto(`${server.url}/settings`);
  await page.getByLabel("Indlæs sikkerhedskopi").setInputFiles({
    name: "seed.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(backup)),
  });
  await expect(page.getByTestId("backup-message")).toHaveText(new RegExp(`indlæst: ${RECORDS} nye`), {
    timeout: 120_000,
  });
  await page.getByLabel("Parringskode").fill(server.coordinatorCode);
  // Timed inside the page, frame by frame, as the PouchDB side below: from the tap on "Par enheden"
  // until nothing waits and the sync has ended.
  const sporSeconds = await page.evaluate(async () => {
    const started = performance.now();
    const pair = [...document.querySelectorAll("button")].find((button) => button.textContent?.trim() === "Par enheden");
    pair!.click();
    const text = (testId: string) => document.querySelector(`[data-testid="${testId}"]`)?.textContent ?? "";
    while (!(text("sync-waiting") === "0 ændringer" && text("status-chip").includes("Synkroniseret kl."))) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return (performance.now() - started) / 1000;
  });
  // What the server holds, read by a second device (a device is not sent its own changes back).
  const held = await page.evaluate(async () => {
    const token: string = await new Promise((resolve, reject) => {
      const open = indexedDB.open("spor");
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const get = open.result.transaction("meta").objectStore("meta").get("server_link");
        get.onsuccess = () => resolve(get.result.token);
      };
    });
    const api = (path: string, init: RequestInit = {}, bearer = token) =>
      fetch(`/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${bearer}`, "x-spor-protocol": "1", "content-type": "application/json" },
      });
    const code = await (await api("/pairing-codes", { method: "POST", body: JSON.stringify({ role: "coordinator" }) })).json();
    const reader = await (await api("/pair", { method: "POST", body: JSON.stringify({ code: code.code }) })).json();
    let since = 0;
    let count = 0;
    for (;;) {
      const page = await (await api(`/sync/pull?since=${since}`, {}, reader.token)).json();
      count += page.changes.length;
      since = page.cursor;
      if (!page.has_more) return count;
    }
  });
  expect(held).toBe(RECORDS);
  await server.stop();

  // PouchDB: the same records as documents in the browser, replicated to pouchdb-server.
  const peer = await startPouchServer();
  try {
    const docs = [
      ...backup.activities.map((activity) => ({ _id: activity.id, kind: "activity", ...activity })),
      ...backup.participants.map((participant) => ({ _id: participant.id, kind: "participant", ...participant })),
      ...backup.attendance.map((attendance) => ({ _id: attendance.id, kind: "attendance", ...attendance })),
    ];
    const pouchPage = await context.newPage();
    await pouchPage.goto(peer.url);
    await pouchPage.addScriptTag({ path: join(PEER, "pouchdb/dist/pouchdb.min.js") });
    const pouch = await pouchPage.evaluate(async (docs) => {
      // biome-ignore lint: PouchDB is the global the script tag defines.
      const PouchDB = (window as any).PouchDB;
      const local = new PouchDB("bench-local");
      await local.bulkDocs(docs);
      const started = performance.now();
      await local.replicate.to(`${location.origin}/bench`);
      const seconds = (performance.now() - started) / 1000;
      const info = await (await fetch(`${location.origin}/bench`)).json();
      return { seconds, held: info.doc_count };
    }, docs);
    expect(pouch.held).toBe(RECORDS);

    const results = {
      records: RECORDS,
      spor: { seconds: sporSeconds, records_per_second: RECORDS / sporSeconds },
      pouchdb: { seconds: pouch.seconds, records_per_second: RECORDS / pouch.seconds },
    };
    console.log(JSON.stringify(results, null, 2));
    if (process.env.SPOR_BENCH_OUT) writeFileSync(process.env.SPOR_BENCH_OUT, JSON.stringify(results, null, 2));
  } finally {
    peer.child.kill();
    rmSync(peer.scratch, { recursive: true, force: true });
  }
});
