import { describe, expect, it } from 'vitest';
import { actionsReminded, requestsReminded } from '#core/timeline-words.ts';

describe('the timeline words of reminders to agencies', () => {
  it('agree with each agency: the police were, the council was', () => {
    // Act
    const actions = actionsReminded([
      { id: 'A1', owner: 'police', dueBy: '2015-08-01', first: true },
      { id: 'A2', owner: 'council', dueBy: '2015-08-01', first: false },
    ]);
    const requests = requestsReminded([
      { agency: 'police', dueBy: '2015-06-29', to: 'officer' },
      { agency: 'housing-provider', dueBy: '2015-06-29', to: 'agency' },
    ]);

    // Assess
    expect(actions).toBe(
      'Action A1 was due by 1 August 2015. The police were reminded. Action A2 was due by 1 August 2015. The council was reminded again and the officer was told.',
    );
    expect(requests).toBe(
      'The information requested from the police was due by 29 June 2015. The officer was told the police have not replied. The information requested from the housing provider was due by 29 June 2015. The housing provider was reminded.',
    );
  });
});
