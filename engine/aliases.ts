/**
 * The aliases of a registration, as URNs: the former URNs under which the engine looks for a resource's state
 * before it decides the resource is new (pulumi/pulumi pkg/resource/deploy/step_generator.go:
 * collapseAliasToUrn, generateAliases, inheritedChildAlias). The SDK sends them as specs (the `aliasSpecs`
 * feature) or, from older SDKs, as URNs; a child also answers to its name under each alias of its parent.
 *
 * The engine inherits only the alias its parent was actually found by; offline there is no prior state to
 * find anything in, so every alias of the parent is inherited. Recorded in the stack export (`aliases`, as
 * in the state file), they let `msp diff` pair a moved resource with its former self, as `pulumi up` would.
 */

import { nameOfUrn, projectOfUrn, stackOfUrn, typeOfUrn } from "./urn";

/** The alias fields of a RegisterResourceRequest (proto/resource_pb, proto/alias_pb). */
export interface AliasRequest {
  getAliasesList(): {
    getUrn(): string;
    hasSpec(): boolean;
    getSpec():
      | {
          getName(): string;
          getType(): string;
          getStack(): string;
          getProject(): string;
          getParenturn(): string;
          getNoparent(): boolean;
        }
      | undefined;
  }[];
  getAliasurnsList(): string[];
}

/** Builds a URN the way the engine recording the plan does (engine/urn.ts): (parent URN, type, name) -> URN. */
export type UrnOf = (parent: string, type: string, name: string) => string;

export interface AliasGoal {
  type: string;
  name: string;
  /** The parent's URN; the stack's for a resource of the program itself. */
  parent: string;
}

/**
 * The alias URNs of a registration, without duplicates or its own URN. `stack` is the root stack's URN (the
 * parent of an alias with no parent); `parentAliases` are the aliases recorded for its parent.
 */
export function aliasUrns(
  req: AliasRequest,
  goal: AliasGoal,
  urnOf: UrnOf,
  stack: string,
  parentAliases: readonly string[],
): string[] {
  const own = urnOf(goal.parent, goal.type, goal.name);
  const out = new Set<string>();
  const collapsed: string[] = [];
  for (const alias of req.getAliasesList()) {
    const spec = alias.hasSpec() ? alias.getSpec() : undefined;
    if (!spec) {
      if (alias.getUrn()) collapsed.push(alias.getUrn());
      continue;
    }
    if (!sameStackAndProject(own, spec)) continue;
    const parent = spec.getNoparent() ? stack : spec.getParenturn() || goal.parent;
    collapsed.push(urnOf(parent, spec.getType() || goal.type, spec.getName() || goal.name));
  }
  collapsed.push(...req.getAliasurnsList());
  for (const urn of collapsed) out.add(urn);
  // A child answers to its (aliased) name under each alias of its parent (only a parent has aliases).
  const parentName = parentAliases.length ? nameOfUrn(goal.parent) : "";
  const inherited = (type: string, name: string, parentAlias: string) =>
    urnOf(
      parentAlias,
      type,
      name.startsWith(parentName) ? nameOfUrn(parentAlias) + name.slice(parentName.length) : name,
    );
  for (const parentAlias of parentAliases) {
    out.add(inherited(goal.type, goal.name, parentAlias));
    for (const urn of collapsed) out.add(inherited(typeOfUrn(urn), nameOfUrn(urn), parentAlias));
  }
  out.delete(own);
  return [...out].sort();
}

/** An alias naming another stack or project is another stack's resource: it cannot be found here. */
function sameStackAndProject(urn: string, spec: { getStack(): string; getProject(): string }): boolean {
  return (
    (!spec.getStack() || spec.getStack() === stackOfUrn(urn)) &&
    (!spec.getProject() || spec.getProject() === projectOfUrn(urn))
  );
}
