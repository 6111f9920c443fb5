// The deployment without and with domains of the area's own. How CloudFront reaches the API, so the WAF
// cannot be walked around: always with the origin secret every HTTP function checks; with a custom
// domain and an origin certificate, at the API's regional custom domain, its `execute-api` address
// turned off. Where staff sign in: Cognito's prefixed domain, or the area's own sign-in domain; and,
// with SES as the notifier, the user pool's invitations and recovery sent from the service's address.
// The static files: from a private bucket behind /assets/*, uploaded as infra/web-build.ts builds them.
// Bundling and CDK's CloudFormation checks are skipped here (test/infra/deployment.test.ts runs both).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { MERSEYSIDE } from '#core/area-config.ts';
import { createDeployment } from '#infra/deployment.ts';
import {
  deploymentConfigFrom,
  exampleNotificationSettings,
  InvalidContextError,
} from '#infra/deployment-config.ts';
import { ASSET_TYPES, buildWeb } from '#infra/web-build.ts';

const CLOUDFRONT_CERTIFICATE =
  'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const ORIGIN_CERTIFICATE =
  'arn:aws:acm:eu-west-2:123456789012:certificate/66666666-7777-8888-9999-000000000000';
const DOMAIN = 'asb.merseyside.example';
const VERSION = 'a1b2c3d4-e5f6-4a5b-8c7d-0123456789ab';
const SENDER = 'no-reply@asb.merseyside.example';

/** Notification settings that send through Amazon SES from the service's own address. */
function sesNotifications(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ses-notifications-')), 'notifications.json');
  const example = exampleNotificationSettings(MERSEYSIDE);
  writeFileSync(
    file,
    JSON.stringify({ provider: 'ses', staff: example.staff, ses: { fromAddress: SENDER } }),
  );
  return file;
}

function synthesise(settings: Record<string, string>) {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'cdk-edge-origin-')),
    context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong', 'aws:cdk:bundling-stacks': [] },
    // CDK's CloudFormation checks only warn, and were most of each synthesis's CPU.
    builtinCloudFormationValidation: false,
  });
  const deployment = createDeployment(
    app,
    deploymentConfigFrom((key) => settings[key]),
    '123456789012',
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
  return { stateless: Template.fromStack(deployment.stateless), report };
}

// Without a custom domain; synthesised once for the tests that read it.
let plain: ReturnType<typeof synthesise> | undefined;
const withoutCustomDomain = () => {
  plain ??= synthesise({});
  return plain;
};

interface Origin {
  Id: string;
  DomainName: unknown;
  OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
  S3OriginConfig?: unknown;
  OriginAccessControlId?: unknown;
}
interface Behavior {
  PathPattern: string;
  TargetOriginId: string;
  CachePolicyId: unknown;
  Compress: boolean;
  ViewerProtocolPolicy: string;
  AllowedMethods: string[];
}
function distributionOf(stateless: Template) {
  const [distribution] = Object.values(stateless.findResources('AWS::CloudFront::Distribution')) as {
    Properties: { DistributionConfig: { Origins: Origin[]; CacheBehaviors: Behavior[] } };
  }[];
  return distribution?.Properties.DistributionConfig;
}
/** The origins in front of the API (the static files' bucket is the other). */
function originsOf(stateless: Template): Origin[] {
  return (distributionOf(stateless)?.Origins ?? []).filter((origin) => !origin.S3OriginConfig);
}

describe('CloudFront and the API', () => {
  it("without a custom domain: reaches the API's execute-api address with the origin secret header", () => {
    // Act
    const { stateless, report } = withoutCustomDomain();

    // Assess
    expect(report.violations).toEqual([]);
    stateless.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    expect(Object.keys(stateless.findOutputs('*'))).not.toContain('SiteDnsTarget');
    stateless.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'asb-case-review-merseyside' });
    // Without SES, Cognito sends its own invitations (COGNITO_DEFAULT, 50 a day).
    expect(JSON.stringify(stateless.findResources('AWS::Cognito::UserPool'))).not.toContain('DEVELOPER');
    const [api] = Object.values(stateless.findResources('AWS::ApiGatewayV2::Api'));
    expect(api?.Properties?.DisableExecuteApiEndpoint).not.toBe(true);
    for (const origin of originsOf(stateless)) {
      expect(JSON.stringify(origin.DomainName)).toContain('execute-api');
      expect(origin.OriginCustomHeaders?.map((header) => header.HeaderName)).toEqual(['x-origin-verify']);
    }
  }, 300_000);

  it("with a custom domain and an origin certificate: reaches the API's regional domain, its execute-api address off, with the secret's version named", () => {
    // Act
    const { stateless, report } = synthesise({
      notifications: sesNotifications(),
      domainName: DOMAIN,
      certificateArn: CLOUDFRONT_CERTIFICATE,
      originCertificateArn: ORIGIN_CERTIFICATE,
      originSecretVersion: VERSION,
      authDomainName: `sign-in.${DOMAIN}`,
      authCertificateArn: CLOUDFRONT_CERTIFICATE,
    });

    // Assess
    expect(report.violations).toEqual([]);
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: `origin.${DOMAIN}`,
      DomainNameConfigurations: [
        { CertificateArn: ORIGIN_CERTIFICATE, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
      ],
    });
    stateless.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    const origins = originsOf(stateless);
    expect(origins.length).toBeGreaterThan(0);
    for (const origin of origins) {
      expect(JSON.stringify(origin.DomainName)).not.toContain('execute-api');
      // Anyone may still resolve the regional domain: the header stays, at the version a rotation names
      // (a new version changes the reference, so the deployment moves CloudFront to it).
      expect(origin.OriginCustomHeaders?.map((header) => header.HeaderName)).toEqual(['x-origin-verify']);
      expect(JSON.stringify(origin.OriginCustomHeaders?.[0]?.HeaderValue)).toContain(
        `:SecretString:::${VERSION}}}`,
      );
    }
    stateless.hasOutput('OriginDomainTarget', {});
    // The site's own name is pointed at the distribution, which SiteUrl, naming that name, cannot give.
    const [distributionId] = Object.keys(stateless.findResources('AWS::CloudFront::Distribution'));
    stateless.hasOutput('SiteUrl', { Value: `https://${DOMAIN}` });
    stateless.hasOutput('SiteDnsTarget', { Value: { 'Fn::GetAtt': [distributionId, 'DomainName'] } });
    // Staff sign in at the area's own domain, which the pages send them to.
    stateless.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: `sign-in.${DOMAIN}`,
      CustomDomainConfig: { CertificateArn: CLOUDFRONT_CERTIFICATE },
    });
    stateless.hasOutput('StaffSignInDnsTarget', {});
    // (Ref of a custom domain is its name.)
    const [domainId] = Object.keys(stateless.findResources('AWS::Cognito::UserPoolDomain'));
    const web = Object.values(stateless.findResources('AWS::Lambda::Function')).find((fn) =>
      JSON.stringify(fn).includes('STAFF_SIGN_IN_URL'),
    ) as { Properties: { Environment: { Variables: Record<string, unknown> } } } | undefined;
    expect(web?.Properties.Environment.Variables.STAFF_SIGN_IN_URL).toEqual({
      'Fn::Join': ['', ['https://', { Ref: domainId }]],
    });
    // With SES as the notifier, Cognito sends invitations and account recovery from the service's address.
    stateless.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: SENDER,
        SourceArn: {
          'Fn::Join': [
            '',
            Match.arrayWith([Match.stringLikeRegexp(':identity/asb\\.merseyside\\.example$')]),
          ],
        },
      },
    });
  }, 300_000);

  it('refuses a sign-in domain without its certificate', () => {
    expect(() => deploymentConfigFrom((key) => ({ authDomainName: `sign-in.${DOMAIN}` })[key])).toThrow(
      InvalidContextError,
    );
  });

  it('refuses an origin certificate without a domain, or from another region than the API', () => {
    expect(() => deploymentConfigFrom((key) => ({ originCertificateArn: ORIGIN_CERTIFICATE })[key])).toThrow(
      InvalidContextError,
    );
    expect(() =>
      deploymentConfigFrom(
        (key) =>
          ({
            domainName: DOMAIN,
            certificateArn: CLOUDFRONT_CERTIFICATE,
            originCertificateArn: CLOUDFRONT_CERTIFICATE,
          })[key],
      ),
    ).toThrow(/eu-west-2/);
  });
});

describe('CloudFront and the static files', () => {
  it('serves /assets/* from a private bucket that only the distribution reads, cached for a year', () => {
    // Act
    const { stateless } = withoutCustomDomain();

    // Assess
    const distribution = distributionOf(stateless);
    const assets = distribution?.CacheBehaviors.find((behavior) => behavior.PathPattern === '/assets/*');
    const bucketOrigin = distribution?.Origins.find((origin) => origin.Id === assets?.TargetOriginId);
    expect(bucketOrigin?.S3OriginConfig).toBeDefined();
    expect(bucketOrigin?.OriginAccessControlId).toBeDefined();
    expect(assets).toMatchObject({
      Compress: true,
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', // Managed-CachingOptimized
    });
    stateless.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
    const [bucketId, bucket] = Object.entries(stateless.findResources('AWS::S3::Bucket')).find(([id]) =>
      id.startsWith('WebStaticFiles'),
    ) ?? [undefined, undefined];
    expect(bucket?.Properties?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const policy = JSON.stringify(
      Object.values(stateless.findResources('AWS::S3::BucketPolicy')).find(
        (resource) => JSON.stringify(resource.Properties?.Bucket) === JSON.stringify({ Ref: bucketId }),
      ),
    );
    expect(policy).toContain('"aws:SecureTransport":"false"');
    expect(policy).toContain('cloudfront.amazonaws.com');
    expect(policy).toContain('AWS:SourceArn');
  });

  it('uploads every static file the build names with its content type and a year of immutable caching', () => {
    // Prepare
    const built = buildWeb();

    // Act
    const { stateless } = withoutCustomDomain();

    // Assess
    const uploads = Object.values(stateless.findResources('Custom::CDKBucketDeployment')).map(
      (resource) => resource.Properties as Record<string, unknown>,
    );
    const kinds = new Set(Object.values(built).map((file) => extname(file)));
    expect(uploads).toHaveLength(kinds.size);
    for (const upload of uploads) {
      expect(upload).toMatchObject({
        DestinationBucketKeyPrefix: 'assets/',
        Prune: false,
        SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      });
    }
    const types = uploads.map((upload) => (upload.SystemMetadata as Record<string, string>)['content-type']);
    expect(types.sort()).toEqual([...kinds].map((kind) => ASSET_TYPES[kind]).sort());
  });

  it("logs CDK's upload function to a group kept a year and encrypted with the logs key, as the service's own", () => {
    // Act
    const { stateless } = withoutCustomDomain();

    // Assess: the function every upload's ServiceToken names.
    const tokens = new Set(
      Object.values(stateless.findResources('Custom::CDKBucketDeployment')).map((resource) =>
        JSON.stringify(resource.Properties?.ServiceToken),
      ),
    );
    expect(tokens.size).toBe(1);
    const [token] = [...tokens];
    const uploaderId = (JSON.parse(token as string) as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const uploader = stateless.findResources('AWS::Lambda::Function')[uploaderId];
    const groupId = (uploader?.Properties?.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)
      ?.LogGroup?.Ref as string;
    const group = stateless.findResources('AWS::Logs::LogGroup')[groupId];
    expect(group?.Properties).toMatchObject({
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::ImportValue': expect.stringContaining('LogsKey') },
    });
  });
});
