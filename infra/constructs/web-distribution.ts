// The public face: CloudFront in front of the HTTP API for the pages, the JSON API and the static
// assets, HTTPS only, the WAF web ACL attached, security headers on every response, and access logs in
// a private bucket that forgets them after 30 days.
import { Duration, RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
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
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { CustomDomain } from '#infra/deployment-config.ts';
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
}

// Used when the pages send no policy of their own (the origin's header wins): everything from this
// site only, no framing, no plugins, forms post only here.
const DEFAULT_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

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
        // GOV.UK Frontend's files and the service's own, served by the pages function with cache headers.
        '/assets/*': {
          origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
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
}
