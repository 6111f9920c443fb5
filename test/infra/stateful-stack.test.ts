import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createTableInput, tables } from '#data/table-specs.ts';
import { StatefulStack } from '#infra/stacks/stateful-stack.ts';

describe('StatefulStack', () => {
  const template = Template.fromStack(
    new StatefulStack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-2' } }),
  );

  it('builds every table from the same spec the local runtime creates', () => {
    for (const spec of tables) {
      const local = createTableInput(spec);
      const [, resource] =
        Object.entries(template.findResources('AWS::DynamoDB::GlobalTable')).find(([logicalId]) =>
          logicalId.startsWith(spec.id),
        ) ?? [];
      expect(resource, spec.id).toBeDefined();
      const properties = resource?.Properties as Record<string, unknown>;
      expect(properties.KeySchema).toEqual(local.KeySchema);
      expect(new Set(properties.AttributeDefinitions as unknown[])).toEqual(
        new Set(local.AttributeDefinitions),
      );
      const indexes = (properties.GlobalSecondaryIndexes ?? []) as {
        IndexName: string;
        KeySchema: unknown;
      }[];
      expect(indexes.map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema }))).toEqual(
        (local.GlobalSecondaryIndexes ?? []).map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema })),
      );
    }
  });

  it('encrypts with a customer managed key, keeps backups and refuses deletion', () => {
    template.allResourcesProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { KMSMasterKeyId: Match.anyValue() },
        }),
      ],
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('deletes expired case data through TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('keeps a GOV.UK Notify key only for a deployment that sends through Notify', () => {
    // Prepare
    const env = { account: '123456789012', region: 'eu-west-2' };

    // Act
    const withNotify = Template.fromStack(
      new StatefulStack(new App(), 'Notify', { env, notifyApiKey: true }),
    );

    // Assess
    withNotify.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    withNotify.allResourcesProperties('AWS::SecretsManager::Secret', { KmsKeyId: Match.anyValue() });
  });
});
