// The local notifier: each message is one JSON file under $DATA_DIR/outbox, named by its id, so a
// retried step that sends the same message again finds the file there and writes nothing. A file
// appears whole (written aside, then renamed) so a reader never sees half a message.

import { randomUUID } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '#core/clock.ts';
import { type Message, renderMessage } from '#shared/messages.ts';
import { messageId, type Notification, type Notifier, type Recipient } from '#shared/notifier.ts';

export interface OutboxMessage extends Message {
  readonly id: string;
  readonly createdAt: string;
  readonly to: Recipient;
  readonly template: Notification['template'];
  readonly facts: Notification['facts'];
}

export function outboxDirectory(dataDir: string): string {
  return join(dataDir, 'outbox');
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export function createOutboxNotifier(options: {
  readonly directory: string;
  readonly clock: Clock;
}): Notifier {
  return {
    async notify(notification) {
      const id = messageId(notification);
      const path = join(options.directory, `${id}.json`);
      if (await exists(path)) return;
      const message: OutboxMessage = {
        id,
        createdAt: options.clock().toISOString(),
        to: notification.to,
        template: notification.template,
        facts: notification.facts,
        ...renderMessage(notification),
      };
      const temporary = join(options.directory, `.${id}.${randomUUID()}.tmp`);
      const text = `${JSON.stringify(message, null, 2)}\n`;
      try {
        await writeFile(temporary, text);
      } catch (error) {
        // The folder is made by the first message (and again if it was removed), not checked for each.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await mkdir(options.directory, { recursive: true });
        await writeFile(temporary, text);
      }
      await rename(temporary, path);
    },
  };
}

/** Every message in the outbox, oldest first (for GET /local/outbox and tests). */
export async function listOutbox(directory: string): Promise<OutboxMessage[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const messages = await Promise.all(
    names
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .map(async (name) => JSON.parse(await readFile(join(directory, name), 'utf8')) as OutboxMessage),
  );
  return messages.sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
  );
}
