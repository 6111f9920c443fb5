// The resident's door: the start and information pages, the application form, tracking a case with its
// access code, the published statistics, and every address no other route matches.
import { applySavePage, applyStartPage, applyStepPage } from './pages/apply.ts';
import { accessibilityPage, addressNotFoundPage, privacyPage, startPage } from './pages/info.ts';
import { statisticsPage } from './pages/statistics.ts';
import { trackActionPage, trackActPage, trackFilePage, trackPage, trackSignInPage } from './pages/track.ts';
import { type PageRoutes, UNMATCHED_ROUTE } from './routes.ts';

export function residentRoutes(): PageRoutes {
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
    [UNMATCHED_ROUTE]: addressNotFoundPage,
  };
}
