/**
 * msp adopt, run: reads the Terraform states, pins MSP's names in adopted.yaml, plans the stack offline with
 * them, matches, writes the import files and the state they leave, and checks that state against the plan as
 * the first `pulumi preview` after the import would (delivery/adopt.ts). Loads the Pulumi SDKs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { loadService, SpecError } from "../../servicespec/loader";
import { ADOPTED_FILE, parseAdoptedPins } from "../../servicespec/adopted";
import { stackName } from "../../platform/naming";
import { classify } from "../../platform/resource-types";
import { platformSettingsFor } from "../../program/config";
import { appliedExport } from "./diff-plan";
import {
  readTerraformState,
  TerraformStateError,
  type TerraformInstance,
} from "../../delivery/terraform-state";
import { adoptedYamlText, pinsFromTerraform } from "../../delivery/adopt-pins";
import { adoptionSteps, importedState, matchTerraform } from "../../delivery/adopt";
import { renderAdoptReport, statefulLosses } from "../../delivery/adopt-report";
import { diffExports } from "../../delivery/diff";
import { EXIT_FAILURE, UsageError } from "../errors";
import { repoRoot, servicesDir } from "../options";
import { requireEnvironment, requireService } from "../lookup";
import { writeFilesAtomically } from "../atomic-write";
import { progress } from "../progress";

export interface AdoptOptions {
  from: string[];
  out: string;
  allowUnmapped?: boolean;
}

export const STATE_FILE = "state-after-import.json";

export async function runAdopt(
  program: Command,
  svc: string,
  envId: string,
  opts: AdoptOptions,
): Promise<void> {
  const dir = servicesDir(program);
  requireService(dir, svc);
  const loaded = loadService(dir, svc);
  const env = requireEnvironment(loaded, envId);
  const stack = stackName(loaded.spec, env);
  let instances: TerraformInstance[];
  try {
    instances = opts.from.flatMap((f) => readTerraformState(f));
  } catch (e) {
    if (e instanceof TerraformStateError) throw new UsageError(e.message);
    throw e;
  }
  const { pins, notes } = pinsFromTerraform(instances, env);
  const adoptedFile = path.join(dir, svc, ADOPTED_FILE);
  const existing = fs.existsSync(adoptedFile) ? fs.readFileSync(adoptedFile, "utf8") : undefined;
  const text = adoptedYamlText(existing, envId, pins);
  const checked = parseAdoptedPins(adoptedFile, text, loaded.spec);
  if ("issues" in checked) throw new SpecError(checked.issues);

  progress()(`planning ${stack} offline with MSP's names`);
  const { export: planned } = await appliedExport(
    { service: { ...loaded, adopted: checked.pins }, env, name: stack },
    platformSettingsFor(stack, repoRoot()),
  );
  const match = matchTerraform(instances, planned);
  const steps = adoptionSteps(match, planned);
  const state = importedState(match, steps, planned);
  const out = opts.out === "adopt-<service>-<env>" ? `adopt-${stack}` : opts.out;
  const stateFile = path.join(out, STATE_FILE);
  writeFilesAtomically([
    { file: adoptedFile, text },
    ...steps.flatMap((s) =>
      s.kind === "import"
        ? [{ file: path.join(out, s.file), text: JSON.stringify(s.document, null, 2) + "\n" }]
        : [],
    ),
    { file: stateFile, text: JSON.stringify(state, null, 2) + "\n" },
  ]);
  const report = {
    stack,
    adoptedFile,
    pins: checked.pins[envId] ?? {},
    notes,
    match,
    steps,
    out,
    stateFile,
    check: diffExports(state, planned),
    stateful: (type: string) => classify(type)?.stateful === true,
  };
  console.log(renderAdoptReport(report));
  const losses = statefulLosses(report).length;
  const unmapped = match.unmapped.length && !opts.allowUnmapped;
  if (losses || unmapped) {
    console.error(
      `msp adopt: ${[losses ? `${losses} stateful resource(s) would be lost` : "", unmapped ? `${match.unmapped.length} Terraform resource(s) unmapped (review them; --allow-unmapped to accept)` : ""].filter(Boolean).join(", ")}`,
    );
    process.exitCode = EXIT_FAILURE;
  }
}
