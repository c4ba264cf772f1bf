/** The random provider: IDs and passwords (generated on create, so unknown until then). */
import { createHash } from "node:crypto";
import type * as random from "@pulumi/random";
import { resourceModel, type ResourceModel } from "./define";

export const randomModels: Record<string, ResourceModel> = {
  "random:index/randomId:RandomId": resourceModel<typeof random.RandomId>().onCreate((inputs, ctx) => {
    const bytes = Buffer.from(
      createHash("sha256")
        .update(`randomid/${ctx.name}/${inputs.byteLength}`)
        .digest()
        .subarray(0, inputs.byteLength),
    );
    const hex = bytes.toString("hex");
    return {
      id: bytes.toString("base64url"),
      state: {
        hex,
        dec: BigInt(`0x${hex}`).toString(),
        b64Std: bytes.toString("base64"),
        b64Url: bytes.toString("base64url"),
      },
    };
  }),
  "random:index/randomPassword:RandomPassword": resourceModel<typeof random.RandomPassword>().onCreate(
    (inputs, ctx) => {
      const length = inputs.length;
      const result = createHash("sha256")
        .update(`password/${ctx.name}`)
        .digest("base64")
        .replace(/[^A-Za-z0-9]/g, "x")
        .padEnd(length, "x")
        .slice(0, length);
      return { id: "none", state: { result } };
    },
  ),
};
