// The staff's door: signing in and out, the worklists and search, a case and its work, the annual
// return, an application entered for a resident, and the PCC's referrals.

import type { StaffPage, StaffPageDeps } from './page-context.ts';
import { annualReturnPage, signOffReturnPage } from './pages/annual-return.ts';
import { keptFormPage, sendKeptFormPage } from './pages/kept-form.ts';
import { staffApplicationEnteredPage, staffApplyPage, staffApplySendPage } from './pages/staff-apply.ts';
import { staffActionPage, staffCasePage, staffCaseSummaryPage, staffFilePage } from './pages/staff-case.ts';
import {
  staffCallbackPage,
  staffHomePage,
  staffHostedSignInPage,
  staffSignInPage,
  staffSignOutPage,
} from './pages/staff-sign-in.ts';
import { referralsPage, searchCasesPage, worklistPage } from './pages/worklist.ts';
import type { PageRoutes } from './routes.ts';
import { KEPT_FORM_ROUTE } from './session/kept-form.ts';

export function staffRoutes(): PageRoutes<StaffPageDeps> {
  const routes: Record<string, StaffPage> = {
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
    'GET /staff/kept': keptFormPage,
  };
  // A form kept from an ended sign-in is sent to the page it was for, among these.
  routes[KEPT_FORM_ROUTE] = sendKeptFormPage(routes);
  return routes;
}
