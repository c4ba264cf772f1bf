// The CrossGuard pack used by `pulumi preview --policy-pack policy` and `pulumi up --policy-pack policy`.
// It only constructs the pack: constructing it starts the analyzer server, so nothing else may import this file.
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("msp", { enforcementLevel: "advisory", policies: [...POLICIES] });
