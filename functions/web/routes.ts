// Every page, by the API Gateway route key that reaches it. infra/functions.ts lists the same keys for
// the Web function (a test keeps the two lists equal). The static files under /assets/ are not the
// function's: CloudFront serves them from S3 (infra/web-build.ts builds them).
import type { Page } from './page-context.ts';
import { annualReturnPage, signOffReturnPage } from './pages/annual-return.ts';
import { applySavePage, applyStartPage, applyStepPage } from './pages/apply.ts';
import { accessibilityPage, addressNotFoundPage, privacyPage, startPage } from './pages/info.ts';
import { staffApplicationEnteredPage, staffApplyPage, staffApplySendPage } from './pages/staff-apply.ts';
import { staffActionPage, staffCasePage, staffCaseSummaryPage, staffFilePage } from './pages/staff-case.ts';
import {
  staffCallbackPage,
  staffHomePage,
  staffHostedSignInPage,
  staffSignInPage,
  staffSignOutPage,
} from './pages/staff-sign-in.ts';
import { statisticsPage } from './pages/statistics.ts';
import { trackActionPage, trackActPage, trackFilePage, trackPage, trackSignInPage } from './pages/track.ts';
import { referralsPage, searchCasesPage, worklistPage } from './pages/worklist.ts';

/**
 * Whatever no other route matches, with any method (API Gateway takes every other route before a
 * greedy one, as the local gateway does): a GOV.UK "Page not found", and under /api/ the API's own JSON
 * error (app.ts), as contract.md's Pages ask.
 */
export const UNMATCHED_ROUTE = 'ANY /{proxy+}';

export function pageRoutes(): Readonly<Record<string, Page>> {
  return {
    'GET /': startPage,
    'GET /accessibility': accessibilityPage,
    'GET /privacy': privacyPage,
    'GET /statistics': statisticsPage,
    'GET /apply': applyStartPage,
    'GET /apply/{step}': applyStepPage,
    'POST /apply/{step}': applySavePage,
    'GET /track': trackPage,
    'POST /track': trackSignInPage,
    'GET /track/{action}': trackActionPage,
    'GET /track/files/{id}': trackFilePage,
    'POST /track/{action}': trackActPage,
    'GET /staff': staffHomePage,
    'POST /staff': staffSignInPage,
    'GET /staff/sign-in': staffHostedSignInPage,
    'GET /staff/callback': staffCallbackPage,
    'POST /staff/sign-out': staffSignOutPage,
    'GET /staff/cases': worklistPage,
    'POST /staff/cases/search': searchCasesPage,
    'GET /staff/cases/{reference}': staffCasePage,
    'GET /staff/cases/{reference}/summary': staffCaseSummaryPage,
    'GET /staff/cases/{reference}/files/{id}': staffFilePage,
    'POST /staff/cases/{reference}/{action}': staffActionPage,
    'GET /staff/returns': annualReturnPage,
    'POST /staff/returns': signOffReturnPage,
    'GET /staff/apply': staffApplyPage,
    'POST /staff/apply': staffApplySendPage,
    'GET /staff/apply/confirmation': staffApplicationEnteredPage,
    'GET /pcc/referrals': referralsPage,
    'POST /pcc/referrals/search': searchCasesPage,
    'GET /pcc/referrals/{reference}': staffCasePage,
    'GET /pcc/referrals/{reference}/summary': staffCaseSummaryPage,
    [UNMATCHED_ROUTE]: addressNotFoundPage,
  };
}
