/**
 * Peer: Nchan, the C reference: Debian's `nginx-light` + `libnginx-mod-nchan`, one worker
 * (the measured pid is the worker's: see {@link nchanWorkerPid}; `master_process off` crashes
 * Nchan 1.3.6), its own config and temp paths under a temp dir, `daemon off`. POST /pub publishes the body to one channel;
 * GET /sub is an EventSource subscriber that starts at the newest message.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const NCHAN_MODULE = "/usr/lib/nginx/modules/ngx_nchan_module.so";

/** Where nginx and Nchan are, or why they are not. */
export type NchanAvailability = { readonly ok: true; readonly nginx: string } | { readonly ok: false; readonly reason: string };

function findNginx(): string | undefined {
  for (const path of ["/usr/sbin/nginx", "/usr/local/sbin/nginx"]) if (existsSync(path)) return path;
  return undefined;
}

/**
 * Finds nginx with the Nchan module; installs both with apt-get when missing and this is
 * root (`RUNLEVEL=1` stops the package from starting the system service).
 */
export function ensureNchan(log: (line: string) => void): NchanAvailability {
  let nginx = findNginx();
  if (nginx !== undefined && existsSync(NCHAN_MODULE)) return { ok: true, nginx };
  if (process.getuid?.() !== 0) return { ok: false, reason: "nginx + libnginx-mod-nchan are not installed and this is not root (apt-get install -y nginx-light libnginx-mod-nchan)" };
  log("installing nginx-light + libnginx-mod-nchan with apt-get ...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive", RUNLEVEL: "1" };
  const install = (): boolean =>
    Bun.spawnSync(["apt-get", "install", "-y", "--no-install-recommends", "nginx-light", "libnginx-mod-nchan"], { env, stdout: "ignore", stderr: "pipe" })
      .exitCode === 0;
  if (!install()) {
    Bun.spawnSync(["apt-get", "update"], { env, stdout: "ignore", stderr: "ignore" });
    if (!install()) return { ok: false, reason: "apt-get install -y nginx-light libnginx-mod-nchan failed" };
  }
  nginx = findNginx();
  if (nginx === undefined || !existsSync(NCHAN_MODULE)) return { ok: false, reason: `nginx or ${NCHAN_MODULE} still missing after apt-get` };
  return { ok: true, nginx };
}

/** Version strings of nginx and the Nchan package, for the results. */
export function nchanVersions(): { nginx: string; nchan: string } {
  const nginx = commandOutput(["nginx", "-v"], "stderr").replace("nginx version: ", "");
  const nchan = commandOutput(["dpkg-query", "-W", "-f", "${Version}", "libnginx-mod-nchan"], "stdout");
  return { nginx: nginx || "missing", nchan: nchan || "missing" };
}

/** What a command printed, or "" when it is not installed (a laptop without nginx still gets its results). */
function commandOutput(command: string[], stream: "stdout" | "stderr"): string {
  try {
    return Bun.spawnSync(command)[stream].toString().trim();
  } catch {
    return "";
  }
}

/** Writes the config under `dir` and returns nginx's command line. */
export function nchanCommand(nginx: string, dir: string, port: number, connections: number): string[] {
  for (const sub of ["logs", "tmp"]) mkdirSync(join(dir, sub), { recursive: true });
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((name) => `  ${name}_temp_path ${join(dir, "tmp", name)};`)
    .join("\n");
  const config = `load_module ${NCHAN_MODULE};
daemon off;
worker_processes 1;
worker_rlimit_nofile ${connections + 1000};
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "logs", "error.log")} warn;
events {
  worker_connections ${connections + 500};
  multi_accept on;
}
http {
  access_log off;
${temp}
  keepalive_requests 1000000;
  nchan_message_buffer_length 2000;
  nchan_message_timeout 10m;
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location = /pub {
      nchan_publisher http;
      nchan_channel_id bench;
    }
    location = /sub {
      nchan_subscriber eventsource;
      nchan_channel_id bench;
      nchan_subscriber_first_message newest;
      nchan_eventsource_ping_interval 0;
    }
  }
}
`;
  const file = join(dir, "nginx.conf");
  writeFileSync(file, config);
  return [nginx, "-p", dir, "-e", join(dir, "logs", "error.log"), "-c", file];
}

/** The worker of the nginx master `masterPid` (the process doing the work), waiting up to 5 s for it. */
export async function nchanWorkerPid(masterPid: number): Promise<number> {
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline) {
    try {
      const children = (await Bun.file(`/proc/${masterPid}/task/${masterPid}/children`).text()).trim();
      const first = Number.parseInt(children.split(" ")[0] ?? "", 10);
      if (Number.isFinite(first)) return first;
    } catch {
      // The master has not forked yet (or is gone: the deadline ends the wait).
    }
    await Bun.sleep(20);
  }
  throw new Error(`nginx master ${masterPid} started no worker within 5 s`);
}
