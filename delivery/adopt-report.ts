/**
 * What `msp adopt` prints: the pins, the import steps in order with the commands to run, what is left to the
 * program and why, what cannot be mapped (each Terraform address with the reason), the stateful resources the
 * first `pulumi up` creates, and the offline check of the state after import.
 */
import type { EnvironmentPins } from "../servicespec/adopted";
import { nameOfAnyUrn } from "../engine/urn";
import type { AdoptionMatch, AdoptStep } from "./adopt";
import type { ExportDiff } from "./diff";

export interface AdoptReport {
  stack: string;
  adoptedFile: string;
  pins: EnvironmentPins;
  notes: string[];
  match: AdoptionMatch;
  steps: readonly AdoptStep[];
  /** Folder of the import files, as the commands should name it. */
  out: string;
  stateFile: string;
  check: ExportDiff;
  stateful: (type: string) => boolean;
}

/** The stateful replacements and deletes the check found: the import would lose data. */
export function statefulLosses(r: Pick<AdoptReport, "check" | "stateful">): string[] {
  return [
    ...r.check.replaces
      .filter((c) => r.stateful(c.type))
      .map((c) => `replace ${c.type} ${nameOfAnyUrn(c.urn)} (${c.fields.join(", ")})`),
    ...r.check.deletes
      .filter((c) => r.stateful(c.type))
      .map((c) => `delete ${c.type} ${nameOfAnyUrn(c.urn)}`),
  ];
}

export function renderAdoptReport(r: AdoptReport): string {
  const lines: string[] = [`msp adopt ${r.stack}`, ""];
  lines.push(`Pins written to ${r.adoptedFile}:`);
  for (const [k, v] of Object.entries(r.pins))
    lines.push(`    ${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  lines.push("", `Import (${r.match.adopted.length} resources), in this order:`);
  let n = 1;
  for (const s of r.steps) {
    if (s.kind === "target") {
      const others = s.urns.filter((u) => !/[:$]pulumi:providers:/.test(u)).length;
      lines.push(
        `  ${n++}. pulumi up --stack ${r.stack} --yes \\`,
        ...s.urns.map((u, i) => `       --target '${u}'${i < s.urns.length - 1 ? " \\" : ""}`),
        `     (creates the providers the next import goes through${others ? `, and ${others} resource(s) they need that no import brings; of what is imported, only what takes an input from those changes` : ""})`,
      );
    } else
      lines.push(
        `  ${n++}. pulumi import --stack ${r.stack} --file ${r.out}/${s.file} --generate-code=false --yes${s.protect ? "" : " --protect=false"}   (${s.document.resources.filter((e) => !e.component).length} resource(s)${s.protect ? ", protected as the program protects them" : ""})`,
      );
  }
  lines.push(
    `  ${n}. pulumi stack export --stack ${r.stack} > exported.json && npx msp diff ${r.stack} --before exported.json`,
    `     (the offline check below, against the real state)`,
  );
  if (r.match.left.length) {
    lines.push("", `Not imported, by decision (${r.match.left.length}):`);
    const byWhy = new Map<string, string[]>();
    for (const l of r.match.left) byWhy.set(l.why, [...(byWhy.get(l.why) ?? []), l.instance.address]);
    for (const [why, addresses] of byWhy) lines.push(`  ${addresses.join(", ")}`, `      ${why}`);
  }
  if (r.match.unmapped.length) {
    lines.push(
      "",
      `UNMAPPED: ${r.match.unmapped.length} Terraform resource(s) no planned resource is; they stay in the cloud, unmanaged, until you decide (import by hand, or delete after the cut-over):`,
    );
    for (const u of r.match.unmapped)
      lines.push(`  ${u.instance.address} (${u.instance.file})`, `      ${u.why}`);
  }
  if (r.match.created.length) {
    lines.push(
      "",
      `Stateful resources no Terraform resource matched: the first pulumi up creates them (${r.match.created.length}); one that exists outside Terraform (Cloud Deploy's <pipeline uid>_clouddeploy bucket) must be imported by hand first (pulumi import <type> <name> <id> --parent ...):`,
    );
    for (const c of r.match.created) lines.push(`  ${c.type} ${nameOfAnyUrn(c.urn)}`);
  }
  const losses = statefulLosses(r);
  lines.push(
    "",
    `Check: the first pulumi preview after the import, offline (msp diff ${r.stack} --before ${r.stateFile}): ` +
      `${r.check.creates.length} to create, ${r.check.updates.length} to update, ${r.check.replaces.length} to replace, ${r.check.deletes.length} to delete`,
  );
  if (losses.length) lines.push("  STATEFUL RESOURCES WOULD BE LOST:", ...losses.map((l) => `    ${l}`));
  else lines.push("  nothing stateful is replaced or deleted");
  return lines.join("\n");
}
