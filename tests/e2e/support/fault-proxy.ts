// A fault-injecting HTTP proxy between the browser and spor-server, on loopback only. Requests to
// the sync routes meet a fault drawn from a seeded schedule, so a failing seed replays exactly the
// same faults in the same order; everything else (the app's files, pairing) passes untouched.
import { type IncomingHttpHeaders, type IncomingMessage, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export const FAULTS = [
  "pass",
  "drop_before_commit",
  "drop_after_commit",
  "delay",
  "error_500",
  "error_502",
  "error_503",
  "truncate",
  "duplicate",
] as const;
export type Fault = (typeof FAULTS)[number];

/** How often each fault is drawn: about a third of the requests pass untouched. */
const WEIGHTS: Record<Fault, number> = {
  pass: 6,
  drop_before_commit: 2,
  drop_after_commit: 2,
  delay: 2,
  error_500: 1,
  error_502: 1,
  error_503: 1,
  truncate: 2,
  duplicate: 2,
};

export interface FaultProxy {
  url: string;
  /** How many times each fault was injected. */
  injected: Record<Fault, number>;
  /** Faults on or off (off: every request passes). */
  faulty: boolean;
  /** Plays a server that speaks only a newer protocol: every sync request gets its 426. */
  protocolMovedOn: boolean;
  stop(): Promise<void>;
}

/** mulberry32: a small seeded generator, the same numbers for the same seed on every machine. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

/** The upstream's headers for a body sent whole, with its length. */
function headersOf(answer: Answer): IncomingHttpHeaders {
  const { "transfer-encoding": _chunked, connection: _connection, "keep-alive": _keepAlive, ...rest } = answer.headers;
  return { ...rest, "content-length": String(answer.body.length) };
}

export async function startFaultProxy(target: string, seed: number): Promise<FaultProxy> {
  const upstream = new URL(target);
  const random = seeded(seed);
  const total = Object.values(WEIGHTS).reduce((sum, weight) => sum + weight, 0);
  // Every fault comes once early, in a seeded order, so each seed meets all of them; then by weight.
  const first: Fault[] = FAULTS.filter((fault) => fault !== "pass");
  for (let i = first.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [first[i], first[j]] = [first[j], first[i]];
  }
  const draw = (): Fault => {
    const next = first.shift();
    if (next) return next;
    let ticket = random() * total;
    for (const fault of FAULTS) {
      ticket -= WEIGHTS[fault];
      if (ticket < 0) return fault;
    }
    return "pass";
  };

  const forward = (incoming: IncomingMessage, body: Buffer): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host, "content-length": body.length },
        },
        async (answer) => {
          try {
            resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: await readAll(answer) });
          } catch (error) {
            reject(error);
          }
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });

  const proxy: FaultProxy = {
    url: "",
    injected: Object.fromEntries(FAULTS.map((fault) => [fault, 0])) as Record<Fault, number>,
    faulty: true,
    protocolMovedOn: false,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const server = createServer(async (incoming, outgoing) => {
    try {
      const body = await readAll(incoming);
      const sync = incoming.url?.startsWith("/api/v1/sync/") ?? false;
      if (proxy.protocolMovedOn && sync) {
        outgoing.writeHead(426, { "content-type": "application/json" });
        outgoing.end(JSON.stringify({ error: "unsupported_protocol", message: "this server speaks protocol 2" }));
        return;
      }
      const fault = proxy.faulty && sync ? draw() : "pass";
      if (sync) proxy.injected[fault] += 1;
      const reply = (answer: Answer) => {
        outgoing.writeHead(answer.status, headersOf(answer));
        outgoing.end(answer.body);
      };
      switch (fault) {
        case "drop_before_commit":
          incoming.socket.destroy();
          return;
        case "drop_after_commit":
          await forward(incoming, body);
          incoming.socket.destroy();
          return;
        case "delay":
          await new Promise((resolve) => setTimeout(resolve, 100 + random() * 1400));
          reply(await forward(incoming, body));
          return;
        case "error_500":
        case "error_502":
        case "error_503":
          outgoing.writeHead(Number(fault.slice(-3)), { "content-type": "text/plain" });
          outgoing.end("injected by the fault proxy");
          return;
        case "truncate": {
          const answer = await forward(incoming, body);
          // The headers promise the whole body; half of it comes, then the connection ends.
          outgoing.writeHead(answer.status, headersOf(answer));
          outgoing.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
          outgoing.socket?.destroy();
          return;
        }
        case "duplicate": {
          // The same request twice at once, as a retrying network might deliver it.
          const [, second] = await Promise.all([forward(incoming, body), forward(incoming, body)]);
          reply(second);
          return;
        }
        default:
          reply(await forward(incoming, body));
      }
    } catch {
      incoming.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
