import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Ajv, { type AnySchema } from "ajv";
import { parse } from "yaml";
import { getLanguageService } from "yaml-language-server";
import { TextDocument } from "vscode-languageserver-textdocument";
import { serviceJsonSchema, SCHEMA_PATH, SCHEMA_DIALECT } from "../../servicespec/json-schema";
import { REPO } from "../helpers/cli";

type Node = { [k: string]: unknown };
const schema = () => JSON.parse(serviceJsonSchema()) as Node;
const services = () => fs.readdirSync(path.join(REPO, "services")).sort();
const specText = (id: string) => fs.readFileSync(path.join(REPO, "services", id, "service.yaml"), "utf8");

/**
 * Strict draft-07 Ajv: any keyword it does not know is an error, except the editor annotations we use.
 * Formats are annotations (the email of rollout.serviceAccount also has a pattern, which is checked).
 */
function draft7(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, logger: false, validateFormats: false });
  ajv.addVocabulary(["enumDescriptions"]);
  return ajv;
}

/** Every subschema with its JSON path, for checks that must hold everywhere. */
function* walk(node: unknown, at = "#"): Generator<[string, Node]> {
  if (!node || typeof node !== "object" || Array.isArray(node)) return;
  const n = node as Node;
  yield [at, n];
  for (const [k, v] of Object.entries(n.properties ?? {})) yield* walk(v, `${at}/properties/${k}`);
  for (const k of ["items", "additionalProperties", "propertyNames"] as const)
    yield* walk(n[k], `${at}/${k}`);
  for (const k of ["anyOf", "oneOf", "allOf"] as const)
    for (const [i, v] of ((n[k] as unknown[]) ?? []).entries()) yield* walk(v, `${at}/${k}/${i}`);
}

describe("JSON Schema", () => {
  it("is committed and up to date (run `npx msp schema -o schema/service.schema.json`)", () => {
    assert.equal(fs.readFileSync(path.join(REPO, SCHEMA_PATH), "utf8"), serviceJsonSchema());
  });

  it("is draft-07, valid against the draft-07 meta-schema, with no keyword a strict validator rejects", () => {
    const s = schema();
    assert.equal(s.$schema, SCHEMA_DIALECT);
    const ajv = draft7();
    assert.ok(ajv.validateSchema(s), JSON.stringify(ajv.errors));
    ajv.compile(s); // throws on unknown keywords and strict-mode problems
  });

  it("describes every property, every enum value and every alternative", () => {
    const missing: string[] = [];
    let properties = 0;
    for (const [at, n] of walk(schema())) {
      for (const [k, v] of Object.entries((n.properties ?? {}) as Record<string, Node>)) {
        properties++;
        if (typeof v.description !== "string" || v.description.length < 10)
          missing.push(`${at}/properties/${k}`);
      }
      if (Array.isArray(n.enum)) {
        const d = n.enumDescriptions as unknown[] | undefined;
        if (!Array.isArray(d) || d.length !== n.enum.length || d.some((x) => typeof x !== "string" || !x))
          missing.push(`${at} (enumDescriptions for ${n.enum.join(", ")})`);
      }
      for (const alt of (n.anyOf as Node[] | undefined) ?? [])
        if ("const" in alt && typeof alt.description !== "string")
          missing.push(`${at} (const ${String(alt.const)})`);
    }
    assert.deepEqual(missing, []);
    assert.ok(properties > 120, `only ${properties} properties: the walk missed some`);
  });

  it("states the category's defaults where the category decides (from platform/categories.ts)", () => {
    const env = ((schema().properties as Node).environments as Node).items as Node;
    const props = env.properties as Record<string, Node>;
    const scaling = ((props.instances!.properties as Node).scaling as Node).properties as Record<
      string,
      Node
    >;
    assert.match(String(scaling.minCount!.description), /Default: test: 0, internal: 0, external: 1\./);
    const pg = ((props.resources!.properties as Node).postgreSQL as Node).properties as Record<string, Node>;
    assert.match(String(pg.highAvailability!.description), /Default: test: no, internal: no, external: no\./);
    const opsgenie = (props.alerting!.properties as Record<string, Node>).opsgenie!;
    assert.match(String(opsgenie.description), /Default: test: no, internal: yes, external: yes\./);
    assert.deepEqual(props.category!.enum, ["test", "internal", "external"]);
    assert.match(String((props.category!.enumDescriptions as string[])[2]), /^Production for customers\./);
  });

  it("has examples and defaults that its own rules accept", () => {
    const ajv = draft7();
    const bad: string[] = [];
    for (const [at, n] of walk(schema())) {
      const { examples, default: def, description: _d, title: _t, ...rules } = n;
      const validate = ajv.compile(rules as AnySchema);
      for (const e of (examples as unknown[] | undefined) ?? [])
        if (!validate(e)) bad.push(`${at} example ${JSON.stringify(e)}`);
      if (def !== undefined && !validate(def)) bad.push(`${at} default ${JSON.stringify(def)}`);
    }
    assert.deepEqual(bad, []);
  });

  it("accepts every example spec (draft-07 Ajv), each referencing the schema on its first line", () => {
    const validate = draft7().compile(schema());
    for (const id of services()) {
      const text = specText(id);
      assert.match(
        text.split("\n")[0]!,
        /^# yaml-language-server: \$schema=\.\.\/\.\.\/schema\/service\.schema\.json$/,
      );
      assert.ok(validate(parse(text)), `${id}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it("rejects unknown keys like the loader does", () => {
    const validate = draft7().compile(schema());
    assert.equal(validate({ service: {}, build: {}, environments: [], bogus: 1 }), false);
  });
});

describe("JSON Schema in the YAML language server (VS Code's YAML extension)", () => {
  /** The language server as an editor runs it: it finds the schema through the spec's modeline. */
  function languageService(requested: string[]) {
    const ls = getLanguageService({
      schemaRequestService: (uri: string) => {
        requested.push(uri);
        return Promise.resolve(fs.readFileSync(fileURLToPath(uri), "utf8"));
      },
      workspaceContext: { resolveRelativePath: (rel: string, res: string) => new URL(rel, res).toString() },
    });
    ls.configure({ validate: true, hover: true, completion: true });
    return ls;
  }
  // The language server caches parsed documents by URI and version: a changed text needs a new version.
  let version = 0;
  const open = (id: string, text = specText(id)) =>
    TextDocument.create(
      pathToFileURL(path.join(REPO, "services", id, "service.yaml")).toString(),
      "yaml",
      ++version,
      text,
    );

  it("loads the committed schema from the modeline and finds no problem in the example specs", async () => {
    const requested: string[] = [];
    const ls = languageService(requested);
    for (const id of services()) assert.deepEqual(await ls.doValidation(open(id), false), [], id);
    assert.deepEqual([...new Set(requested)], [pathToFileURL(path.join(REPO, SCHEMA_PATH)).toString()]);
  });

  it("flags a wrong value and an unknown key, and explains fields and values on hover and completion", async () => {
    const ls = languageService([]);
    const text = specText("accounts")
      .replace("category: external", "category: prod")
      .replace("  name: Accounts", "  name: Accounts\n  colour: blue");
    const doc = open("accounts", text);
    const problems = (await ls.doValidation(doc, false)).map((d) => `${d.range.start.line}: ${d.message}`);
    const line = (needle: string) => text.split("\n").findIndex((l) => l.includes(needle));
    assert.ok(
      problems.some((p) => p.startsWith(`${line("category: prod")}: `) && /test.*internal.*external/.test(p)),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => p.startsWith(`${line("colour")}: `) && /colour/.test(p)),
      problems.join("\n"),
    );

    const hover = await ls.doHover(doc, { line: line("category:"), character: 6 });
    const shown = JSON.stringify(hover?.contents);
    assert.match(shown, /decides the GCP folder/);
    assert.match(shown, /`external`: Production for customers/);

    const region = line("gcpRegion");
    const items = (
      await ls.doComplete(doc, { line: region, character: text.split("\n")[region]!.length }, false)
    ).items;
    const euWest3 = items.find((i) => i.label === "europe-west3");
    assert.equal(euWest3?.documentation, "Frankfurt, Germany");
  });
});
