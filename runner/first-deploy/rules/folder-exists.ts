/**
 * A project is created in its folder: a folder that does not exist fails the creation (Resource Manager
 * answers that the parent is not found or not permitted), and nothing else can be created. Folder IDs are
 * positive decimal numbers (https://cloud.google.com/resource-manager/docs/creating-managing-folders), so an
 * ID with letters or leading zeros, or one repeated digit, is a placeholder.
 */
import { finding, type FirstDeployRule } from "../finding";
import { PROJECT_TYPE, str, type PlanGraph } from "../plan-graph";

/** Why `folder` (`folders/<id>` or `<id>`) cannot be a real folder, or undefined when it may be one. */
export function placeholderFolder(folder: string): string | undefined {
  const id = folder.replace(/^folders\//, "");
  if (!/^\d+$/.test(id)) return "folder IDs are decimal numbers";
  if (id.startsWith("0")) return "folder IDs have no leading zeros";
  if (/^(\d)\1*$/.test(id)) return "one repeated digit";
  return undefined;
}

export const folderExists: FirstDeployRule = {
  name: "folder-exists",
  source: "https://cloud.google.com/resource-manager/docs/creating-managing-folders (numeric folder IDs)",
  check(graph: PlanGraph) {
    return graph.ofType(PROJECT_TYPE).flatMap((p) => {
      const folder = str(p.inputs?.folderId);
      const why = folder && placeholderFolder(folder);
      if (!folder || !why) return [];
      return [
        finding(this, p, {
          key: folder,
          problem: `folder ${folder} cannot exist (${why}): project creation fails first, so nothing is created.`,
          fix: `set msp:folders in Pulumi.yaml to the organisation's folder per category (gcloud resource-manager folders list --organization=<org ID>).`,
        }),
      ];
    });
  },
};
