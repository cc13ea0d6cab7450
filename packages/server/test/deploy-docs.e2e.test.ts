/**
 * docs/deploy.md's examples as written: the nginx configuration passes `nginx -t` (with a
 * throwaway self-signed certificate in place of the Let's Encrypt paths), alone and with the
 * several-nodes upstream, and the systemd unit passes `systemd-analyze verify`. nginx is
 * required in CI (which installs it); systemd-analyze is checked where it exists.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "./support/server-process.ts";

const doc = readFileSync(join(repoRoot(), "docs", "deploy.md"), "utf8");

/** Runs `body` with a fresh folder, removed afterwards. */
function inFolder<T>(body: (folder: string) => T): T {
  const folder = mkdtempSync(join(tmpdir(), "events-deploy-docs-"));
  try {
    return body(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The fenced blocks of the page whose info string is `language`, in order. */
function blocks(language: string): string[] {
  return [...doc.matchAll(new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "gm"))].map((match) => match[1] as string);
}

function has(tool: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

const nginxMissing = !has("nginx");
if (nginxMissing && process.env["CI"] === "true") throw new Error("CI=true but nginx is not installed (the deploy docs' nginx example must be checked)");
if (nginxMissing) console.warn("skipping the nginx -t check of docs/deploy.md: nginx is not installed");
const systemdMissing = !has("systemd-analyze");
if (systemdMissing) console.warn("skipping the systemd-analyze check of docs/deploy.md: systemd-analyze is not installed");


/** Runs `nginx -t` on the page's main-context block with `site` as the whole `http {}` block. */
function nginxTest(site: string, folder: string): { status: number | null; output: string } {
  const [main] = blocks("nginx");
  const certificate = join(folder, "cert.pem");
  const key = join(folder, "key.pem");
  const made = spawnSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=events.example.com",
  ], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  const withCertificate = site
    .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${certificate};`)
    .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${key};`);
  const config = join(folder, "nginx.conf");
  writeFileSync(config, `${main}\nhttp {\n${withCertificate}\n}\n`);
  const run = spawnSync("nginx", ["-t", "-p", folder, "-c", config, "-e", join(folder, "error.log"), "-g", `pid ${join(folder, "nginx.pid")};`], { encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("docs/deploy.md", () => {
  test("holds the nginx main-context block, the site and the several-nodes upstream", () => {
    const [main, site, nodes] = blocks("nginx");
    expect(main).toContain("worker_rlimit_nofile");
    for (const setting of ["proxy_buffering off;", "proxy_cache off;", "proxy_http_version 1.1;", 'proxy_set_header Connection "";', "proxy_read_timeout", "chunked_transfer_encoding", "http2"]) {
      expect(site).toContain(setting);
    }
    expect(nodes).toContain("upstream events_servers");
  });

  test.skipIf(nginxMissing)("has an nginx site that passes nginx -t", () => {
    const [, site] = blocks("nginx");
    const result = inFolder((folder) => nginxTest(site ?? "", folder));
    expect(result.output).toContain("test is successful");
    expect(result.status).toBe(0);
  });

  test.skipIf(nginxMissing)("has a several-nodes upstream that passes nginx -t in place of the single node", () => {
    const [, site, nodes] = blocks("nginx");
    const result = inFolder((folder) => nginxTest((site ?? "").replace(/upstream events_servers \{[\s\S]*?\n\}/, nodes ?? ""), folder));
    expect(result.output).toContain("test is successful");
    expect(result.status).toBe(0);
  });

  test.skipIf(systemdMissing)("has a systemd unit that systemd-analyze verifies without a warning", () => {
    const [unit] = blocks("ini");
    expect(unit).toContain("LimitNOFILE=");
    expect(unit).toContain("EnvironmentFile=");
    // verify checks that ExecStart names an executable: any will do for the unit's syntax.
    const run = inFolder((folder) => {
      const file = join(folder, "events-server.service");
      writeFileSync(file, (unit ?? "").replace("/usr/local/bin/events-server", process.execPath));
      return spawnSync("systemd-analyze", ["verify", file], { encoding: "utf8" });
    });
    expect(`${run.stdout}${run.stderr}`.trim()).toBe("");
    expect(run.status).toBe(0);
  });
});
