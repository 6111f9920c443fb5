// Cognito's pre-token-generation trigger: puts the staff claims into the ID token, or refuses the
// sign-in (Cognito issues no token when the trigger throws). Attributes are never logged.
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';
import { powertools } from '#shared/powertools.ts';
import { StaffClaimsError, staffClaims } from './staff-claims.ts';

const { logger } = powertools('auth');
const area = areaConfigFromEnv();

export const handler = async (
  event: PreTokenGenerationTriggerEvent,
): Promise<PreTokenGenerationTriggerEvent> => {
  try {
    const claims = staffClaims(
      {
        groups: event.request.groupConfiguration.groupsToOverride ?? [],
        attributes: event.request.userAttributes,
      },
      area,
    );
    event.response.claimsOverrideDetails = { claimsToAddOrOverride: { ...claims } };
    return event;
  } catch (error) {
    if (error instanceof StaffClaimsError) logger.warn('Staff sign-in refused', { reason: error.name });
    throw error;
  }
};
