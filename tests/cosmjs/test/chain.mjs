// A throw-away one-validator Venice chain for the cosmjs test: a temporary
// home initialised by localnet/init.sh, then veniced and CometBFT on free
// loopback ports. stop() kills both; it also runs when the process exits.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const binDir = process.env.VENICE_BIN_DIR ?? join(repo, "build");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

function portOpen(port) {
  return new Promise((ok) => {
    const s = connect({ host: "127.0.0.1", port });
    s.on("connect", () => { s.destroy(); ok(true); });
    s.on("error", () => ok(false));
    s.setTimeout(300, () => { s.destroy(); ok(false); });
  });
}

async function waitFor(what, timeoutMs, fn) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

export class Chain {
  /** @param {{chainId: string, accounts: [string, string][]}} opts */
  static async start({ chainId, accounts }) {
    const c = new Chain();
    c.chainId = chainId;
    c.home = mkdtempSync(join(tmpdir(), "venice-cosmjs-"));
    c.ports = {
      rpc: await freePort(), p2p: await freePort(), abci: await freePort(), grpc: await freePort(),
      api: await freePort(), metrics: await freePort(),
    };
    c.rpcUrl = `http://127.0.0.1:${c.ports.rpc}`;
    c.procs = [];
    process.on("exit", () => c.kill());
    for (const sig of ["SIGINT", "SIGTERM"]) {
      process.once(sig, () => { c.kill(); process.exit(130); });
    }

    const env = { ...process.env, VENICE_BIN_DIR: binDir };
    execFileSync(join(repo, "localnet/init.sh"), [
      "--home", c.home, "--chain-id", chainId, "--moniker", "cosmjs",
      "--rpc-port", String(c.ports.rpc), "--p2p-port", String(c.ports.p2p),
      "--abci-port", String(c.ports.abci), "--grpc-port", String(c.ports.grpc),
      "--api-port", String(c.ports.api), "--metrics-port", String(c.ports.metrics),
      // The validator comes from the demo key's gentx, as on `make run`.
      "--block-time", "300ms",
      ...accounts.flatMap(([addr, coins]) => ["--account", `${addr}=${coins}`]),
    ], { env, stdio: ["ignore", "inherit", "inherit"], timeout: 60_000 });

    const log = (name) => openSync(join(c.home, `${name}.log`), "a");
    c.veniced = spawn(join(binDir, "veniced"), ["start", "--home", c.home, "--abci", `tcp://127.0.0.1:${c.ports.abci}`],
      { stdio: ["ignore", log("veniced"), log("veniced")] });
    c.procs.push(c.veniced);
    await waitFor("veniced's ABCI socket", 30_000, async () => {
      if (c.veniced.exitCode !== null) throw new Error(`veniced exited: ${c.tail("veniced")}`);
      return portOpen(c.ports.abci);
    });
    c.cometbft = spawn(join(binDir, "cometbft"), ["start", "--home", c.home],
      { stdio: ["ignore", log("cometbft"), log("cometbft")] });
    c.procs.push(c.cometbft);
    try {
      await c.waitHeight(2, 60_000);
    } catch (e) {
      // A chain that never starts must not leave its processes holding the test runner open.
      c.kill();
      throw e;
    }
    return c;
  }

  async height() {
    try {
      const r = await fetch(`${this.rpcUrl}/status`, { signal: AbortSignal.timeout(2_000) });
      const j = await r.json();
      return Number(j.result.sync_info.latest_block_height);
    } catch {
      return 0;
    }
  }

  async waitHeight(h, timeoutMs) {
    return waitFor(`height ${h}`, timeoutMs, async () => {
      for (const p of this.procs) {
        if (p.exitCode !== null || p.signalCode !== null) {
          throw new Error(`${p.spawnfile} exited\n${this.tail("cometbft")}\n${this.tail("veniced")}`);
        }
      }
      return (await this.height()) >= h;
    });
  }

  tail(name, lines = 30) {
    try {
      const all = readFileSync(join(this.home, `${name}.log`), "utf8").trimEnd().split("\n");
      return `--- ${name}.log ---\n` + all.slice(-lines).join("\n");
    } catch {
      return `--- no ${name}.log ---`;
    }
  }

  kill() {
    for (const p of this.procs ?? []) {
      if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
    }
  }

  async stop({ keepHome = false } = {}) {
    // CometBFT first, then the app, as an operator would.
    for (const p of [this.cometbft, this.veniced]) {
      if (!p || p.exitCode !== null || p.signalCode !== null) continue;
      const exited = new Promise((ok) => p.once("exit", ok));
      p.kill("SIGTERM");
      const t = setTimeout(() => p.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(t);
    }
    if (!keepHome) rmSync(this.home, { recursive: true, force: true });
  }
}
