import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "../options";
import { dashboardLayout } from "./dashboard-layout";

export interface DashboardArgs {
  readonly projectId: pulumi.Input<string>;
  readonly title: string;
  /** Linked from the dashboard's banner. */
  readonly handbookUrl: string;
  /** Sections in order, each with the alert policies (resource names) it charts. */
  readonly groups: readonly { readonly title: string; readonly policies: readonly pulumi.Input<string>[] }[];
}

/** A Cloud Monitoring dashboard charting alert policies, one collapsible section per group. */
export class Dashboard extends pulumi.ComponentResource {
  public readonly dashboardId: pulumi.Output<string>;

  constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("msp:monitoring:Dashboard", name, {}, opts);
    const groups = args.groups;
    const dashboard = new gcp.monitoring.Dashboard(
      `${name}-dashboard`,
      {
        project: args.projectId,
        dashboardJson: pulumi.all(groups.map((g) => pulumi.all([...g.policies]))).apply((names) =>
          JSON.stringify(
            dashboardLayout(
              args.title,
              args.handbookUrl,
              groups.map((g, i) => ({ title: g.title, policies: names[i]! })),
            ),
          ),
        ),
      },
      childOptions(this),
    );
    this.dashboardId = dashboard.id;
    this.registerOutputs({ dashboardId: this.dashboardId });
  }
}
