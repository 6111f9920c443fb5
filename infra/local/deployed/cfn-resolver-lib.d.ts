// The part of cfn-resolver-lib (which ships no types) that the local cloud uses.
declare module 'cfn-resolver-lib' {
  export default class NodeEvaluator {
    constructor(template: unknown, parameters?: Record<string, unknown>, verbose?: boolean);
    evaluateNodes(overrides?: Record<string, unknown>): unknown;
  }
}
