// Staff sign-in: a Cognito user pool (no self sign-up: administrators create accounts), one group per
// role, the CSP, agency and PCC area as custom attributes an administrator sets, MFA with an
// authenticator app for everyone, and threat protection enforcing. A pre-token-generation trigger puts
// the role and those attributes into the ID token as the claims functions/shared/staff-token.ts reads.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AccountRecovery,
  type CfnUserPoolClient,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { ServiceFunction } from '#infra/constructs/service-function.ts';
import type { CustomDomain } from '#infra/deployment-config.ts';

/** The groups, one per staff role of the contract; the trigger turns membership into the `role` claim. */
export const STAFF_GROUPS = ['officer', 'agency', 'pcc'] as const;

export interface StaffIdentityProps {
  /** The pre-token-generation trigger (functions/auth/pre-token.ts). */
  readonly claimsTrigger: ServiceFunction;
  /** The site's address; the sign-in returns staff to `<siteUrl>/staff/...`. */
  readonly siteUrl: string;
  readonly domainPrefix: string;
  /** A sign-in domain of the area's own (its certificate in us-east-1), used instead of the prefix. */
  readonly customDomain?: CustomDomain;
  /** Invitations and account recovery are sent through SES from this address, when set. */
  readonly sesFromAddress?: string;
}

export class StaffIdentity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: StaffIdentityProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: true, mutable: true },
      },
      customAttributes: {
        csp: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        agency: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        pccArea: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 12,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Cognito's own mailer sends 50 emails a day at most; with SES configured, the service's address does.
      ...(props.sesFromAddress && {
        email: UserPoolEmail.withSES({
          fromEmail: props.sesFromAddress,
          sesRegion: Stack.of(this).region,
          sesVerifiedDomain: props.sesFromAddress.slice(props.sesFromAddress.indexOf('@') + 1),
        }),
      }),
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      lambdaTriggers: { preTokenGeneration: props.claimsTrigger.function },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [precedence, role] of STAFF_GROUPS.entries()) {
      this.userPool.addGroup(`${role}Group`, {
        groupName: role,
        description: `ASB case review staff role "${role}"`,
        precedence,
      });
    }
    this.domain = this.userPool.addDomain(
      'Domain',
      props.customDomain
        ? {
            customDomain: {
              domainName: props.customDomain.domainName,
              certificate: Certificate.fromCertificateArn(
                this,
                'DomainCertificate',
                props.customDomain.certificateArn,
              ),
            },
          }
        : { cognitoDomain: { domainPrefix: props.domainPrefix } },
    );
    this.client = this.userPool.addClient('StaffClient', {
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.siteUrl}/staff/callback`],
        logoutUrls: [`${props.siteUrl}/staff`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('csp', 'agency', 'pccArea'),
      // Staff may correct their name; who they work for is for an administrator to set.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    // Staff sign in through the managed login (the authorization code grant) only: no SRP, password or
    // custom flow is open to the API, which CloudFormation's default would otherwise allow.
    (this.client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
  }

  /** The `iss` of the pool's tokens. (CloudFormation's ProviderURL lacks the scheme, so it is built here.) */
  get issuer(): string {
    const stack = Stack.of(this);
    return `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
  }

  /** What the handlers need to verify a staff token with functions/shared/staff-token.ts. */
  tokenEnvironment(): Record<string, string> {
    return {
      STAFF_TOKEN_ISSUER: this.issuer,
      STAFF_TOKEN_AUDIENCE: this.client.userPoolClientId,
      STAFF_TOKEN_JWKS_URL: `${this.issuer}/.well-known/jwks.json`,
    };
  }

  /** Where the pages send staff to sign in (the user pool's managed login). */
  signInEnvironment(): Record<string, string> {
    return { STAFF_SIGN_IN_URL: this.domain.baseUrl() };
  }
}
