/** The time provider (@pulumiverse/time): waits, which the cloud never sees. */
import type * as time from "@pulumiverse/time";
import { resourceModel, str, type ResourceModel } from "./define";

export const timeModels: Record<string, ResourceModel> = {
  // The provider's ID of a sleep is `<create duration>,<destroy duration>` (its import format); it computes
  // nothing else. Offline nothing waits: the plan records the wait, the real `pulumi up` sleeps.
  "time:index/sleep:Sleep": resourceModel<typeof time.Sleep>().onCreate((inputs) => ({
    id: `${str(inputs.createDuration)},${str(inputs.destroyDuration)}`,
    state: {},
  })),
};
