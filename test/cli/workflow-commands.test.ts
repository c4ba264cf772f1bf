/** cli/workflow-commands.ts: msp's output never carries a GitHub Actions workflow command (issue 23, finding 5). */
import * as assert from "node:assert/strict";
import { guardWorkflowCommands, neutralise, newLineState } from "../../cli/workflow-commands";

/** The runner's two parsers (actions/runner ActionCommand.TryParseV2 and TryParse), line by line. */
function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith("::") || l.includes("##["));
}

const ATTACKS = [
  "::add-mask::secret",
  "  ::warning file=x::owned",
  "\t::stop-commands::abc",
  "name ##[add-mask]x",
  "prefix\n::error::x\r::notice::y\r\n   ::debug::z",
  "\u00a0::group::x",
];

describe("workflow commands neutralised at the output boundary (cli/workflow-commands.ts)", () => {
  it("no attack line survives, whole or split across writes at every position", () => {
    for (const attack of ATTACKS) {
      assert.deepEqual(commandLines(neutralise(attack, newLineState())), [], JSON.stringify(attack));
      for (let i = 0; i <= attack.length; i++) {
        const state = newLineState();
        const out = neutralise(attack.slice(0, i), state) + neutralise(attack.slice(i), state);
        assert.deepEqual(commandLines(out), [], `${JSON.stringify(attack)} split at ${i}`);
      }
    }
  });

  it("keeps ordinary output byte for byte, and JSON keeps its meaning (the control)", () => {
    const plain = " +  ├─ gcp:projects/iAMMember:IAMMember   a::b   create\nPolicies: 0 mandatory # ok [x]\n";
    assert.equal(neutralise(plain, newLineState()), plain);
    const doc = { name: "x ##[add-mask]y", lines: ["::warning::z"] };
    const json = JSON.stringify(doc, null, 2);
    const out = neutralise(json, newLineState());
    assert.deepEqual(commandLines(out), []);
    assert.deepEqual(JSON.parse(out), doc);
  });

  it("guards a stream's writes, strings and buffers, once however often it is installed (as cli/main.ts does)", () => {
    const written: string[] = [];
    const stream = {
      write: (chunk: string | Uint8Array, ...rest: unknown[]) => {
        written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
        cb?.();
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    guardWorkflowCommands(stream);
    guardWorkflowCommands(stream);
    stream.write("ok\n:");
    stream.write(Buffer.from(":add-mask::x\n"));
    stream.write("##", "utf8");
    stream.write("[error]y\n");
    assert.equal(written.join(""), "ok\n: :add-mask::x\n##\\u005berror]y\n");
  });
});
