import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { type Attribute, AttributeType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { type KeyAttribute, type TableSpec, tables } from '#infra/tables.ts';

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/** What outlives every deployment: the tables and the key that encrypts them. */
export class StatefulStack extends Stack {
  readonly key: Key;
  readonly tables: ReadonlyMap<string, TableV2>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.key = new Key(this, 'DataKey', {
      description: 'Encrypts the ASB case review data',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.tables = new Map(tables.map((spec) => [spec.id, this.table(spec)]));
  }

  private table(spec: TableSpec): TableV2 {
    return new TableV2(this, spec.id, {
      partitionKey: attribute(spec.partitionKey),
      ...(spec.sortKey && { sortKey: attribute(spec.sortKey) }),
      globalSecondaryIndexes: spec.globalIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey && { sortKey: attribute(index.sortKey) }),
      })),
      ...(spec.ttlAttribute && { timeToLiveAttribute: spec.ttlAttribute }),
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
