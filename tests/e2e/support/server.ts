import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RunningServer {
  url: string;
  /** The one-time code the first start prints for the organisation's first coordinator. */
  coordinatorCode: string;
  /** The built app this server serves (a private copy when `copyDist` was asked for). */
  dist: string;
  /** Creates another organisation on this server (`spor-server init`), answering its first coordinator's code. */
  organisation(name: string): Promise<string>;
  stop(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests with \`cargo xtask test\``);
  return value;
}

/**
 * Starts the real spor-server on 127.0.0.1 with port 0 (the OS picks a free one), a fresh data
 * directory, and the built app (or `dist`, another built app). `copyDist` serves a private copy that
 * a test may change.
 */
export async function startServer(options: { copyDist?: boolean; dist?: string } = {}): Promise<RunningServer> {
  const scratch = mkdtempSync(join(tmpdir(), "spor-e2e-"));
  let dist = options.dist ?? required("SPOR_DIST");
  if (options.copyDist) {
    const copy = join(scratch, "dist");
    cpSync(dist, copy, { recursive: true });
    dist = copy;
  }
  const child = spawn(
    required("SPOR_SERVER_BIN"),
    ["serve", "--addr", "127.0.0.1", "--port", "0", "--data-dir", join(scratch, "data"), "--dist", dist],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SPOR_LOG: "warn" } },
  );
  const { url, coordinatorCode } = await announced(child);
  return {
    url,
    coordinatorCode,
    dist,
    async organisation(name: string) {
      const printed = execFileSync(required("SPOR_SERVER_BIN"), ["init", "--org", name, "--data-dir", join(scratch, "data")], {
        encoding: "utf8",
      });
      const code = printed.match(/enter the code ([0-9A-Z]{4}-[0-9A-Z]{4})/);
      if (!code) throw new Error(`spor-server init printed no code: ${printed}`);
      return code[1];
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

function announced(child: ChildProcess): Promise<{ url: string; coordinatorCode: string }> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`spor-server did not start in 30 s: ${stderr}`)), 30_000);
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      const url = stdout.match(/running at (http:\/\/127\.0\.0\.1:\d+)\//);
      const code = stdout.match(/enter the code ([0-9A-Z]{4}-[0-9A-Z]{4})/);
      if (url && code) {
        clearTimeout(timer);
        resolve({ url: url[1], coordinatorCode: code[1] });
      }
    });
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`spor-server exited with ${code} before it listened: ${stderr}`));
    });
  });
}
