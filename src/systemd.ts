// `campfire systemd`: a unit for this very executable, so installing as a service is
// `campfire systemd | sudo tee /etc/systemd/system/campfire.service`.
import { isAbsolute, resolve } from "node:path";
import { BUILD, selfCommand } from "./build-info.ts";
import { type Config, LETS_ENCRYPT } from "./config.ts";
import { SHUTDOWN_GRACE_MS } from "./server.ts";

// systemd's StateDirectory=campfire is /var/lib/campfire, owned by the service's own user.
const STATE_DIR = "/var/lib/campfire";
// The server drains for SHUTDOWN_GRACE_MS, then checkpoints the database: a few seconds more.
const STOP_TIMEOUT_S = Math.ceil(SHUTDOWN_GRACE_MS / 1000) + 10;

const quoted = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`);

export function systemdUnit(config: Config): string {
  const command = selfCommand(["serve"]).map(quoted).join(" ");
  const environment = [`CAMPFIRE_DATA_DIR=${STATE_DIR}`, `PORT=${config.port}`, `HOST=${config.host}`];
  if (config.publicUrl) environment.push(`CAMPFIRE_URL=${config.publicUrl}`);
  const backupDir = config.backup ? (isAbsolute(config.backup.dir) ? config.backup.dir : resolve(config.backup.dir)) : undefined;
  if (backupDir) environment.push(`CAMPFIRE_BACKUP_DIR=${backupDir}`);
  if (config.autoTls) {
    environment.push(`TLS_DOMAIN=${config.autoTls.domain}`, `HTTP_PORT=${config.autoTls.httpPort}`);
    if (config.autoTls.email) environment.push(`ACME_EMAIL=${config.autoTls.email}`);
    if (config.autoTls.directoryUrl !== LETS_ENCRYPT) environment.push(`ACME_DIRECTORY_URL=${config.autoTls.directoryUrl}`);
  }
  const lowPort = config.port < 1024 || (config.autoTls !== undefined && config.autoTls.httpPort < 1024);
  const lines = [
    "# Campfire as a systemd service. Install:",
    "#   campfire systemd | sudo tee /etc/systemd/system/campfire.service",
    "#   sudo systemctl daemon-reload && sudo systemctl enable --now campfire",
    "# Logs: journalctl -u campfire -f",
    "[Unit]",
    "Description=Campfire team chat",
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${command}`,
    ...environment.map((pair) => `Environment=${quoted(pair)}`),
    // A user of its own, made by systemd, owning only /var/lib/campfire.
    "DynamicUser=yes",
    "StateDirectory=campfire",
    "StateDirectoryMode=0700",
    `WorkingDirectory=${STATE_DIR}`,
    ...(backupDir ? [`ReadWritePaths=${backupDir}`] : []),
    ...(lowPort ? ["AmbientCapabilities=CAP_NET_BIND_SERVICE", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE"] : ["CapabilityBoundingSet="]),
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectControlGroups=yes",
    "RestrictSUIDSGID=yes",
    "LockPersonality=yes",
    // SIGTERM drains requests and checkpoints the database; give it that long before SIGKILL.
    "KillSignal=SIGTERM",
    `TimeoutStopSec=${STOP_TIMEOUT_S}`,
    "Restart=on-failure",
    "RestartSec=2",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  ];
  if (!BUILD)
    lines.splice(4, 0, "# Made from a source checkout: ExecStart runs bun on src/main.ts; a release executable puts itself there.");
  return `${lines.join("\n")}\n`;
}
