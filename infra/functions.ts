// The service's Lambda functions, described once: CDK builds one function per entry and the local
// gateway and engine load the same modules in-process. A route is "METHOD /path" as API Gateway HTTP
// APIs write route keys; `workflow` functions are called by the state machine, whose definition refers
// to them as `${<id>FunctionArn}`.

export interface FunctionSpec {
  /** The CDK construct id and the local function name. */
  id: string;
  /** The module, relative to the project root, exporting `handler`. */
  entry: string;
  routes: readonly string[];
  workflow: boolean;
}

export const functionSpecs: readonly FunctionSpec[] = [
  { id: 'Health', entry: 'functions/api/health.ts', routes: ['GET /health'], workflow: false },
];

export const LOCAL_REGION = 'eu-west-2';
export const LOCAL_ACCOUNT = '000000000000';

export function localFunctionArn(id: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${id}`;
}

/** The `definitionSubstitutions` the state machines need: one ARN per workflow function. */
export function definitionSubstitutions(arnOf: (spec: FunctionSpec) => string): Record<string, string> {
  return Object.fromEntries(
    functionSpecs.filter((spec) => spec.workflow).map((spec) => [`${spec.id}FunctionArn`, arnOf(spec)]),
  );
}
