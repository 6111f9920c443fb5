// The case operations bound to one context: what the pages call (web/page-context.ts), so that a page,
// and its tests, depend on the operations' own types and not on how a function instance is wired. Each
// door's function binds only the operations its pages call.

import { type ProgressDone, recordProgressNote } from '#cases/action-progress.ts';
import type { ApplicantCaller, Caller, StaffCaller } from '#cases/caller.ts';
import { type ActionDone, act } from '#cases/case-actions.ts';
import {
  type CaseWithUploadForm,
  confirmUpload,
  type DownloadLink,
  type EvidenceContext,
  type EvidenceShared,
  evidenceDownload,
  getCaseWithUploadForm,
  requestUploads,
  shareEvidence,
  type UploadOptions,
  type UploadsGranted,
} from '#cases/case-evidence.ts';
import { changeLinks, type LinkSuggestions, type LinksChanged, linkSuggestions } from '#cases/case-links.ts';
import { type ReviewStep, type ReviewStepDone, takeReviewStep } from '#cases/case-review-steps.ts';
import type { ApplicantCaseView, CaseView, StaffCaseView } from '#cases/case-views.ts';
import { type AssignmentDone, addNote, changeAssignment, type NoteAdded } from '#cases/case-work.ts';
import type { NotifyingCaseContext } from '#cases/context.ts';
import { requestNewAccessCode } from '#cases/new-access-code.ts';
import type { RequestBody } from '#cases/parse-input.ts';
import {
  type PublishedStatistics,
  type SignedOffReturn,
  type StatisticsOverview,
  type StatisticsQuery,
  type StatisticsYears,
  signOffReturn,
  statistics,
  statisticsOverview,
  statisticsYears,
} from '#cases/statistics.ts';
import { type Submission, type SubmitOptions, submitApplication } from '#cases/submit-application.ts';
import { getCase } from '#cases/view-case.ts';
import { listCases, searchCases, type Worklist, type WorklistQuery } from '#cases/worklist.ts';
import type { CaseAction } from '#core/stages.ts';

/**
 * The operations the resident's pages call (web/resident-routes.ts): applying, a case read and acted on
 * with its access code, its files, a new code, the published counts. Their function is built with these
 * alone, so it carries and is granted nothing else.
 */
export interface ResidentOperations {
  submitApplication(readBody: RequestBody, caller: Caller, options: SubmitOptions): Promise<Submission>;
  getCase(reference: string, caller: StaffCaller): Promise<StaffCaseView>;
  getCase(reference: string, caller: ApplicantCaller): Promise<ApplicantCaseView>;
  act(reference: string, action: CaseAction, readBody: RequestBody, caller: Caller): Promise<ActionDone>;
  reviewStep(
    reference: string,
    step: ReviewStep,
    readBody: RequestBody,
    caller: Caller,
  ): Promise<ReviewStepDone>;
  statisticsOverview(query: Pick<StatisticsQuery, 'year'>): Promise<StatisticsOverview>;
  requestNewAccessCode(reference: string, readBody: RequestBody): Promise<void>;
  /**
   * The case as getCase gives it and, from the same read, the caller's form for one more file (undefined
   * when the case is closed or full); `redirect` given the file's id.
   */
  getCaseWithUploadForm(
    reference: string,
    caller: StaffCaller,
    redirect: (id: string) => string,
  ): Promise<CaseWithUploadForm<StaffCaseView>>;
  getCaseWithUploadForm(
    reference: string,
    caller: ApplicantCaller,
    redirect: (id: string) => string,
  ): Promise<CaseWithUploadForm<ApplicantCaseView>>;
  getCaseWithUploadForm(
    reference: string,
    caller: StaffCaller | ApplicantCaller,
    redirect: (id: string) => string,
  ): Promise<CaseWithUploadForm>;
  confirmUpload(reference: string, id: string, caller: Caller): Promise<void>;
  /** A presigned POST per file the body describes (as POST /api/cases/{ref}/evidence): several at once. */
  requestUploads(
    reference: string,
    readBody: RequestBody,
    caller: Caller,
    options: UploadOptions,
  ): Promise<UploadsGranted>;
  evidenceDownload(reference: string, id: string, caller: Caller): Promise<DownloadLink>;
}

/** Every operation: what the staff's pages call, the resident's among them. */
export interface CaseOperations extends ResidentOperations {
  listCases(caller: Caller, query: WorklistQuery): Promise<Worklist>;
  searchCases(caller: Caller, readBody: RequestBody): Promise<Worklist>;
  changeAssignment(reference: string, readBody: RequestBody, caller: Caller): Promise<AssignmentDone>;
  addNote(reference: string, readBody: RequestBody, caller: Caller): Promise<NoteAdded>;
  actionProgress(
    reference: string,
    actionId: string,
    readBody: RequestBody,
    caller: Caller,
  ): Promise<ProgressDone>;
  linkSuggestions(reference: string, caller: Caller): Promise<LinkSuggestions>;
  changeLinks(reference: string, readBody: RequestBody, caller: Caller): Promise<LinksChanged>;
  statistics(query: StatisticsQuery): Promise<PublishedStatistics>;
  statisticsYears(): Promise<StatisticsYears>;
  signOffReturn(readBody: RequestBody, caller: Caller): Promise<SignedOffReturn>;
  shareEvidence(
    reference: string,
    id: string,
    readBody: RequestBody,
    caller: Caller,
  ): Promise<EvidenceShared>;
}

export type OperationsContext = NotifyingCaseContext & Pick<EvidenceContext, 'evidence'>;

export function residentOperations(context: OperationsContext): ResidentOperations {
  function view(reference: string, caller: StaffCaller): Promise<StaffCaseView>;
  function view(reference: string, caller: ApplicantCaller): Promise<ApplicantCaseView>;
  function view(reference: string, caller: StaffCaller | ApplicantCaller): Promise<CaseView> {
    return getCase(context, reference, caller);
  }
  function viewWithUploadForm(
    reference: string,
    caller: StaffCaller,
    redirect: (id: string) => string,
  ): Promise<CaseWithUploadForm<StaffCaseView>>;
  function viewWithUploadForm(
    reference: string,
    caller: ApplicantCaller,
    redirect: (id: string) => string,
  ): Promise<CaseWithUploadForm<ApplicantCaseView>>;
  function viewWithUploadForm(
    reference: string,
    caller: StaffCaller | ApplicantCaller,
    redirect: (id: string) => string,
  ): Promise<CaseWithUploadForm>;
  function viewWithUploadForm(
    reference: string,
    caller: StaffCaller | ApplicantCaller,
    redirect: (id: string) => string,
  ): Promise<CaseWithUploadForm> {
    return getCaseWithUploadForm(context, reference, caller, redirect);
  }
  return {
    submitApplication: (readBody, caller, options) => submitApplication(context, readBody, caller, options),
    getCase: view,
    act: (reference, action, readBody, caller) => act(context, reference, action, readBody, caller),
    reviewStep: (reference, step, readBody, caller) =>
      takeReviewStep(context, reference, step, readBody, caller),
    statisticsOverview: (query) => statisticsOverview(context, query),
    requestNewAccessCode: (reference, readBody) => requestNewAccessCode(context, reference, readBody),
    getCaseWithUploadForm: viewWithUploadForm,
    confirmUpload: (reference, id, caller) => confirmUpload(context, reference, id, caller),
    requestUploads: (reference, readBody, caller, options) =>
      requestUploads(context, reference, readBody, caller, options),
    evidenceDownload: (reference, id, caller) => evidenceDownload(context, reference, id, caller),
  };
}

export function caseOperations(context: OperationsContext): CaseOperations {
  return {
    ...residentOperations(context),
    listCases: (caller, query) => listCases(context, caller, query),
    searchCases: (caller, readBody) => searchCases(context, caller, readBody),
    changeAssignment: (reference, readBody, caller) => changeAssignment(context, reference, readBody, caller),
    addNote: (reference, readBody, caller) => addNote(context, reference, readBody, caller),
    actionProgress: (reference, actionId, readBody, caller) =>
      recordProgressNote(context, reference, actionId, readBody, caller),
    linkSuggestions: (reference, caller) => linkSuggestions(context, reference, caller),
    changeLinks: (reference, readBody, caller) => changeLinks(context, reference, readBody, caller),
    statistics: (query) => statistics(context, query),
    statisticsYears: () => statisticsYears(context),
    signOffReturn: (readBody, caller) => signOffReturn(context, readBody, caller),
    shareEvidence: (reference, id, readBody, caller) =>
      shareEvidence(context, reference, id, readBody, caller),
  };
}
