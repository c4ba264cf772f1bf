/**
 * `msp doctor` as a command, offline: on the example repository (placeholders: exit 1, each with its fix, and
 * what it did not check said plainly), on an adopted copy with real-shaped settings (exit 0), the state backend
 * alone as the workflows run it, and --online with a fake gcloud (never a real cloud).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mspInProcess as msp, REPO } from "../helpers/cli";

/** Environment without any state backend or gcloud of the machine running the tests. */
const CLEAN = {
  PULUMI_BACKEND_URL: "",
  PULUMI_CONFIG_PASSPHRASE: "",
  PULUMI_CONFIG_PASSPHRASE_FILE: "",
  PULUMI_SECRETS_PROVIDER: "",
};

/** A copy of the repository's Pulumi.yaml, stacks and workflows, with `edit` applied to Pulumi.yaml. */
function adopted(edit: (pulumiYaml: string) => string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "msp-doctor-"));
  fs.writeFileSync(
    path.join(root, "Pulumi.yaml"),
    edit(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8")),
  );
  fs.cpSync(path.join(REPO, "stacks"), path.join(root, "stacks"), { recursive: true });
  fs.cpSync(path.join(REPO, ".github"), path.join(root, ".github"), { recursive: true });
  return root;
}

const REAL = (text: string) =>
  text
    .replace("000000-000000-000000", "01A2B3-C4D5E6-F7A8B9")
    .replace("folders/000000000001", "folders/123456789011")
    .replace("folders/000000000002", "folders/123456789012")
    .replace("folders/000000000003", "folders/123456789013");

describe("msp doctor", function () {
  this.timeout(60_000);
  const roots: string[] = [];
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
  const root = (edit: (t: string) => string) => {
    const r = adopted(edit);
    roots.push(r);
    return r;
  };

  it("on the example repository: reports the placeholders with their fix, says what it did not check, exits 1", async () => {
    const r = await msp(["doctor"], REPO, CLEAN);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^\[FAIL\] +msp:billingAccount: 000000-000000-000000 is a placeholder/m);
    assert.match(r.stdout, /^    fix: set msp:billingAccount in Pulumi\.yaml/m);
    for (const c of ["test", "internal", "external"])
      assert.match(
        r.stdout,
        new RegExp(`^\\[FAIL\\] +msp:folders\\.${c}: folders/0+\\d is a placeholder`, "m"),
      );
    assert.match(r.stdout, /^\[ok\] +workflows: state secrets/m);
    assert.match(r.stdout, /^\[not checked\] Google Cloud: offline/m);
    assert.match(
      r.stdout,
      /^\[not checked\] workflows: GitHub variables: not readable offline; .*GCP_WORKLOAD_IDENTITY_PROVIDER/m,
    );
    assert.match(r.stdout, /^\[not checked\] state backend: /m);
    assert.match(r.stdout, /^\d+ ok, 4 to fix, \d+ not checked$/m);
  });

  it("on an adopted repository with real-shaped settings: exits 0, still saying what it did not check", async () => {
    const r = await msp(["doctor", "--root", root(REAL)], REPO, CLEAN);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /\[FAIL\]/);
    assert.match(r.stdout, /0 to fix, \d+ not checked \(nothing to fix among what was checked\)/);
    assert.match(r.stdout, /\[not checked\] identities and roles/);
  });

  it("reports every missing organisation setting by its key", async () => {
    const r = await msp(
      [
        "doctor",
        "--root",
        root((t) =>
          REAL(t)
            .replace(/  msp:slackWorkspaceUrl:\n(    .*\n)+/, "")
            .replace(/  msp:staffDomain:\n(    .*\n)+/, ""),
        ),
      ],
      REPO,
      CLEAN,
    );
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^\[FAIL\] +msp:slackWorkspaceUrl: missing$/m);
    assert.match(r.stdout, /^\[FAIL\] +msp:staffDomain: missing$/m);
  });

  it("--state-backend (what the workflows run before Pulumi): a GCS backend needs the passphrase or a KMS key", async () => {
    const gcs = { ...CLEAN, PULUMI_BACKEND_URL: "gs://acme-pulumi-state" };
    const without = await msp(["doctor", "--state-backend"], REPO, gcs);
    assert.equal(without.status, 1, without.stdout);
    assert.match(
      without.stdout,
      /\[FAIL\] +state backend: gs:\/\/acme-pulumi-state \(PULUMI_BACKEND_URL\) is a DIY backend/,
    );
    assert.doesNotMatch(without.stdout, /billingAccount/, "only the state backend");
    const passphrase = await msp(["doctor", "--state-backend"], REPO, {
      ...gcs,
      PULUMI_CONFIG_PASSPHRASE: "s3cret",
    });
    assert.equal(passphrase.status, 0, passphrase.stdout);
    assert.doesNotMatch(passphrase.stdout, /s3cret/, "the passphrase is never printed");
    const kms = await msp(["doctor", "--state-backend"], REPO, {
      ...gcs,
      PULUMI_SECRETS_PROVIDER: "gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k",
    });
    assert.equal(kms.status, 0, kms.stdout);
    const cloud = await msp(["doctor", "--state-backend"], REPO, CLEAN);
    assert.equal(cloud.status, 0, "Pulumi Cloud (no URL): nothing to fix");
  });

  it("--online asks gcloud read-only questions, and says so when gcloud is missing", async () => {
    const fakes = fs.mkdtempSync(path.join(os.tmpdir(), "msp-doctor-gcloud-"));
    roots.push(fakes);
    const log = path.join(fakes, "calls.log");
    // Answers as an open billing account, active folders, and enabled secrets except the Slack token.
    fs.writeFileSync(
      path.join(fakes, "gcloud"),
      `#!/usr/bin/env bash\necho "$*" >> "${log}"\ncase "$1 $2" in\n  "auth list") echo deployer@acme.example ;;\n  "billing accounts") echo True ;;\n  "resource-manager folders") echo ACTIVE ;;\n  "secrets versions") case "$*" in *SLACK*) echo "NOT_FOUND" >&2; exit 1 ;; *) echo ENABLED ;; esac ;;\n  *) exit 3 ;;\nesac\n`,
      { mode: 0o755 },
    );
    const online = await msp(["doctor", "--online", "--root", root(REAL)], REPO, {
      ...CLEAN,
      PATH: `${fakes}:${process.env.PATH}`,
    });
    assert.equal(online.status, 1, online.stdout);
    assert.match(
      online.stdout,
      /^\[ok\] +msp:billingAccount \(online\): deployer@acme\.example reads it: True$/m,
    );
    assert.match(online.stdout, /^\[ok\] +msp:folders\.external \(online\)/m);
    assert.match(online.stdout, /^\[ok\] +secret SOURCEGRAPH_WILDCARD_KEY \(online\)/m);
    assert.match(
      online.stdout,
      /^\[FAIL\] +secret SLACK_OPERATOR_BOT_TOKEN \(online\): deployer@acme\.example cannot read it/m,
    );
    const calls = fs.readFileSync(log, "utf8");
    assert.match(calls, /^resource-manager folders describe 123456789013 --format=value\(lifecycleState\)$/m);
    assert.match(
      calls,
      /^secrets versions describe latest --secret=SOURCEGRAPH_WILDCARD_CERT --project=msp-platform-secrets/m,
    );
    assert.doesNotMatch(calls, /\b(create|add|delete|set-iam-policy|update)\b/, "read-only");

    // A PATH without gcloud (this machine may have a real one: it is never run).
    const empty = path.join(fakes, "empty");
    fs.mkdirSync(empty);
    const missing = await msp(["doctor", "--online", "--root", root(REAL)], REPO, { ...CLEAN, PATH: empty });
    assert.equal(missing.status, 0, missing.stdout);
    assert.match(missing.stdout, /^\[not checked\] Google Cloud \(--online\): gcloud is not installed$/m);
  });
});
