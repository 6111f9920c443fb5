// The public face: CloudFront in front of the HTTP API for the pages and the JSON API, and in front of a
// private S3 bucket for the static files under /assets/, HTTPS only, the WAF web ACL attached, security
// headers on every response, and access logs in a private bucket that forgets them after 30 days.

import { extname } from 'node:path';
import { Duration, RemovalPolicy, SecretValue, Stack, Token, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { CustomDomain } from '#infra/deployment-config.ts';
import { ASSET_CACHE_CONTROL, ASSET_TYPES, ASSETS, assetsFolder, buildWeb } from '#infra/web-build.ts';
import { ORIGIN_SECRET_HEADER } from '#shared/origin-secret.ts';

export interface WebDistributionProps {
  /** The HTTP API's host name. */
  readonly originDomainName: string;
  /** The WAF web ACL (scope CLOUDFRONT, in us-east-1). */
  readonly webAclArn: string;
  readonly customDomain?: CustomDomain;
  /** Its value goes to the origin in a header (shared/origin-secret.ts), resolved by CloudFormation. */
  readonly originSecret: ISecret;
  /** The secret's version to send (after a rotation); its current version when undefined. */
  readonly originSecretVersion?: string;
  /** The logs of CDK's function that uploads the static files: kept as the service's own logs are. */
  readonly logsKey: IKey;
  readonly logRetention: RetentionDays;
}

// Used when the pages send no policy of their own (the origin's header wins): everything from this
// site only, no framing, no plugins, forms post only here.
const DEFAULT_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // No web fonts: the pages are in the device's Arial (functions/web/assets/app.scss).
  "font-src 'none'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

/** A stack's account or region as cdk-nag writes it in a finding: itself, or the pseudo parameter. */
const asNagWritesIt = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);

export class WebDistribution extends Construct {
  readonly distribution: Distribution;
  /** The address the public uses. */
  readonly siteUrl: string;

  constructor(scope: Construct, id: string, props: WebDistributionProps) {
    super(scope, id);
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logging writes with an ACL, so the bucket must accept ACLs from it.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      // The logs' paths can hold case references: kept long enough to investigate abuse, no longer.
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is itself the access-log destination (CloudFront standard logs); logging access to it ' +
        'would need a further log bucket, recursively. It is private, TLS-only and written only by CloudFront; ' +
        'reads are recorded by CloudTrail.',
    });

    const origin = new HttpOrigin(props.originDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // A dynamic reference: the value is in neither the template nor the assembly, only in CloudFront's
      // configuration. A viewer's header of the same name is replaced.
      customHeaders: {
        [ORIGIN_SECRET_HEADER]: SecretValue.secretsManager(props.originSecret.secretArn, {
          ...(props.originSecretVersion && { versionId: props.originSecretVersion }),
        }).unsafeUnwrap(),
      },
    });
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'ASB case review: security headers on every response',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        contentSecurityPolicy: { contentSecurityPolicy: DEFAULT_CONTENT_SECURITY_POLICY, override: false },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });
    const certificate =
      props.customDomain &&
      Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn);

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'ASB case review',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        // Pages and API answers are personal: never cached, every viewer header but Host passed on.
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: securityHeaders,
      },
      additionalBehaviors: {
        // The static files, each named by its content: cached at the edge and by browsers for a year.
        [`/${ASSETS}/*`]: {
          origin: S3BucketOrigin.withOriginAccessControl(this.staticFiles(props)),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          // Honours the objects' Cache-Control (a year), keeps no cookies, query strings or headers.
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: securityHeaders,
          compress: true,
        },
      },
      webAclId: props.webAclArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
      ...(props.customDomain &&
        certificate && {
          domainNames: [props.customDomain.domainName],
          certificate,
          minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
        }),
    });
    this.siteUrl = `https://${props.customDomain?.domainName ?? this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Residents apply from wherever they are (on holiday, through a VPN, from a relative abroad), and ' +
        'the PCC publishes the statistics to everyone; blocking countries would lock them out. Abuse is ' +
        'handled by the WAF (managed rules, IP reputation, rate limits).',
    });
    if (!props.customDomain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves *.cloudfront.net with its default certificate, whose ' +
          'security policy AWS fixes and no distribution can raise. Deployments for real use pass domainName ' +
          'and certificateArn, which sets TLSv1.2_2021 and removes this acknowledgement.',
      });
    }
  }

  // GOV.UK Frontend's and the service's static files as infra/web-build.ts builds them, in a private
  // bucket that only this distribution reads (origin access control), TLS only. Each kind of file is
  // uploaded with its content type and a year's caching, one deployment per kind, since the upload would
  // otherwise guess types from the names. Files of earlier releases stay (nothing is pruned), so a page
  // a browser loaded before a release still finds the files it names.
  private staticFiles(props: WebDistributionProps): Bucket {
    const bucket = new Bucket(this, 'StaticFiles', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "Every read is CloudFront's (origin access control), recorded in its standard logs; every write is a " +
        "deployment's, recorded by CloudTrail. The files are public GOV.UK Frontend and service styles and scripts.",
    });
    const folder = assetsFolder();
    const extensions = new Set(Object.values(buildWeb()).map((file) => extname(file)));
    // The uploads share CDK's one function, which would otherwise write to a group Lambda makes on its
    // first write: unencrypted and kept for ever.
    const logGroup = new LogGroup(this, 'StaticFilesUploadLogs', {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const extension of extensions) {
      new BucketDeployment(this, `StaticFiles${extension.slice(1).toUpperCase()}`, {
        sources: [Source.asset(folder, { exclude: ['*', `!*${extension}`] })],
        destinationBucket: bucket,
        destinationKeyPrefix: `${ASSETS}/`,
        contentType: ASSET_TYPES[extension],
        cacheControl: [CacheControl.fromString(ASSET_CACHE_CONTROL)],
        prune: false,
        logGroup,
      });
    }
    this.acknowledgeUploader(bucket);
    return bucket;
  }

  // The uploads run in CDK's own function (one for the stack), during deployments only.
  private acknowledgeUploader(bucket: Bucket): void {
    const stack = Stack.of(this);
    const uploader = stack.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!uploader) return;
    const deploymentOnly =
      "CDK's own function that copies the static files from CDK's staging bucket into the static files' " +
      'bucket; it runs only during a deployment.';
    Validations.of(uploader).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${deploymentOnly} The managed policy lets it write its own logs, nothing else.`,
      },
      ...[
        'Action::s3:GetObject*',
        'Action::s3:GetBucket*',
        'Action::s3:List*',
        'Action::s3:DeleteObject*',
        'Action::s3:Abort*',
        `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${asNagWritesIt(stack.account, 'AWS::AccountId')}-${asNagWritesIt(stack.region, 'AWS::Region')}/*`,
        `Resource::<${stack.getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/*`,
      ].map((finding) => ({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          `${deploymentOnly} CDK grants it read of the staged upload (CDK's staging bucket's objects) and ` +
          "write of the static files' bucket's objects, each action family on those two buckets only.",
      })),
      {
        id: 'AwsSolutions-L1',
        reason: `${deploymentOnly} Its runtime is the one CDK's version builds it for; a CDK upgrade moves it.`,
      },
    );
  }
}
