// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation ${…} placeholders are what these tests are about.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CircularSubstitutionError,
  DefinitionLoadError,
  loadStateMachines,
  substituteDefinition,
  UnresolvedPlaceholderError,
} from '#local/stepfunctions/definitions.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures/engine/machines');
const functionArns = {
  GreetFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:greet',
  ApproveFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:approve',
};

describe('substituteDefinition', () => {
  it('replaces every occurrence of each ${key}', () => {
    expect(substituteDefinition('"${a}" "${b}" "${a}"', { a: 'x', b: 'y' })).toBe('"x" "y" "x"');
  });

  it('replaces again while a value brings in another placeholder, as CloudFormation does', () => {
    expect(substituteDefinition('${outer}', { outer: 'arn:${inner}', inner: 'value' })).toBe('arn:value');
  });

  it('takes a key literally, whatever characters it has', () => {
    expect(substituteDefinition('${a.b} ${a-b}', { 'a.b': '1', 'a-b': '2' })).toBe('1 2');
  });

  it('names the placeholder that has no value', () => {
    // Act
    const substitute = () => substituteDefinition('"${known}" "${Missing}"', { known: 'k' }, 'case.asl.json');

    // Assess
    expect(substitute).toThrow(UnresolvedPlaceholderError);
    expect(substitute).toThrow('case.asl.json: no definition substitution for ${Missing}');
  });

  it('refuses substitutions that refer to each other in a circle', () => {
    expect(() => substituteDefinition('${a}', { a: '${b}', b: '${a}' })).toThrow(CircularSubstitutionError);
  });
});

describe('loadStateMachines', () => {
  it('loads each <name>.asl.json as state machine <name>, substituted and compiled', () => {
    // Act
    const machines = loadStateMachines(fixtures, functionArns);

    // Assess
    expect(machines.map((machine) => [machine.name, machine.arn])).toEqual([
      ['greeting', 'arn:aws:states:eu-west-2:000000000000:stateMachine:greeting'],
      ['pause', 'arn:aws:states:eu-west-2:000000000000:stateMachine:pause'],
    ]);
    const greeting = machines[0];
    expect(greeting?.definitionText).toContain(`"FunctionName": "${functionArns.GreetFunctionArn}"`);
    expect(greeting?.definitionText).not.toContain('${');
  });

  it('fails on a file whose placeholder has no substitution, naming the file and the placeholder', () => {
    expect(() => loadStateMachines(fixtures, { GreetFunctionArn: 'greet' })).toThrow(
      /greeting\.asl\.json: no definition substitution for \$\{ApproveFunctionArn\}/,
    );
  });

  it('fails on a definition outside the supported subset, naming the file', () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'machines-'));
    writeFileSync(
      join(directory, 'mapped.asl.json'),
      JSON.stringify({
        QueryLanguage: 'JSONata',
        StartAt: 'Each',
        States: { Each: { Type: 'Map', End: true } },
      }),
    );

    // Act
    const load = () => loadStateMachines(directory);

    // Assess
    try {
      expect(load).toThrow(DefinitionLoadError);
      expect(load).toThrow(/mapped\.asl\.json: .*Map/);
    } finally {
      rmSync(directory, { recursive: true });
    }
  });
});
