// A scan (GuardDuty's in AWS, the machine's own here) found malware in a file: the file is rejected, so
// it is never served, the staff timeline says so, and the case's officers are told. Each part is safe
// to repeat: the timeline's entry is written once with the verdict, and the message has the same id
// every time (the file's), so a retried event tells nobody twice.
import type { Clock } from '#core/clock.ts';
import { evidenceThreatFound } from '#core/timeline-words.ts';
import { readEvidence, recordThreat } from '#data/case-evidence.ts';
import { getCase } from '#data/case-store.ts';
import type { DataContext } from '#data/data-context.ts';
import type { Notifier } from '#shared/notifier.ts';
import { staffRecipient } from '#shared/recipients.ts';

export interface ThreatDependencies {
  readonly data: DataContext;
  readonly notifier: Notifier;
  readonly clock: Clock;
}

/** 'rejected' when the file is rejected (and its officers told), 'ignored' when it is no case's file. */
export async function threatFound(
  deps: ThreatDependencies,
  reference: string,
  id: string,
): Promise<'rejected' | 'ignored'> {
  const [record, file] = await Promise.all([
    getCase(deps.data, reference),
    readEvidence(deps.data, reference, id),
  ]);
  if (!file) return 'ignored';
  const rejected = await recordThreat(deps.data, reference, id, {
    event: {
      at: deps.clock().toISOString(),
      type: 'evidence-threat',
      summary: evidenceThreatFound(file.name),
      actor: { role: 'system' },
      audience: 'staff',
    },
    expiresAt: record?.expiresAt ?? null,
  });
  if (!rejected) return 'ignored';
  if (record) {
    await deps.notifier.notify({
      to: staffRecipient('officer', record),
      template: 'evidence-threat',
      key: id,
      facts: {},
    });
  }
  return 'rejected';
}
