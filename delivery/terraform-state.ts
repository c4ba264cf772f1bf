/**
 * Reads a Terraform state file (`terraform state pull` of one of MSP's Terraform Cloud workspaces, format
 * version 4) into a flat list of resource instances, defensively: the file comes from outside the repository,
 * so a bad one gives one clear error, never a crash. Only what `msp adopt` reads is kept: each managed instance's
 * address, type and attributes. Data sources (`mode: data`) are reads, not resources, and are left out.
 */
import { jsonDepth, MAX_EXPORT_DEPTH } from "../engine/read-export";
import { FileReadError, readRegularFile } from "../servicespec/read-file";

/** A state of a few thousand resources is a few MB; far above any MSP workspace's. */
export const MAX_TFSTATE_BYTES = 32 * 1024 * 1024;

export class TerraformStateError extends Error {
  override name = "TerraformStateError";
  constructor(file: string, problem: string) {
    super(`cannot read Terraform state ${file}: ${problem}`);
  }
}

/** One instance of a managed resource: `google_sql_database_instance.postgresql-instance` (`[key]` for counts). */
export interface TerraformInstance {
  /** Its address in the state, `module.<m>.<type>.<name>[<key>]`. */
  readonly address: string;
  readonly type: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The state file it came from (a workspace of MSP's: project, iam, cloudrun, monitoring). */
  readonly file: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function readTerraformState(file: string): TerraformInstance[] {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file, { maxBytes: MAX_TFSTATE_BYTES });
  } catch (e) {
    if (e instanceof FileReadError) throw new TerraformStateError(file, e.message);
    throw e;
  }
  return parseTerraformState(bytes.toString("utf8"), file);
}

export function parseTerraformState(text: string, file: string): TerraformInstance[] {
  const fail = (problem: string): never => {
    throw new TerraformStateError(file, problem);
  };
  if (jsonDepth(text) > MAX_EXPORT_DEPTH) fail(`JSON nests deeper than ${MAX_EXPORT_DEPTH} levels`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail(`invalid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) return fail("not a JSON object");
  if (doc.version !== 4)
    fail(
      `state format version ${JSON.stringify(doc.version)}, not 4 (terraform state pull with Terraform 0.12 or later writes 4)`,
    );
  if (!Array.isArray(doc.resources)) return fail("no resources array");
  const out: TerraformInstance[] = [];
  const problems: string[] = [];
  doc.resources.forEach((r: unknown, i) => {
    const where = `resources[${i}]`;
    if (!isObject(r)) return void problems.push(`${where} is not an object`);
    if (r.mode === "data") return;
    if (r.mode !== "managed") return void problems.push(`${where}.mode must be managed or data`);
    if (typeof r.type !== "string" || typeof r.name !== "string")
      return void problems.push(`${where} needs a type and a name`);
    if (!Array.isArray(r.instances)) return void problems.push(`${where}.instances must be an array`);
    const base = `${typeof r.module === "string" && r.module ? `${r.module}.` : ""}${r.type}.${r.name}`;
    r.instances.forEach((inst: unknown, j) => {
      if (!isObject(inst) || !isObject(inst.attributes))
        return void problems.push(`${where}.instances[${j}].attributes must be an object`);
      const key = inst.index_key;
      const address = key === undefined ? base : `${base}[${JSON.stringify(key)}]`;
      out.push({ address, type: r.type as string, attributes: inst.attributes, file });
    });
  });
  if (problems.length)
    fail(
      problems.slice(0, 10).join("; ") + (problems.length > 10 ? `; and ${problems.length - 10} more` : ""),
    );
  return out;
}
