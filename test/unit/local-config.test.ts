import { describe, expect, it } from 'vitest';
import { LocalConfigError, readLocalConfig } from '#local/config.ts';

describe('readLocalConfig', () => {
  it('starts a DynamoDB Local of its own and keeps the tables’ own names unless told otherwise', () => {
    // Act
    const config = readLocalConfig({});

    // Assess
    expect(config.dynamodbEndpoint).toBeUndefined();
    expect(config.tablePrefix).toBeUndefined();
    expect(config.dynamodbPort).toBe(8000);
  });

  it('deletes expired items hourly unless TTL_INTERVAL_SECONDS says otherwise', () => {
    expect(readLocalConfig({}).timeToLiveIntervalSeconds).toBe(3600);
    expect(readLocalConfig({ TTL_INTERVAL_SECONDS: '5' }).timeToLiveIntervalSeconds).toBe(5);
  });

  it('takes a running DynamoDB from DYNAMODB_ENDPOINT and a prefix for the tables from TABLE_PREFIX', () => {
    // Act
    const config = readLocalConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8123', TABLE_PREFIX: 's1_a.b-' });

    // Assess
    expect(config.dynamodbEndpoint).toBe('http://127.0.0.1:8123');
    expect(config.tablePrefix).toBe('s1_a.b-');
  });

  it.each([
    ['DYNAMODB_ENDPOINT', '127.0.0.1:8000', 'DYNAMODB_ENDPOINT must be an http:// or https:// address'],
    ['DYNAMODB_ENDPOINT', 'ftp://127.0.0.1:8000', 'DYNAMODB_ENDPOINT must be an http:// or https:// address'],
    ['TABLE_PREFIX', 'my tables/', "TABLE_PREFIX may hold only letters, digits, '_', '-' and '.'"],
    ['TTL_INTERVAL_SECONDS', '0', 'TTL_INTERVAL_SECONDS must be a whole number of seconds, at least 1'],
    ['TTL_INTERVAL_SECONDS', '1.5', 'TTL_INTERVAL_SECONDS must be a whole number of seconds, at least 1'],
  ])('refuses %s=%s, naming the setting', (name, value, message) => {
    // Act
    const read = () => readLocalConfig({ [name]: value });

    // Assess
    expect(read).toThrow(LocalConfigError);
    expect(read).toThrow(message);
  });
});
