/**
 * Pulumi entry point (`pulumi up --stack <service>-<env>`): the stack program for the selected stack,
 * whose outputs become the stack outputs.
 */
import { programForCurrentStack } from "./program/stack";

export = programForCurrentStack("services");
