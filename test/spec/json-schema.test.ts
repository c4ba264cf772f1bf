import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { serviceJsonSchema, SCHEMA_PATH } from "../../spec/json-schema";
import { REPO } from "../helpers/cli";

describe("JSON Schema", () => {
  it("is committed and up to date (run `npx msp schema -o schema/service.schema.json`)", () => {
    assert.equal(fs.readFileSync(path.join(REPO, SCHEMA_PATH), "utf8"), serviceJsonSchema());
  });

  it("accepts every example spec and is referenced by its first line", () => {
    const ajv = new Ajv2020({ strict: false, logger: false });
    const validate = ajv.compile(JSON.parse(serviceJsonSchema()) as object);
    for (const id of fs.readdirSync(path.join(REPO, "services"))) {
      const text = fs.readFileSync(path.join(REPO, "services", id, "service.yaml"), "utf8");
      assert.match(
        text.split("\n")[0]!,
        /^# yaml-language-server: \$schema=\.\.\/\.\.\/schema\/service\.schema\.json$/,
      );
      assert.ok(validate(parse(text)), `${id}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it("rejects unknown keys like the loader does", () => {
    const ajv = new Ajv2020({ strict: false, logger: false });
    const validate = ajv.compile(JSON.parse(serviceJsonSchema()) as object);
    assert.equal(validate({ service: {}, build: {}, environments: [], bogus: 1 }), false);
  });
});
