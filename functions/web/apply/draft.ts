// An application being filled in, page by page, by a resident (online); answers are kept as typed, once each
// page is valid. An officer's entry is one screen (pages/staff-apply.ts): its draft only keeps what the
// officer's confirmation shows once it is sent.

import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '#core/clock.ts';
import type { DataContext } from '#data/data-context.ts';
import { deleteDraft, getDraft, saveDraft } from '#data/draft-repository.ts';
import type { KeptForm } from '../session/kept-form.ts';

export type DraftMode = 'resident' | 'staff';

/** One page's answers: field name → text (or several texts, for checkboxes). */
export type Answers = Readonly<Record<string, string | readonly string[]>>;

export interface Draft {
  readonly id: string;
  readonly mode: DraftMode;
  /** A staff draft belongs to the officer who sent the application. */
  readonly owner?: string;
  /** Sent with the submission, so submitting twice creates one case. */
  readonly idempotencyKey: string;
  readonly answers: Answers;
  readonly incidents: readonly Answers[];
  /** Once "check your answers" was reached, each change returns there. */
  readonly reachedCheck: boolean;
  /** What the confirmation page shows once sent: any incident hate-motivated brings hate-crime support. */
  readonly submitted?: {
    readonly reference: string;
    readonly sealedAccessCode: string;
    readonly hateMotivated?: true;
    /** An officer's entry: how it came in and how the applicant hears from us, for the officer's words. */
    readonly channel?: string;
    readonly contactPreference?: string;
  };
  /** A staff form sent after its sign-in ended, kept for its sender (session/kept-form.ts). */
  readonly kept?: KeptForm;
  readonly version: number;
}

export interface DraftStore {
  get(id: string): Promise<Draft | undefined>;
  /** Saves the draft over the version it was read at; throws DraftChangedError (#data/draft-repository.ts) if someone saved since. */
  save(draft: Draft): Promise<Draft>;
  delete(id: string): Promise<void>;
}

/** How long a draft is kept after its last change: long enough for someone who must stop and come back. */
export const DRAFT_HOURS = 4;

export function newDraft(mode: DraftMode, owner?: string): Draft {
  return {
    id: randomBytes(24).toString('base64url'),
    mode,
    ...(owner && { owner }),
    idempotencyKey: randomUUID(),
    answers: {},
    incidents: [],
    reachedCheck: false,
    version: 0,
  };
}

type Content = Omit<Draft, 'id' | 'version'>;

export function dynamoDraftStore(data: DataContext, clock: Clock): DraftStore {
  return {
    async get(id) {
      const stored = await getDraft<Content>(data, id, clock());
      return stored && { ...stored.content, id, version: stored.version };
    },
    async save(draft) {
      const { id, version, ...content } = draft;
      const expiresAt = Math.floor(clock().getTime() / 1000) + DRAFT_HOURS * 3600;
      const stored = await saveDraft(data, { id, previousVersion: version, content, expiresAt });
      return { ...draft, version: stored.version };
    },
    delete: (id) => deleteDraft(data, id),
  };
}
