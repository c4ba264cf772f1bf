/**
 * `msp doctor`: is this repository ready for a real first deploy in its organisation? The platform settings,
 * the state backend and its secrets, and the workflows' needs, offline, as a checklist with the fix for each;
 * `--online` adds what the caller's gcloud credentials can read. What it did not check, it says.
 * `--state-backend` runs only the state backend check (the workflows run it before Pulumi).
 */
import type { Command } from "commander";
import * as path from "node:path";
import { doctorExitCode, type Check } from "../../doctor/checks";
import { offlineChecks, stateBackendChecks } from "../../doctor/repository";
import { onlineChecks } from "../../doctor/online";
import { repoRoot } from "../options";
import { stdoutStyle, type Style } from "../terminal";

const LABEL: Record<Check["status"], string> = { ok: "ok", fail: "FAIL", unchecked: "not checked" };

/** One checklist line per check, the detail and the fix indented under it. */
export function formatChecks(checks: readonly Check[], style: Style): string[] {
  const paint = { ok: style.ok, fail: style.danger, unchecked: style.warning };
  const mark = { ok: style.mark.ok, fail: style.mark.error, unchecked: style.mark.warning };
  const width = Math.max(...Object.values(LABEL).map((l) => l.length));
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(
      `${mark[c.status]}${paint[c.status](`[${LABEL[c.status]}]`.padEnd(width + 2))} ${style.strong(c.subject)}: ${c.detail}`,
    );
    if (c.fix) lines.push(`    ${style.muted(c.status === "fail" ? "fix:" : "how:")} ${c.fix}`);
  }
  const count = (s: Check["status"]) => checks.filter((c) => c.status === s).length;
  lines.push(
    "",
    `${count("ok")} ok, ${count("fail")} to fix, ${count("unchecked")} not checked${count("fail") ? "" : " (nothing to fix among what was checked)"}`,
  );
  return lines;
}

export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description(
      "check the platform settings, the state backend and the workflows' needs for a real deploy (offline; --online also asks Google Cloud)",
    )
    .option("--root <dir>", "the repository to check (default: the one msp runs from)")
    .option(
      "--online",
      "also read the billing account, folders and shared secrets with your gcloud credentials",
    )
    .option(
      "--state-backend",
      "check only the state backend and its secrets (what the workflows run before Pulumi)",
    )
    .action((opts: { root?: string; online?: boolean; stateBackend?: boolean }) => {
      const root = path.resolve(opts.root ?? repoRoot());
      const style = stdoutStyle();
      let checks: Check[];
      if (opts.stateBackend) checks = stateBackendChecks(root, process.env);
      else {
        const offline = offlineChecks(root, process.env);
        checks = offline.checks;
        checks.push(
          ...(opts.online
            ? onlineChecks(offline.settings)
            : [
                {
                  subject: "Google Cloud",
                  status: "unchecked" as const,
                  detail:
                    "offline: the billing account, folders and shared secrets were not looked up (doctor never calls a cloud unless asked)",
                  fix: "msp doctor --online, logged in with gcloud as an identity that can read them",
                },
              ]),
        );
      }
      console.log(
        `msp doctor: ${opts.stateBackend ? "the state backend" : "the platform settings"} of ${path.join(root, "Pulumi.yaml")}\n`,
      );
      for (const line of formatChecks(checks, style)) console.log(line);
      process.exitCode = doctorExitCode(checks);
    });
}
