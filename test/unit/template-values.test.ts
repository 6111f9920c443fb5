// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub ${…} variables are what these tests resolve.
// The deployed mode resolves the template's intrinsic functions to the local resources, and refuses a
// reference that names nothing, where cfn-resolver-lib alone would leave the reference's own name.
import { describe, expect, it } from 'vitest';
import { StackResolver, type Template, UnresolvedReferenceError } from '#local/deployed/template-values.ts';

const LOCAL = {
  region: 'eu-west-2',
  accountId: '000000000000',
  apiUrl: 'http://127.0.0.1:3000',
  staffTokenAudience: 'local-audience',
  tablePrefix: 'p-',
};

const template: Template = {
  Resources: {
    CasesTable1234: {
      Type: 'AWS::DynamoDB::GlobalTable',
      Metadata: { 'aws:cdk:path': 'App-Stateful/CasesTable/Resource' },
    },
    StepFn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'assess' } },
    Pool: { Type: 'AWS::Cognito::UserPool' },
    Site: { Type: 'AWS::CloudFront::Distribution' },
  },
};

const resolver = new StackResolver('App-Stateless', template, LOCAL, { 'App-Stateful:Key': 'arn:key' });

describe('resolving a template fragment to the local resources', () => {
  it('gives tables their local names (with the prefix) and ARNs, functions theirs, and the pseudo parameters', () => {
    expect(
      resolver.resolve(
        {
          table: { Ref: 'CasesTable1234' },
          arn: { 'Fn::GetAtt': ['CasesTable1234', 'Arn'] },
          index: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['CasesTable1234', 'Arn'] }, '/index/by-csp']] },
          fn: { 'Fn::Sub': 'fn ${StepFn.Arn} in ${AWS::Region}' },
          key: { 'Fn::ImportValue': 'App-Stateful:Key' },
          site: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['Site', 'DomainName'] }]] },
        },
        'test',
      ),
    ).toEqual({
      table: 'p-asb-cases',
      arn: 'arn:aws:dynamodb:eu-west-2:000000000000:table/p-asb-cases',
      index: 'arn:aws:dynamodb:eu-west-2:000000000000:table/p-asb-cases/index/by-csp',
      fn: 'fn arn:aws:lambda:eu-west-2:000000000000:function:assess in eu-west-2',
      key: 'arn:key',
      site: 'https://127.0.0.1:3000',
    });
  });

  it('keeps a policy statement whose Condition names keys, not template conditions', () => {
    const statement = {
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: { 'Fn::ImportValue': 'App-Stateful:Key' },
      Condition: {
        StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'dynamodb.${AWS::Region}.amazonaws.com' } },
      },
    };
    expect(resolver.resolve(statement, 'test')).toEqual({
      ...statement,
      Resource: 'arn:key',
      Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-2.amazonaws.com' } },
    });
  });

  it.each([
    ['an export no stack makes', { 'Fn::ImportValue': 'App-Stateful:Missing' }],
    ['a resource the stack lacks', { Ref: 'NoSuchTable' }],
    ['an attribute with no local counterpart', { 'Fn::GetAtt': ['Pool', 'NoSuchAttribute'] }],
    ['a Sub variable that names nothing', { 'Fn::Sub': 'https://${Nowhere}/x' }],
    ['a function the local cloud does not evaluate', { 'Fn::Base64': 'text' }],
  ])('refuses %s instead of passing its name on', (_what, fragment) => {
    expect(() => resolver.resolve({ Value: fragment }, 'Web environment')).toThrow(UnresolvedReferenceError);
  });
});
