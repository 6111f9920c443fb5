// The HTTP API in front of the functions: one route per route key of infra/functions.ts, the staff-only
// routes behind the user pool's JWT authorizer, access logs without request paths or bodies, and a
// stage-wide throttle as a ceiling behind the WAF.
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  ApiMapping,
  DomainName,
  EndpointType,
  HttpApi,
  type HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ServiceFunction } from '#infra/constructs/service-function.ts';
import { isStaffOnlyRoute, parseRouteKey } from '#infra/routes.ts';

export interface CaseReviewApiProps {
  /** Encrypts the access logs. */
  readonly logsKey: IKey;
  /** Access logs hold callers' IP addresses, so they are kept for less time than application logs. */
  readonly accessLogRetention: RetentionDays;
  /**
   * A regional custom domain (with an ACM certificate of this region) that CloudFront reaches the API
   * at instead of `execute-api`, which is then turned off.
   */
  readonly originDomain?: { readonly domainName: string; readonly certificateArn: string };
}

// Who called which route and how it went; never the path (it holds case references) or any body.
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

const THROTTLE = { rateLimit: 50, burstLimit: 100 };

export class CaseReviewApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** The regional custom domain, when there is one: DNS must point its name at its regional name. */
  readonly originDomain?: DomainName;

  constructor(scope: Construct, id: string, props: CaseReviewApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'ASB case review: pages and JSON API (reached through CloudFront)',
      createDefaultStage: false,
      // With a domain of its own, the API's default address answers nothing: only that domain, which
      // CloudFront uses, reaches it (and every function still checks CloudFront's origin secret).
      disableExecuteApiEndpoint: props.originDomain !== undefined,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    if (props.originDomain) {
      this.originDomain = new DomainName(this, 'OriginDomain', {
        domainName: props.originDomain.domainName,
        certificate: Certificate.fromCertificateArn(
          this,
          'OriginCertificate',
          props.originDomain.certificateArn,
        ),
        endpointType: EndpointType.REGIONAL,
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      new ApiMapping(this, 'OriginMapping', {
        api: this.httpApi,
        domainName: this.originDomain,
        stage: this.stage,
      });
    }
  }

  /** The host name CloudFront uses as its origin: the regional custom domain, else the API's own. */
  get domainName(): string {
    if (this.originDomain) return this.originDomain.name;
    const stack = Stack.of(this);
    return `${this.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  }

  /** Routes each of the function's route keys to it; staff-only routes go through the authorizer. */
  route(fn: ServiceFunction, staffAuthorizer: IHttpRouteAuthorizer): void {
    const integration = new HttpLambdaIntegration(`${fn.spec.id}Integration`, fn.function);
    for (const key of fn.spec.routes) {
      const { method, path } = parseRouteKey(key);
      const staffOnly = isStaffOnlyRoute(key);
      const route = new HttpRoute(this, `Route${key.replace(/[^A-Za-z0-9]/g, '')}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(path, method as HttpMethod),
        integration,
        ...(staffOnly && { authorizer: staffAuthorizer }),
      });
      if (!staffOnly) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            `"${key}" is open by the service's contract: applicants prove access with a per-case access code ` +
            '(128-bit, stored hashed), the public pages and statistics need no login, and staff pages carry ' +
            'their session in a cookie. The handler authorises every caller itself with the same token code; ' +
            'the WAF rate-limits these routes.',
        });
      }
    }
  }
}
